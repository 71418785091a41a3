// The cluster registry as `skiff image` sees it: where it is (from the data dir's registry
// config, which `skiff up` writes), whether it answers, and what it holds.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { clusterLayout } from '../cluster/layout.js';
import { registryAddress } from '../cluster/components.js';
import { DEFAULT_NETWORK } from '../cluster/network.js';

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

const TIMEOUT_MS = 5000;

/** The registry URL of the cluster under `dataDir`: its config's listen address, else the default. */
export function clusterRegistryUrl(dataDir: string): string {
  const configPath = join(clusterLayout(dataDir).registryData, 'config.yml');
  if (existsSync(configPath)) {
    const addr = (parse(readFileSync(configPath, 'utf8')) as { http?: { addr?: unknown } } | null)?.http?.addr;
    if (typeof addr === 'string' && addr !== '') return `http://${addr}`;
  }
  return `http://${registryAddress(DEFAULT_NETWORK.gateway)}`;
}

/** Throws a clear error unless the registry serves the distribution API at `url`. */
export async function ensureRegistry(url: string): Promise<void> {
  let status: number;
  try {
    status = (await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(TIMEOUT_MS) })).status;
  } catch {
    throw new Error(`the cluster registry at ${url} does not answer; is the cluster up? npx skiff up`);
  }
  if (status !== 200) throw new Error(`${url} is not a usable registry (GET /v2/ gave HTTP ${status})`);
}

async function getJson<T>(url: string): Promise<{ body: T; next?: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (res.status !== 200) throw new Error(`registry GET ${new URL(url).pathname}: HTTP ${res.status}`);
  // The catalog pages with a Link header: </v2/_catalog?last=x&n=y>; rel="next"
  const link = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
  return { body: (await res.json()) as T, next: link ? new URL(link[1], url).toString() : undefined };
}

/** Every repository in the registry, following the catalog's pages. */
export async function listRepositories(url: string): Promise<string[]> {
  const repos: string[] = [];
  for (let page: string | undefined = `${url}/v2/_catalog?n=1000`; page; ) {
    const { body, next }: { body: { repositories?: string[] | null }; next?: string } = await getJson(page);
    repos.push(...(body.repositories ?? []));
    page = next;
  }
  return repos;
}

export async function listTags(url: string, repository: string): Promise<string[]> {
  const { body } = await getJson<{ tags?: string[] | null }>(`${url}/v2/${repository}/tags/list`);
  return body.tags ?? [];
}

/** The digest the registry serves for `repository:tag` (a HEAD, so nothing is downloaded). */
export async function manifestDigest(url: string, repository: string, tag: string): Promise<string> {
  const res = await fetch(`${url}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { Accept: MANIFEST_ACCEPT }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const digest = res.headers.get('docker-content-digest');
  if (res.status !== 200 || !digest) throw new Error(`registry HEAD ${repository}:${tag}: HTTP ${res.status}`);
  return digest;
}

export interface RegistryImage {
  repository: string;
  tag: string;
  digest: string;
}

/** Every tagged image in the registry, sorted by repository then tag. */
export async function listImages(url: string): Promise<RegistryImage[]> {
  const images: RegistryImage[] = [];
  for (const repository of (await listRepositories(url)).sort()) {
    for (const tag of (await listTags(url, repository)).sort()) {
      images.push({ repository, tag, digest: await manifestDigest(url, repository, tag) });
    }
  }
  return images;
}

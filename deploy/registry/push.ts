// Pushes a single-manifest OCI image layout to a registry over the distribution HTTP API:
// each blob is checked with HEAD, uploaded with POST (start) + PUT (monolithic, with the
// digest) when missing, then the manifest is PUT under the tag.

import { readBlob, type Descriptor, type OciImage } from '../images/oci.js';

export interface ImageRef {
  /** Repository inside the registry, e.g. `library/busybox`. */
  repository: string;
  tag: string;
}

/**
 * Where a fully-qualified name lives in a mirror of its registry: `docker.io/library/busybox:latest`
 * → `library/busybox` / `latest`; `registry.k8s.io/pause:3.10` → `pause` / `3.10`.
 */
export function mirrorRef(name: string): ImageRef {
  const slash = name.indexOf('/');
  const hasDomain = slash > 0 && /[.:]|^localhost$/.test(name.slice(0, slash));
  const domain = hasDomain ? name.slice(0, slash) : 'docker.io';
  const rest = hasDomain ? name.slice(slash + 1) : name;
  const colon = rest.lastIndexOf(':');
  const tagged = colon > rest.lastIndexOf('/');
  const path = tagged ? rest.slice(0, colon) : rest;
  const repository = domain === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  return { repository, tag: tagged ? rest.slice(colon + 1) : 'latest' };
}

async function expect(res: Response, ok: number[], what: string): Promise<Response> {
  if (!ok.includes(res.status)) throw new Error(`registry ${what}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

async function pushBlob(registryUrl: string, repository: string, layoutDir: string, desc: Descriptor): Promise<void> {
  const head = await fetch(`${registryUrl}/v2/${repository}/blobs/${desc.digest}`, { method: 'HEAD' });
  if (head.status === 200) return;
  const start = await expect(await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' }), [202], `start upload of ${desc.digest}`);
  const location = start.headers.get('location');
  if (!location) throw new Error(`registry gave no upload location for ${desc.digest}`);
  const target = new URL(location, registryUrl);
  target.searchParams.set('digest', desc.digest);
  const body = readBlob(layoutDir, desc.digest);
  await expect(
    await fetch(target, { method: 'PUT', body, headers: { 'Content-Type': 'application/octet-stream' } }),
    [201],
    `upload of ${desc.digest}`,
  );
}

/** Pushes `image` as `ref` (default: its mirror reference) and returns the manifest digest. */
export async function pushImage(registryUrl: string, image: OciImage, ref: ImageRef = mirrorRef(image.name)): Promise<string> {
  for (const desc of [image.config, ...image.layers]) await pushBlob(registryUrl, ref.repository, image.layoutDir, desc);
  const manifest = readBlob(image.layoutDir, image.manifest.digest);
  const res = await expect(
    await fetch(`${registryUrl}/v2/${ref.repository}/manifests/${ref.tag}`, { method: 'PUT', body: manifest, headers: { 'Content-Type': image.manifest.mediaType } }),
    [201],
    `manifest ${ref.repository}:${ref.tag}`,
  );
  return res.headers.get('docker-content-digest') ?? image.manifest.digest;
}

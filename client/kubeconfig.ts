// kubectl's kubeconfig, loaded the way kubectl loads it: `--kubeconfig` names one file that
// must exist; otherwise KUBECONFIG lists files joined by ':' (missing ones skipped) merged
// so that the first file to define a cluster, user, context or current-context wins;
// otherwise ~/.kube/config. A context picks a cluster (server, CA, TLS checks), a user
// (token, token file, client certificate) and a namespace. Relative file paths in a file are
// relative to that file's directory.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

export interface KubeconfigCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

export interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
}

export interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

/** A kubeconfig as parsed (named entries as maps), with file paths already absolute. */
export interface Kubeconfig {
  clusters: Map<string, KubeconfigCluster>;
  users: Map<string, KubeconfigUser>;
  contexts: Map<string, KubeconfigContext>;
  currentContext?: string;
}

/** Everything a client needs to reach and authenticate to one API server. */
export interface ClientConfig {
  server: string;
  /** PEM of the CA that signs the server's certificate; the system roots when absent. */
  ca?: Buffer;
  insecureSkipTLSVerify: boolean;
  tlsServerName?: string;
  token?: string;
  /** Re-read now and then (a rotated token takes effect without a restart). */
  tokenFile?: string;
  cert?: Buffer;
  key?: Buffer;
  /** The context's namespace, `default` when it names none. */
  namespace: string;
  contextName?: string;
}

export interface LoadOptions {
  /** `--kubeconfig`: this file only. */
  kubeconfig?: string;
  /** `--context`: instead of current-context. */
  context?: string;
  env?: Record<string, string | undefined>;
  home?: string;
}

type NamedList<T> = { name?: string } & { [K in 'cluster' | 'user' | 'context']?: T };

const PATH_FIELDS = {
  cluster: ['certificate-authority'],
  user: ['tokenFile', 'client-certificate', 'client-key'],
} as const;

/** Parses one kubeconfig file's text; relative paths resolve against `dir`. */
export function parseKubeconfig(text: string, dir: string, source = 'kubeconfig'): Kubeconfig {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (err) {
    throw new Error(`kubeconfig ${source}: not valid YAML: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`kubeconfig ${source}: not a Config object`);
  const raw = doc as Record<string, unknown>;
  const named = <T extends object>(field: 'clusters' | 'users' | 'contexts', inner: 'cluster' | 'user' | 'context', paths: readonly string[]): Map<string, T> => {
    const out = new Map<string, T>();
    const list = raw[field] ?? [];
    if (!Array.isArray(list)) throw new Error(`kubeconfig ${source}: ${field} must be a list`);
    for (const entry of list as NamedList<T>[]) {
      if (!entry?.name) throw new Error(`kubeconfig ${source}: an entry of ${field} has no name`);
      const value = { ...(entry[inner] ?? {}) } as Record<string, unknown>;
      for (const p of paths) if (typeof value[p] === 'string' && value[p] !== '' && !isAbsolute(value[p] as string)) value[p] = resolve(dir, value[p] as string);
      // Within one file the first entry of a name wins too, as client-go's loader does.
      if (!out.has(entry.name)) out.set(entry.name, value as T);
    }
    return out;
  };
  const current = raw['current-context'];
  return {
    clusters: named<KubeconfigCluster>('clusters', 'cluster', PATH_FIELDS.cluster),
    users: named<KubeconfigUser>('users', 'user', PATH_FIELDS.user),
    contexts: named<KubeconfigContext>('contexts', 'context', []),
    currentContext: typeof current === 'string' && current !== '' ? current : undefined,
  };
}

/** Merges configs in precedence order: the first to define a name (or current-context) wins. */
export function mergeKubeconfigs(configs: Kubeconfig[]): Kubeconfig {
  const merged: Kubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const c of configs) {
    for (const [k, v] of c.clusters) if (!merged.clusters.has(k)) merged.clusters.set(k, v);
    for (const [k, v] of c.users) if (!merged.users.has(k)) merged.users.set(k, v);
    for (const [k, v] of c.contexts) if (!merged.contexts.has(k)) merged.contexts.set(k, v);
    merged.currentContext ??= c.currentContext;
  }
  return merged;
}

/** The files kubectl would read, in precedence order, and how to name them in errors. */
export function kubeconfigFiles(opts: LoadOptions = {}): { files: string[]; explicit: boolean } {
  if (opts.kubeconfig) return { files: [opts.kubeconfig], explicit: true };
  const env = opts.env ?? process.env;
  const list = env.KUBECONFIG;
  if (list) return { files: list.split(delimiter).filter((f) => f !== ''), explicit: false };
  return { files: [join(opts.home ?? homedir(), '.kube', 'config')], explicit: false };
}

/** Loads and merges the kubeconfig files and resolves the chosen context to a ClientConfig. */
export function loadClientConfig(opts: LoadOptions = {}): ClientConfig {
  const { files, explicit } = kubeconfigFiles(opts);
  const source = files.join(delimiter);
  const configs: Kubeconfig[] = [];
  for (const file of files) {
    if (!existsSync(file)) {
      if (explicit) throw new Error(`kubeconfig ${file}: no such file`);
      continue;
    }
    configs.push(parseKubeconfig(readFileSync(file, 'utf8'), dirname(resolve(file)), file));
  }
  if (configs.length === 0) throw new Error(`kubeconfig ${source}: no configuration found (use --kubeconfig or KUBECONFIG)`);
  return resolveContext(mergeKubeconfigs(configs), opts.context, source);
}

/** Resolves a context of a (merged) kubeconfig; `source` names the files in errors. */
export function resolveContext(config: Kubeconfig, contextName: string | undefined, source: string): ClientConfig {
  const name = contextName || config.currentContext;
  if (!name) throw new Error(`kubeconfig ${source}: no current-context is set (use --context)`);
  const context = config.contexts.get(name);
  if (!context) throw new Error(`kubeconfig ${source}: context "${name}" not found`);
  if (!context.cluster) throw new Error(`kubeconfig ${source}: context "${name}" names no cluster`);
  const cluster = config.clusters.get(context.cluster);
  if (!cluster) throw new Error(`kubeconfig ${source}: cluster "${context.cluster}" (of context "${name}") not found`);
  if (!cluster.server) throw new Error(`kubeconfig ${source}: cluster "${context.cluster}" has no server`);
  const user = context.user ? config.users.get(context.user) : {};
  if (!user) throw new Error(`kubeconfig ${source}: user "${context.user}" (of context "${name}") not found`);

  const file = (what: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`kubeconfig ${source}: cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const material = (what: string, data: string | undefined, path: string | undefined): Buffer | undefined =>
    data ? Buffer.from(data, 'base64') : path ? file(what, path) : undefined;

  const out: ClientConfig = {
    server: cluster.server.replace(/\/+$/, ''),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    namespace: context.namespace || 'default',
    contextName: name,
  };
  const ca = material('certificate-authority', cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (ca) out.ca = ca;
  if (cluster['tls-server-name']) out.tlsServerName = cluster['tls-server-name'];
  if (user.token) out.token = user.token;
  else if (user.tokenFile) {
    file('tokenFile', user.tokenFile);
    out.tokenFile = user.tokenFile;
  }
  const cert = material('client-certificate', user['client-certificate-data'], user['client-certificate']);
  const key = material('client-key', user['client-key-data'], user['client-key']);
  if ((cert === undefined) !== (key === undefined)) {
    throw new Error(`kubeconfig ${source}: user "${context.user}" needs both a client certificate and a client key`);
  }
  if (cert && key) {
    out.cert = cert;
    out.key = key;
  }
  return out;
}

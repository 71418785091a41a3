// The kubeconfig kubectl would use, as `config view` shows it and `config use-context`
// changes it: every file merged (first definition wins), optionally cut down to the current
// context (--minify), secrets redacted unless --raw. Pure apart from reading and writing files.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { kubeconfigFiles, mergeKubeconfigs, parseKubeconfig, type Kubeconfig, type LoadOptions } from '../../client/kubeconfig.js';

/** The files that exist, in precedence order, each parsed; the explicit file must exist. */
export function loadKubeconfigs(opts: LoadOptions): { files: string[]; configs: Kubeconfig[] } {
  const { files, explicit } = kubeconfigFiles(opts);
  const present = files.filter((f) => existsSync(f));
  if (explicit && !present.length) throw new Error(`kubeconfig ${files[0]}: no such file`);
  return { files: present, configs: present.map((f) => parseKubeconfig(readFileSync(f, 'utf8'), dirname(resolve(f)), f)) };
}

const DATA_FIELDS = new Set(['certificate-authority-data', 'client-certificate-data', 'client-key-data']);
const SECRET_FIELDS = new Set(['token', 'password']);

function redact(entry: object, raw: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (!raw && DATA_FIELDS.has(k) && v) out[k] = 'DATA+OMITTED';
    else if (!raw && SECRET_FIELDS.has(k) && v) out[k] = 'REDACTED';
    else out[k] = v;
  }
  return out;
}

export interface ViewOptions {
  minify?: boolean;
  raw?: boolean;
  /** --context: the context --minify keeps. */
  context?: string;
}

/** The merged config as a Config object, ready to print. */
export function viewConfig(config: Kubeconfig, opts: ViewOptions = {}): Record<string, unknown> {
  let contexts = [...config.contexts];
  let clusters = [...config.clusters];
  let users = [...config.users];
  const current = opts.context || config.currentContext;
  if (opts.minify) {
    if (!current) throw new Error('current-context must exist in order to minify');
    const ctx = config.contexts.get(current);
    if (!ctx) throw new Error(`cannot locate context ${current}`);
    contexts = [[current, ctx]];
    clusters = clusters.filter(([name]) => name === ctx.cluster);
    users = users.filter(([name]) => name === ctx.user);
  }
  return {
    apiVersion: 'v1',
    clusters: clusters.map(([name, cluster]) => ({ cluster: redact(cluster, opts.raw ?? false), name })),
    contexts: contexts.map(([name, context]) => ({ context: { ...context }, name })),
    'current-context': opts.minify ? current : (config.currentContext ?? ''),
    kind: 'Config',
    preferences: {},
    users: users.map(([name, user]) => ({ name, user: redact(user, opts.raw ?? false) })),
  };
}

/** get-contexts rows: CURRENT NAME CLUSTER AUTHINFO NAMESPACE. */
export function contextRows(config: Kubeconfig, only?: string): string[][] {
  const rows: string[][] = [];
  for (const [name, ctx] of config.contexts) {
    if (only && name !== only) continue;
    rows.push([name === config.currentContext ? '*' : '', name, ctx.cluster ?? '', ctx.user ?? '', ctx.namespace ?? '']);
  }
  return rows;
}

/**
 * Sets current-context where kubectl would: in the first file that already sets one, else in
 * the first file. Edits the YAML document in place, so comments and order are kept.
 */
export function useContext(files: string[], configs: Kubeconfig[], name: string): string {
  const merged = mergeKubeconfigs(configs);
  if (!merged.contexts.has(name)) {
    const known = [...merged.contexts.keys()];
    throw new Error(`no context exists with the name: "${name}"${known.length ? `; the contexts are: ${known.join(', ')}` : ''}`);
  }
  const index = Math.max(0, configs.findIndex((c) => c.currentContext !== undefined));
  const file = files[index];
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.set('current-context', name);
  writeFileSync(file, doc.toString());
  return file;
}

export interface ContextChanges {
  cluster?: string;
  user?: string;
  namespace?: string;
}

/**
 * Creates or changes a context, in the file that defines it (a new one goes to the first
 * file), as `kubectl config set-context` does; comments and order are kept. Returns whether
 * it was created.
 */
export function setContext(files: string[], configs: Kubeconfig[], name: string, changes: ContextChanges): { file: string; created: boolean } {
  const index = configs.findIndex((c) => c.contexts.has(name));
  const file = files[Math.max(0, index)];
  const doc = parseDocument(readFileSync(file, 'utf8'));
  let contexts = doc.get('contexts');
  if (!isSeq(contexts)) {
    doc.set('contexts', doc.createNode([]));
    contexts = doc.get('contexts');
  }
  if (!isSeq(contexts)) throw new Error(`kubeconfig ${file}: contexts is not a list`);
  let entry = contexts.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === name);
  const created = !entry;
  if (!entry) {
    entry = doc.createNode({ name, context: {} }) as YAMLMap;
    contexts.items.push(entry);
  }
  if (!isMap(entry.get('context'))) entry.set('context', doc.createNode({}));
  const context = entry.get('context') as YAMLMap;
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) context.set(key, value);
  writeFileSync(file, doc.toString());
  return { file, created };
}

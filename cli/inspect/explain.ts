// `skiff explain KIND[.field.path] [--recursive]`: the documentation of a kind or one of its
// fields from the server's OpenAPI v3 (`/openapi/v3` index, then the group-version document),
// printed in kubectl's plaintext layout: KIND/VERSION, FIELD, DESCRIPTION, then the fields with
// their types (`<[]Container>`, `<map[string]string>`) and descriptions.

import { groupVersionPath, type ResourceType } from '../../api/resources.js';
import type { RestClient } from '../../client/rest.js';
import { connect, resolveKind, type ConnectionFlags } from '../resources/connection.js';

export interface Schema {
  type?: string;
  description?: string;
  $ref?: string;
  allOf?: Schema[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

export interface OpenAPIDocument {
  components?: { schemas?: Record<string, Schema> };
}

export interface ExplainFlags extends ConnectionFlags {
  recursive?: boolean;
  apiVersion?: string;
}

const isSchema = (s: Schema | boolean | undefined): s is Schema => typeof s === 'object' && s !== null;

function resolveRef(doc: OpenAPIDocument, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop() ?? '';
  return doc.components?.schemas?.[name] ?? schema;
}

/** kubectl's type hint: `string`, `Object`, `[]Container`, `map[string]string`, `ObjectMeta`. */
export function typeGuess(doc: OpenAPIDocument, s: Schema): string {
  if (s.items) return `[]${typeGuess(doc, s.items)}`;
  if (isSchema(s.additionalProperties)) return `map[string]${typeGuess(doc, s.additionalProperties)}`;
  if (s.allOf?.length === 1 && !s.properties) return typeGuess(doc, s.allOf[0]);
  if (s.$ref) {
    const target = resolveRef(doc, s);
    if (target === s || !target.type || target.type === 'object') return (s.$ref.split('/').pop() ?? '').split('.').pop() || 'Object';
    return target.type;
  }
  return !s.type || s.type === 'object' ? 'Object' : s.type;
}

/** Greedy word wrap at `width`, keeping the text's own line breaks and words longer than a line. */
export function wrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        if (current && current.length + 1 + word.length > width) {
          out.push(current);
          current = word;
        } else {
          current = current ? `${current} ${word}` : word;
        }
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

/** Indents every line, the empty ones too, as kubectl's template does. */
const indent = (text: string, n: number) => ' '.repeat(n) + text.replace(/\n/g, `\n${' '.repeat(n)}`);

function enumText(s: Schema, long: boolean, indentAmount: number): string {
  if (!s.enum?.length) return '';
  const show = (v: unknown) => (v === '' ? '""' : String(v));
  if (long) return `ENUM:${s.enum.map((v) => `\n    ${show(v)}`).join('')}`;
  const shown = s.enum.slice(0, 4).map(show).join(', ');
  return `\n${' '.repeat(indentAmount)}enum: ${shown}${s.enum.length > 4 ? ', ....' : ''}`;
}

function description(doc: OpenAPIDocument, s: Schema): string {
  const r = resolveRef(doc, s);
  let out = r.description ? `${r.description}\n` : '';
  for (const sub of r.allOf ?? []) out += description(doc, sub);
  if (r.items) out += description(doc, r.items);
  if (isSchema(r.additionalProperties)) out += description(doc, r.additionalProperties);
  return out;
}

function fieldList(doc: OpenAPIDocument, s: Schema, level: number, recursive: boolean, seen: Set<string>): string {
  if (s.$ref && seen.has(s.$ref)) return '';
  const history = new Set(seen);
  if (s.$ref) history.add(s.$ref);
  const r = resolveRef(doc, s);
  let out = '';
  for (const name of Object.keys(r.properties ?? {}).sort()) {
    const field = r.properties![name];
    const pad = level * 2;
    out += `${' '.repeat(pad)}${name}\t<${typeGuess(doc, field)}>${r.required?.includes(name) ? ' -required-' : ''}${enumText(field, false, pad)}\n`;
    if (recursive) out += fieldList(doc, field, level + 1, recursive, history);
    else out += `${indent(wrap(field.description ?? '<no description>', 78 - pad), pad + 2)}\n\n`;
  }
  for (const sub of r.allOf ?? []) out += fieldList(doc, sub, level, recursive, history);
  if (r.items) out += fieldList(doc, r.items, level, recursive, history);
  if (isSchema(r.additionalProperties)) out += fieldList(doc, r.additionalProperties, level, recursive, history);
  return out;
}

/** The text for `schema` at `path` (field names below the kind); undefined when a field does not exist. */
function output(doc: OpenAPIDocument, s: Schema, path: string[], recursive: boolean, seen: Set<string>): string | undefined {
  const r = resolveRef(doc, s);
  if (path.length === 0) {
    let out = `DESCRIPTION:\n${indent(wrap(description(doc, s) || '<empty>', 76), 4)}\n`;
    const fields = fieldList(doc, s, 1, recursive, new Set());
    if (fields) out += `FIELDS:\n${fields}`;
    return out;
  }
  if (s.$ref && seen.has(s.$ref)) return undefined;
  const next = new Set(seen);
  if (s.$ref) next.add(s.$ref);
  const field = r.properties?.[path[0]];
  if (field) {
    const head = path.length === 1 ? `FIELD: ${path[0]} <${typeGuess(doc, field)}>\n${enumText(field, true, 0)}\n\n` : '';
    const rest = output(doc, field, path.slice(1), recursive, new Set());
    return rest === undefined ? undefined : head + rest;
  }
  if (r.items) return output(doc, r.items, path, recursive, next);
  if (isSchema(r.additionalProperties)) return output(doc, r.additionalProperties, path, recursive, next);
  for (const sub of r.allOf ?? []) {
    const found = output(doc, sub, path, recursive, next);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The full explanation of `type` at `path`, or an error naming what is missing. */
export function explain(doc: OpenAPIDocument, type: Pick<ResourceType, 'group' | 'version' | 'kind'>, path: string[], recursive: boolean): string {
  const schema = Object.values(doc.components?.schemas ?? {}).find((s) =>
    s['x-kubernetes-group-version-kind']?.some((g) => g.group === type.group && g.version === type.version && g.kind === type.kind),
  );
  const gv = type.group ? `${type.group}/${type.version}` : type.version;
  if (!schema) throw new Error(`the server publishes no schema for ${type.kind} (${gv}) in /openapi/v3`);
  const body = output(doc, schema, path, recursive, new Set());
  if (body === undefined) throw new Error(`field "${path[path.length - 1]}" does not exist in ${[type.kind, ...path].join('.')}`);
  const header = `${type.group ? `GROUP:      ${type.group}\n` : ''}KIND:       ${type.kind}\nVERSION:    ${type.version}\n\n`;
  return `${header}${body}\n`;
}

interface OpenAPIIndex {
  paths: Record<string, { serverRelativeURL: string }>;
}

async function fetchDocument(client: RestClient, type: ResourceType): Promise<OpenAPIDocument> {
  const index = await client.send<OpenAPIIndex>('GET', '/openapi/v3', undefined);
  const key = groupVersionPath(type).slice(1);
  const entry = index.paths?.[key];
  if (!entry) throw new Error(`the server's /openapi/v3 has no document for ${key}`);
  const [path, query] = entry.serverRelativeURL.split('?');
  return client.send<OpenAPIDocument>('GET', path, undefined, { query: Object.fromEntries(new URLSearchParams(query ?? '')) });
}

export async function runExplain(what: string, flags: ExplainFlags): Promise<number> {
  const conn = await connect(flags);
  try {
    const parts = what.split('.').filter((p) => p !== '');
    // `deployments.apps.spec`: the longest prefix that names a kind is the kind.
    let cut = parts.length;
    while (cut > 1 && !conn.registry.resolve(parts.slice(0, cut).join('.'))) cut--;
    let type = resolveKind(parts.slice(0, cut).join('.'), conn.registry);
    if (flags.apiVersion) {
      const wanted = conn.registry.all().find((t) => t.kind === type.kind && t.group === type.group && (t.group ? `${t.group}/${t.version}` : t.version) === flags.apiVersion);
      if (!wanted) throw new Error(`${type.kind} is not served as ${flags.apiVersion}`);
      type = wanted;
    }
    const doc = await fetchDocument(conn.client, type);
    process.stdout.write(explain(doc, type, parts.slice(cut), flags.recursive === true));
    return 0;
  } finally {
    conn.client.close();
  }
}

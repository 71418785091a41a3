// `skiff get`: asks the server for Tables (it knows each kind's columns) and prints them as
// kubectl does, or fetches the objects for -o yaml|json|name|jsonpath=...

import { resourcePath, apiVersionOf, type ResourceType } from '../../api/resources.js';
import type { KubeList, KubeObject } from '../../api/types.js';
import { stringify } from 'yaml';
import { connect, kindName, resolveKinds, type Connection, type ConnectionFlags } from './connection.js';
import { evaluateJsonPath } from './jsonpath.js';
import { describeError, printError, printOut } from './output.js';
import { mergeTables, padColumns, TABLE_ACCEPT, tableLines, type ServerTable } from './table.js';
import { endOnClosedStdout } from '../inspect/stream.js';
import { watchTable } from './watch.js';

export { TABLE_ACCEPT };

export interface GetFlags extends ConnectionFlags {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  showLabels?: boolean;
  noHeaders?: boolean;
  /** Print the table, then a row for every change (kubectl's -w). */
  watch?: boolean;
  /** Only the changes from now on. */
  watchOnly?: boolean;
}

export type OutputFormat = { kind: 'table'; wide: boolean } | { kind: 'yaml' | 'json' | 'name' } | { kind: 'jsonpath'; template: string };

export function parseOutput(output: string | undefined): OutputFormat {
  if (!output || output === 'wide') return { kind: 'table', wide: output === 'wide' };
  if (output === 'yaml' || output === 'json' || output === 'name') return { kind: output };
  const m = /^jsonpath=(.*)$/s.exec(output);
  if (m) return { kind: 'jsonpath', template: m[1] };
  throw new Error(`unknown output format "${output}"; use one of: wide, yaml, json, name, jsonpath=TEMPLATE`);
}

interface KindRequest {
  type: ResourceType;
  namespace?: string;
}

/** Runs `get`; returns the exit code. */
export async function runGet(kinds: string, names: string[], flags: GetFlags): Promise<number> {
  const format = parseOutput(flags.output);
  const conn = await connect(flags);
  try {
    const kindNames = kinds.split(',').filter((k) => k !== '');
    const requests: KindRequest[] = kindNames
      .flatMap((k) => resolveKinds(k, conn.registry))
      .map((type) => ({ type, namespace: type.namespaced && !flags.allNamespaces ? conn.namespace : undefined }));
    if (names.length && flags.allNamespaces) throw new Error('a resource cannot be retrieved by name across all namespaces');
    if (flags.watch || flags.watchOnly) return await watchOne(conn, requests, names, flags, format);
    return format.kind === 'table' ? await printTables(conn, requests, names, flags, format.wide) : await printObjects(conn, requests, names, flags, format);
  } finally {
    conn.client.close();
  }
}

/** `get -w`: one kind, at most one name, as a table; runs until interrupted. */
async function watchOne(conn: Connection, requests: KindRequest[], names: string[], flags: GetFlags, format: OutputFormat): Promise<number> {
  if (format.kind !== 'table') throw new Error('skiff get -w prints tables; leave out -o (or use -o wide)');
  if (requests.length !== 1) throw new Error('skiff get -w watches one kind at a time');
  if (names.length > 1) throw new Error('skiff get -w watches one object by name, or all of a kind');
  const [req] = requests;
  endOnClosedStdout();
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await watchTable(
      conn,
      { type: req.type, namespace: req.namespace, name: names[0], labelSelector: flags.selector, fieldSelector: flags.fieldSelector },
      { wide: format.wide, withNamespace: flags.allNamespaces && req.type.namespaced, showLabels: flags.showLabels, noHeaders: flags.noHeaders, watchOnly: flags.watchOnly },
      (text) => process.stdout.write(text),
      stop.signal,
    );
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  return 0;
}

async function printTables(conn: Connection, requests: KindRequest[], names: string[], flags: GetFlags, wide: boolean): Promise<number> {
  let failed = false;
  const blocks: string[] = [];
  for (const req of requests) {
    const tables: ServerTable[] = [];
    const fetches = names.length ? names.map((n) => resourcePath(req.type, req.namespace, n)) : [resourcePath(req.type, req.namespace)];
    for (const path of fetches) {
      try {
        tables.push(
          await conn.client.send<ServerTable>('GET', path, undefined, {
            headers: { Accept: TABLE_ACCEPT },
            query: names.length ? {} : { labelSelector: flags.selector, fieldSelector: flags.fieldSelector },
          }),
        );
      } catch (err) {
        failed = true;
        printError(describeError(err));
      }
    }
    const table = mergeTables(tables);
    if (!table || table.rows.length === 0) continue;
    const lines = tableLines(table, {
      wide,
      withNamespace: flags.allNamespaces && req.type.namespaced,
      showLabels: flags.showLabels,
      noHeaders: flags.noHeaders,
      namePrefix: requests.length > 1 ? `${kindName(req.type)}/` : undefined,
    });
    blocks.push(padColumns(lines));
  }
  if (blocks.length) process.stdout.write(blocks.join('\n'));
  else if (!failed) noResources(conn, requests, flags);
  return failed ? 1 : 0;
}

function noResources(conn: Connection, requests: KindRequest[], flags: GetFlags): void {
  const namespaced = requests.some((r) => r.type.namespaced);
  process.stderr.write(namespaced && !flags.allNamespaces ? `No resources found in ${conn.namespace} namespace.\n` : 'No resources found\n');
}

async function printObjects(conn: Connection, requests: KindRequest[], names: string[], flags: GetFlags, format: Exclude<OutputFormat, { kind: 'table' }>): Promise<number> {
  let failed = false;
  const objects: KubeObject[] = [];
  for (const req of requests) {
    const client = conn.client.resource(req.type);
    const withKind = (o: KubeObject): KubeObject => ({ apiVersion: apiVersionOf(req.type), kind: req.type.kind, ...o });
    if (names.length) {
      for (const name of names) {
        try {
          objects.push(withKind(await client.get(req.namespace, name)));
        } catch (err) {
          failed = true;
          printError(describeError(err));
        }
      }
    } else {
      try {
        const list: KubeList = await client.list(req.namespace, { labelSelector: flags.selector, fieldSelector: flags.fieldSelector });
        objects.push(...list.items.map(withKind));
      } catch (err) {
        failed = true;
        printError(describeError(err));
      }
    }
  }
  // One object asked for by name prints as itself; anything else as a List, as kubectl does.
  const single = requests.length === 1 && names.length === 1;
  if (single && objects.length === 0) return 1;
  if (!single && objects.length === 0 && format.kind === 'name') {
    if (!failed) noResources(conn, requests, flags);
    return failed ? 1 : 0;
  }
  const data: unknown = single ? objects[0] : { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: objects };
  switch (format.kind) {
    case 'json':
      printOut(JSON.stringify(data, null, 4));
      break;
    case 'yaml':
      process.stdout.write(stringify(data));
      break;
    case 'name':
      for (const o of objects) {
        const type = conn.registry.byKind(o.apiVersion ?? '', o.kind ?? '');
        printOut(`${type ? kindName(type) : (o.kind ?? '').toLowerCase()}/${o.metadata?.name ?? ''}`);
      }
      break;
    case 'jsonpath':
      process.stdout.write(evaluateJsonPath(format.template, data));
      break;
  }
  return failed ? 1 : 0;
}

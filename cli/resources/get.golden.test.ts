// `skiff get` output for fixed objects, byte for byte (testdata/get/*.txt): the Tables the API
// server builds (its printers, with the clock fixed) printed as the CLI prints them.
// `UPDATE_GOLDEN=1` rewrites the files.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { toTable } from '../../apiserver/tables/index.js';
import { expectGolden } from '../inspect/golden.js';
import * as f from '../inspect/describe/fixtures.js';
import { padColumns, tableLines, type ServerTable, type TableOptions } from './table.js';
import { RowPrinter } from './watch.js';

const kind = (resource: string) => BUILTIN_RESOURCES.find((t) => t.resource === resource)!;
const golden = (name: string) => join(import.meta.dirname, 'testdata', 'get', `${name}.txt`);

function printed(resource: string, objects: KubeObject[], opts: TableOptions = {}): string {
  const table = toTable(kind(resource), objects, { includeObject: 'Metadata', now: f.NOW }) as unknown as ServerTable;
  return padColumns(tableLines(table, opts));
}

describe('get tables (golden files)', () => {
  const cases: [string, () => string][] = [
    ['pods', () => printed('pods', f.pods)],
    ['pods-wide', () => printed('pods', f.pods, { wide: true })],
    ['pods-all-namespaces-labels', () => printed('pods', [...f.pods, ...f.daemonPods], { withNamespace: true, showLabels: true })],
    ['deployments-wide', () => printed('deployments', [f.deployment], { wide: true })],
    ['replicasets', () => printed('replicasets', f.replicaSets)],
    ['services', () => printed('services', [f.service])],
    ['nodes-wide', () => printed('nodes', [f.node], { wide: true })],
    ['jobs', () => printed('jobs', [f.job])],
    ['daemonsets-no-headers', () => printed('daemonsets', [f.daemonSet], { noHeaders: true })],
    ['namespaces', () => printed('namespaces', [f.namespace])],
    ['several-kinds', () => [printed('deployments', [f.deployment], { namePrefix: 'deployment.apps/' }), printed('services', [f.service], { namePrefix: 'service/' })].join('\n')],
  ];
  it.each(cases)('%s', (name, print) => expectGolden(golden(name), print()));
});

describe('RowPrinter (get -w)', () => {
  it('keeps rows under their header as later rows widen columns', () => {
    const p = new RowPrinter();
    expect(p.format([['NAME', 'READY'], ['web', '1/1']])).toBe('NAME   READY\nweb    1/1\n');
    expect(p.format([['web-long-name', '0/1']])).toBe('web-long-name   0/1\n');
    expect(p.format([['db', '1/1']])).toBe('db              1/1\n');
  });
});

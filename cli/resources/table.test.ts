import { describe, expect, it } from 'vitest';
import { formatLabels, mergeTables, padColumns, tableLines, type ServerTable, type TableOptions } from './table.js';

const pods: ServerTable = {
  kind: 'Table',
  columnDefinitions: [
    { name: 'Name', type: 'string' },
    { name: 'Ready', type: 'string' },
    { name: 'Age', type: 'string' },
    { name: 'IP', type: 'string', priority: 1 },
  ],
  rows: [
    { cells: ['web-1', '1/1', '5m', '10.0.0.12'], object: { metadata: { name: 'web-1', namespace: 'default', labels: { tier: 'front', app: 'web' } } } },
    { cells: ['db', '0/1', '12d', null], object: { metadata: { name: 'db', namespace: 'data' } } },
  ],
};

describe('tableLines + padColumns', () => {
  const cases: { name: string; opts: TableOptions; want: string }[] = [
    {
      name: 'default: priority-1 columns hidden, three spaces between padded columns',
      opts: {},
      want: 'NAME    READY   AGE\nweb-1   1/1     5m\ndb      0/1     12d\n',
    },
    {
      name: 'wide: priority-1 columns shown, a null cell as <none>',
      opts: { wide: true },
      want: 'NAME    READY   AGE   IP\nweb-1   1/1     5m    10.0.0.12\ndb      0/1     12d   <none>\n',
    },
    {
      name: 'all namespaces: NAMESPACE first',
      opts: { withNamespace: true },
      want: 'NAMESPACE   NAME    READY   AGE\ndefault     web-1   1/1     5m\ndata        db      0/1     12d\n',
    },
    {
      name: 'show labels: LABELS last, sorted, <none> when empty',
      opts: { showLabels: true },
      want: 'NAME    READY   AGE   LABELS\nweb-1   1/1     5m    app=web,tier=front\ndb      0/1     12d   <none>\n',
    },
    {
      name: 'several kinds: names prefixed with the kind',
      opts: { namePrefix: 'pod/' },
      want: 'NAME        READY   AGE\npod/web-1   1/1     5m\npod/db      0/1     12d\n',
    },
    { name: 'no headers', opts: { noHeaders: true }, want: 'web-1   1/1   5m\ndb      0/1   12d\n' },
  ];
  it.each(cases)('$name', ({ opts, want }) => {
    expect(padColumns(tableLines(pods, opts))).toBe(want);
  });

  it('prints nothing for no lines', () => {
    expect(padColumns([])).toBe('');
  });
});

describe('formatLabels', () => {
  it.each([
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ b: '2', a: '1' }, 'a=1,b=2'],
  ])('%j → %s', (labels, want) => {
    expect(formatLabels(labels)).toBe(want);
  });
});

describe('mergeTables', () => {
  it('joins the rows of per-name tables under the first columns', () => {
    const one = { ...pods, rows: [pods.rows[0]] };
    const two = { ...pods, rows: [pods.rows[1]] };
    expect(mergeTables([one, two])?.rows.map((r) => r.cells[0])).toEqual(['web-1', 'db']);
    expect(mergeTables([])).toBeUndefined();
  });
});

// Printing a server-side Table (meta.k8s.io/v1) the way kubectl does: upper-case headers,
// columns padded with three spaces, priority-1 columns only when wide, NAMESPACE first for
// all namespaces, LABELS last when asked.

import type { KubeObject } from '../../api/types.js';

/** What `get` asks for: a Table (the server knows each kind's columns), else plain JSON. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export interface TableColumn {
  name: string;
  type?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: KubeObject;
}

export interface ServerTable {
  kind: 'Table';
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

export interface TableOptions {
  wide?: boolean;
  withNamespace?: boolean;
  showLabels?: boolean;
  /** Prefix for the NAME cell (`deployment.apps/`) when several kinds print together. */
  namePrefix?: string;
  /** Leave out the header row (kubectl's --no-headers). */
  noHeaders?: boolean;
}

/** The labels as kubectl shows them: `a=b,c=d` sorted by key, `<none>` when there are none. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The rows of text (header first) for one table. */
export function tableLines(table: ServerTable, opts: TableOptions = {}): string[][] {
  const shown = table.columnDefinitions.map((c, i) => ({ c, i })).filter(({ c }) => opts.wide || !c.priority);
  const header = shown.map(({ c }) => c.name.toUpperCase());
  const nameIndex = table.columnDefinitions.findIndex((c) => c.name.toLowerCase() === 'name');
  const rows = table.rows.map((row) =>
    shown.map(({ i }) => {
      const text = cellText(row.cells[i]);
      return i === nameIndex && opts.namePrefix ? `${opts.namePrefix}${text}` : text;
    }),
  );
  if (opts.withNamespace) {
    header.unshift('NAMESPACE');
    table.rows.forEach((row, r) => rows[r].unshift(row.object?.metadata?.namespace ?? ''));
  }
  if (opts.showLabels) {
    header.push('LABELS');
    table.rows.forEach((row, r) => rows[r].push(formatLabels(row.object?.metadata?.labels)));
  }
  return opts.noHeaders ? rows : [header, ...rows];
}

/** Lines padded to the widest cell of each column, three spaces apart, no trailing blanks. */
export function padColumns(lines: string[][]): string {
  if (lines.length === 0) return '';
  const widths: number[] = [];
  for (const line of lines) line.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return lines.map((line) => line.map((cell, i) => cell.padEnd(widths[i])).join('   ').trimEnd()).join('\n') + '\n';
}

/** Several tables of the same kind (one per name asked for) as one. */
export function mergeTables(tables: ServerTable[]): ServerTable | undefined {
  if (tables.length === 0) return undefined;
  return { kind: 'Table', columnDefinitions: tables[0].columnDefinitions, rows: tables.flatMap((t) => t.rows) };
}

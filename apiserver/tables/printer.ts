// The shape of a Table printer: the columns a kind shows and how one object fills a row.
// The server always fills every column (the `-o wide` ones included, marked priority 1);
// kubectl decides which to show.

import type { KubeObject } from '../../api/types.js';

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0: always shown; 1: shown with `-o wide`. */
  priority: number;
}

export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export type Cell = string | number | boolean;

export interface PrintedRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
}

export interface Printer<T extends KubeObject = KubeObject> {
  columns: TableColumnDefinition[];
  row(obj: T, now: Date): PrintedRow;
}

export function column(name: string, description: string, opts: { type?: TableColumnDefinition['type']; format?: string; wide?: boolean } = {}): TableColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.wide ? 1 : 0 };
}

export const nameColumn = column('Name', 'Name must be unique within a namespace; the object\'s name.', { format: 'name' });
export const ageColumn = column('Age', 'When the object was created, as time elapsed since then.');

/** A printer for one kind, typed by the object it reads. */
export function printer<T extends KubeObject>(columns: TableColumnDefinition[], row: (obj: T, now: Date) => Cell[] | PrintedRow): Printer {
  return {
    columns,
    row(obj, now) {
      const out = row(obj as T, now);
      return Array.isArray(out) ? { cells: out } : out;
    },
  };
}

// meta.k8s.io/v1 Tables: what `kubectl get` asks for (`Accept: application/json;as=Table;...`).
// One printer per served kind gives the columns kube-apiserver prints for it; every other kind
// (custom resources included) gets NAME and AGE.

import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { age } from './humanize.js';
import { printers } from './registry.js';
import { ageColumn, nameColumn, printer, type Cell, type Printer, type TableColumnDefinition, type TableRowCondition } from './printer.js';

export { humanDuration } from './humanize.js';

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
  /** The object itself, its metadata as PartialObjectMetadata, or absent (per `includeObject`). */
  object?: KubeObject;
}

export interface Table extends KubeObject {
  apiVersion: 'meta.k8s.io/v1';
  kind: 'Table';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface TableOptions {
  includeObject: IncludeObject;
  listMeta?: { resourceVersion?: string; continue?: string };
  /** The moment ages are measured from; the current time unless a test fixes it. */
  now?: Date;
}

const defaultPrinter: Printer = printer<KubeObject>([nameColumn, ageColumn], (obj, now) => [obj.metadata?.name ?? '', age(obj.metadata?.creationTimestamp, now)]);

/** The printer for a kind: its own for the built-in kinds, NAME/AGE otherwise. */
export function printerFor(type: Pick<ResourceType, 'group' | 'kind'>): Printer {
  return printers.get(`${type.group}/${type.kind}`) ?? defaultPrinter;
}

function rowObject(obj: KubeObject, includeObject: IncludeObject): KubeObject | undefined {
  switch (includeObject) {
    case 'None':
      return undefined;
    case 'Object':
      return obj;
    default:
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
  }
}

export function toTable(type: ResourceType, objects: KubeObject[], opts: TableOptions): Table {
  const p = printerFor(type);
  const now = opts.now ?? new Date();
  const metadata: Table['metadata'] = {};
  if (opts.listMeta?.resourceVersion) metadata.resourceVersion = opts.listMeta.resourceVersion;
  if (opts.listMeta?.continue) metadata.continue = opts.listMeta.continue;
  return {
    apiVersion: 'meta.k8s.io/v1',
    kind: 'Table',
    metadata,
    columnDefinitions: p.columns,
    rows: objects.map((obj) => {
      const printed = p.row(obj, now);
      const row: TableRow = { cells: printed.cells };
      if (printed.conditions) row.conditions = printed.conditions;
      const object = rowObject(obj, opts.includeObject);
      if (object) row.object = object;
      return row;
    }),
  };
}

// Tables for custom kinds, as kube-apiserver builds them from a CRD version's
// additionalPrinterColumns: NAME, then each column's JSONPath evaluated on the object (date
// columns as an age, like AGE), and a single AGE column when the version declares none.

import type { CustomResourceColumnDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../../api/types.js';
import { parsePath, select } from '../../cli/resources/jsonpath.js';
import type { IncludeObject } from '../seams.js';
import { humanDuration } from '../tables/humanize.js';
import type { TableColumnDefinition } from '../tables/printer.js';

const AGE_COLUMN: CustomResourceColumnDefinition = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

type Cell = string | number | boolean | null;

interface CompiledColumn {
  definition: TableColumnDefinition;
  type: string;
  path: ReturnType<typeof parsePath>;
}

/** JSONPaths are written `.spec.x` (upstream also takes `{.spec.x}`). */
function compile(col: CustomResourceColumnDefinition): CompiledColumn {
  return {
    definition: {
      name: col.name,
      type: (col.type === 'date' ? 'date' : col.type) as TableColumnDefinition['type'],
      format: col.format ?? '',
      description: col.description ?? `Custom resource definition column (in JSONPath format): ${col.jsonPath}`,
      priority: col.priority ?? 0,
    },
    type: col.type,
    path: parsePath(col.jsonPath.trim().replace(/^\{(.*)\}$/, '$1')),
  };
}

function cellOf(col: CompiledColumn, obj: KubeObject, now: Date): Cell {
  const found = select(obj, col.path);
  if (found.length === 0 || found[0] === undefined || found[0] === null) return null;
  const value = found[0];
  if (col.type === 'date' && typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? value : humanDuration(now.getTime() - t);
  }
  if ((col.type === 'integer' || col.type === 'number') && typeof value === 'number') return value;
  if (col.type === 'boolean' && typeof value === 'boolean') return value;
  if (found.length > 1) return found.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export interface CustomTableOptions {
  includeObject: IncludeObject;
  listMeta?: { resourceVersion?: string; continue?: string };
  now?: Date;
}

const nameDefinition: TableColumnDefinition = { name: 'Name', type: 'string', format: 'name', description: "Name must be unique within a namespace; the object's name.", priority: 0 };

/** The meta.k8s.io/v1 Table of `objects` with the version's printer columns. */
export function customTable(columns: CustomResourceColumnDefinition[], objects: KubeObject[], opts: CustomTableOptions): KubeObject {
  const compiled = (columns.length > 0 ? columns : [AGE_COLUMN]).map(compile);
  const now = opts.now ?? new Date();
  const metadata: Record<string, string> = {};
  if (opts.listMeta?.resourceVersion) metadata.resourceVersion = opts.listMeta.resourceVersion;
  if (opts.listMeta?.continue) metadata.continue = opts.listMeta.continue;
  const table = {
    apiVersion: 'meta.k8s.io/v1',
    kind: 'Table',
    metadata,
    columnDefinitions: [nameDefinition, ...compiled.map((c) => c.definition)],
    rows: objects.map((obj) => {
      const row: { cells: Cell[]; object?: KubeObject } = { cells: [obj.metadata?.name ?? '', ...compiled.map((c) => cellOf(c, obj, now))] };
      if (opts.includeObject === 'Object') row.object = obj;
      else if (opts.includeObject === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
      return row;
    }),
  };
  return table as unknown as KubeObject;
}

// The describer for every kind without its own (custom kinds included), as kubectl's generic
// describer prints them: identity, labels, annotations, then every other field as a tree of
// `Smart Label:  value` lines, keys sorted, then the events.

import type { Event, KubeObject } from '../../../api/types.js';
import { writeEvents } from './events.js';
import { DescribeWriter, writeAnnotations, writeLabels } from './writer.js';

const ACRONYMS = new Set(['API', 'URL', 'UID', 'GUID']);

/** Splits camelCase as kubectl's camelcase package does: `podCIDR` → pod, CIDR; `HTTPServer` → HTTP, Server. */
function splitCamel(field: string): string[] {
  const kind = (c: string) => (c >= 'a' && c <= 'z' ? 1 : c >= 'A' && c <= 'Z' ? 2 : 4);
  const runs: string[] = [];
  let last = 0;
  for (const c of field) {
    const k = kind(c);
    if (k === last) runs[runs.length - 1] += c;
    else runs.push(c);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (kind(runs[i][0]) === 2 && kind(runs[i + 1][0]) === 1) {
      runs[i + 1] = runs[i].slice(-1) + runs[i + 1];
      runs[i] = runs[i].slice(0, -1);
    }
  }
  return runs.filter((r) => r !== '');
}

/** `creationTimestamp` → `Creation Timestamp`, `apiVersion` → `API Version`; other keys as they are. */
export function smartLabel(field: string): string {
  if (!/^[A-Za-z-]*$/.test(field)) return field;
  const parts = splitCamel(field);
  const merged: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const next = parts[i + 1];
    if (next !== undefined && part.length >= 2 && part === part.toUpperCase() && /^[A-Z]/.test(next)) {
      merged.push(part + next);
      i++;
    } else {
      merged.push(part);
    }
  }
  return merged
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p === p.toLowerCase() ? p.charAt(0).toUpperCase() + p.slice(1) : p))
    .join(' ');
}

const SKIPPED = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function writeContent(w: DescribeWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (SKIPPED.has(path)) continue;
    if (isRecord(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      writeContent(w, level + 1, value, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const item of value) {
        if (isRecord(item)) writeContent(w, level + 1, item, path);
        else w.write(level + 1, `${String(item)}\n`);
      }
    } else {
      w.write(level, `${smartLabel(field)}:\t${value === null ? '<nil>' : String(value)}\n`);
    }
  }
}

export function describeGeneric(obj: KubeObject, events: Event[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${obj.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', obj.metadata?.labels);
  writeAnnotations(w, 'Annotations', obj.metadata?.annotations);
  writeContent(w, 0, obj as unknown as Record<string, unknown>, '');
  writeEvents(w, events, now);
  return w.toString();
}

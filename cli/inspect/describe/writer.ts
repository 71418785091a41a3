// The text kubectl describe prints: lines at indentation levels (two spaces each), cells
// separated by tabs and aligned per block (./tabwriter), and the multi-line label, annotation,
// taint and toleration lists every describer shares.

import { labelSelectorToSelector } from '../../../api/labels.js';
import type { LabelSelector, Taint, Toleration } from '../../../api/types.js';
import { alignTabs } from '../tabwriter.js';

/** kubectl shortens annotation values longer than this (and prints them on their own lines). */
const MAX_ANNOTATION_LEN = 140;
/** Annotations kubectl leaves out: the last applied manifest is noise in a description. */
const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

export class DescribeWriter {
  private readonly segments: string[] = [];
  private current = '';

  /** `text` at `level` (each level indents two spaces); tabs separate aligned cells. */
  write(level: number, text: string): void {
    this.current += '  '.repeat(level) + text;
  }

  /** Ends the current alignment: what follows lines up on its own (kubectl does it before Events). */
  flush(): void {
    this.segments.push(this.current);
    this.current = '';
  }

  toString(): string {
    return [...this.segments, this.current].map((s) => alignTabs(s)).join('');
  }
}

/** `Title:\tk=v` with one line per label, sorted; `<none>` when there are none. */
export function writeLabels(w: DescribeWriter, title: string, labels: Record<string, string> | undefined, indent = ''): void {
  w.write(0, `${indent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((key, i) => w.write(0, `${i ? `${indent}\t` : ''}${key}=${labels![key]}\n`));
}

/** Annotations as kubectl prints them: `key: value`, long or multi-line values on lines of their own. */
export function writeAnnotations(w: DescribeWriter, title: string, annotations: Record<string, string> | undefined, indent = ''): void {
  w.write(0, `${indent}${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIPPED_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((key, i) => {
    if (i) w.write(0, '\t');
    const value = annotations![key].replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const part of value.split('\n')) w.write(0, `\t  ${shorten(part, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

/** Tolerations sorted by key: `key=value:Effect op=Exists for 300s`. */
export function writeTolerations(w: DescribeWriter, title: string, tolerations: Toleration[] | undefined, indent = ''): void {
  w.write(0, `${indent}${title}:\t`);
  const list = [...(tolerations ?? [])].sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
  if (list.length === 0) return w.write(0, '<none>\n');
  list.forEach((t, i) => {
    let text = `${i ? `${indent}\t` : ''}${t.key ?? ''}`;
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) text += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${text}\n`);
  });
}

/** Taints sorted by effect then key: `key=value:Effect`. */
export function writeTaints(w: DescribeWriter, title: string, taints: Taint[] | undefined): void {
  w.write(0, `${title}:\t`);
  const list = [...(taints ?? [])].sort((a, b) => `${a.effect},${a.key}`.localeCompare(`${b.effect},${b.key}`));
  if (list.length === 0) return w.write(0, '<none>\n');
  list.forEach((t, i) => w.write(0, `${i ? '\t' : ''}${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`));
}

/** A label map as a selector (`app=web,tier=front`), `<none>` when empty. */
export function formatLabelMap(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** A LabelSelector in selector syntax; an invalid one says so rather than failing the description. */
export function formatSelector(selector: LabelSelector | undefined): string {
  try {
    return labelSelectorToSelector(selector).toString();
  } catch (err) {
    return `<invalid: ${err instanceof Error ? err.message : String(err)}>`;
  }
}

/** `Kind/name` of the object's controller, as `Controlled By:` shows it. */
export function controllerOf(meta: { ownerReferences?: { controller?: boolean; kind: string; name: string }[] } | undefined): string | undefined {
  const ref = meta?.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

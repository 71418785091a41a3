// Label and field selectors as the fake client (and informers filtering locally) apply them.
// Label selectors: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, joined by
// commas. Field selectors: `path=value`, `path==value`, `path!=value` on dotted paths
// (`metadata.name`, `spec.nodeName`, `status.phase`).

import type { KubeObject } from '../api/types.js';

type Requirement = (labels: Record<string, string>) => boolean;

/** Splits on commas that are not inside a parenthesised value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

function parseLabelTerm(term: string): Requirement {
  let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) {
    const [, key, op, list] = m;
    const values = new Set(list.split(',').map((v) => v.trim()).filter((v) => v !== ''));
    return op === 'in' ? (l) => key in l && values.has(l[key]) : (l) => !(key in l) || !values.has(l[key]);
  }
  m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(term);
  if (m) {
    const [, key, op, value] = m;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = /^(!?)\s*([^\s!=()]+)$/.exec(term);
  if (m) {
    const [, not, key] = m;
    return not ? (l) => !(key in l) : (l) => key in l;
  }
  throw new Error(`unable to parse requirement: ${JSON.stringify(term)}`);
}

/** A predicate over an object's labels; the empty selector matches everything. */
export function compileLabelSelector(selector: string): (labels: Record<string, string>) => boolean {
  const reqs = splitTerms(selector).map(parseLabelTerm);
  return (labels) => reqs.every((r) => r(labels));
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

/** A predicate over whole objects; a missing field compares as the empty string, as on the server. */
export function compileFieldSelector(selector: string): (obj: KubeObject) => boolean {
  const reqs = splitTerms(selector).map((term) => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new Error(`invalid field selector: ${JSON.stringify(term)}`);
    const [, path, op, value] = m;
    return op === '!=' ? (o: KubeObject) => fieldValue(o, path) !== value : (o: KubeObject) => fieldValue(o, path) === value;
  });
  return (obj) => reqs.every((r) => r(obj));
}

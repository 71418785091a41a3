// Label selectors: the string grammar of `?labelSelector=` and `kubectl -l`, and the
// structured metav1.LabelSelector of workload specs, both turned into one Selector that
// lists, informers, controllers and the scheduler match labels with.

import type { LabelSelector } from './types.js';
import { isLabelKey, isLabelValue } from './names.js';

export type Operator = 'Equals' | 'DoubleEquals' | 'NotEquals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'GreaterThan' | 'LessThan';

export interface Requirement {
  key: string;
  operator: Operator;
  /** Sorted; empty for Exists/DoesNotExist, one integer for GreaterThan/LessThan. */
  values: string[];
}

export interface Selector {
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when the selector has no requirements (selects everything, unless it is `nothing`). */
  isEmpty(): boolean;
  toString(): string;
  requirements: Requirement[];
}

export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

function requirementMatches(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'Equals':
    case 'DoubleEquals':
    case 'In':
      return has && r.values.includes(value as string);
    // As upstream: a missing label satisfies `!=` and `notin`.
    case 'NotEquals':
    case 'NotIn':
      return !has || !r.values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan':
    case 'LessThan': {
      if (!has || !/^-?\d+$/.test(value as string)) return false;
      const actual = Number(value);
      const bound = Number(r.values[0]);
      return r.operator === 'GreaterThan' ? actual > bound : actual < bound;
    }
  }
}

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case 'Equals':
      return `${r.key}=${r.values[0]}`;
    case 'DoubleEquals':
      return `${r.key}==${r.values[0]}`;
    case 'NotEquals':
      return `${r.key}!=${r.values[0]}`;
    case 'In':
      return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    case 'GreaterThan':
      return `${r.key}>${r.values[0]}`;
    case 'LessThan':
      return `${r.key}<${r.values[0]}`;
  }
}

class RequirementsSelector implements Selector {
  readonly requirements: Requirement[];
  constructor(requirements: Requirement[]) {
    // Sorted by key, as upstream does, so equal selectors print equally.
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  matches(labels: Record<string, string> | undefined): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }
  isEmpty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** The selector that matches nothing: what a nil metav1.LabelSelector means. */
class NothingSelector implements Selector {
  readonly requirements: Requirement[] = [];
  matches(): boolean {
    return false;
  }
  isEmpty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
}

/** Matches every object (an empty selector). */
export function everything(): Selector {
  return new RequirementsSelector([]);
}

/** Matches no object. */
export function nothing(): Selector {
  return new NothingSelector();
}

/** `a=b,c=d` for a label map: a selector that requires exactly these labels. */
export function selectorFromSet(labels: Record<string, string> | undefined): Selector {
  return new RequirementsSelector(Object.entries(labels ?? {}).map(([key, v]) => newRequirement(key, 'Equals', [v])));
}

/** Labels as `kubectl get --show-labels` prints them: `a=b,c=d` sorted by key, `<none>` if empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** Builds a requirement after checking the key, the values and their count for the operator. */
export function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const keyErrs = isLabelKey(key);
  if (keyErrs.length) throw new SelectorError(`invalid label key "${key}": ${keyErrs.join('; ')}`);
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) throw new SelectorError(`for 'in', 'notin' operators, values set can't be empty (key "${key}")`);
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) throw new SelectorError(`exact-match compatibility requires one single value (key "${key}")`);
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) throw new SelectorError(`values set must be empty for exists and does not exist (key "${key}")`);
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) throw new SelectorError(`for 'Gt', 'Lt' operators, exactly one value is required (key "${key}")`);
      if (!/^-?\d+$/.test(values[0])) throw new SelectorError(`for 'Gt', 'Lt' operators, the value must be an integer, got "${values[0]}"`);
      return { key, operator, values: [...values] };
  }
  for (const v of values) {
    const valErrs = isLabelValue(v);
    if (valErrs.length) throw new SelectorError(`invalid label value "${v}" for key "${key}": ${valErrs.join('; ')}`);
  }
  return { key, operator, values: [...new Set(values)].sort() };
}

// ---- the string grammar -------------------------------------------------------------

type TokenKind = 'ident' | 'comma' | 'eq' | 'deq' | 'neq' | 'open' | 'close' | 'not' | 'in' | 'notin' | 'gt' | 'lt' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

const SPECIAL: [string, TokenKind][] = [
  ['==', 'deq'],
  ['!=', 'neq'],
  ['=', 'eq'],
  ['!', 'not'],
  [',', 'comma'],
  ['(', 'open'],
  [')', 'close'],
  ['>', 'gt'],
  ['<', 'lt'],
];

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const special = SPECIAL.find(([s]) => text.startsWith(s, i));
    if (special) {
      tokens.push({ kind: special[1], text: special[0], pos: i });
      i += special[0].length;
      continue;
    }
    const start = i;
    while (i < text.length && !' \t\n\r'.includes(text[i]) && !SPECIAL.some(([s]) => text.startsWith(s[0], i))) i++;
    const word = text.slice(start, i);
    const kind: TokenKind = word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'ident';
    tokens.push({ kind, text: word, pos: start });
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

class Parser {
  private i = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private fail(tok: Token, expected: string): never {
    const found = tok.kind === 'end' ? 'end of string' : `'${tok.text}'`;
    throw new SelectorError(`unable to parse label selector "${this.source}": found ${found} at position ${tok.pos}, expected: ${expected}`);
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    if (this.peek().kind === 'end') return reqs;
    for (;;) {
      reqs.push(this.requirement());
      const t = this.next();
      if (t.kind === 'end') return reqs;
      if (t.kind !== 'comma') this.fail(t, "',' or end of string");
    }
  }

  private requirement(): Requirement {
    let t = this.next();
    if (t.kind === 'not') {
      t = this.next();
      if (t.kind !== 'ident') this.fail(t, 'label key after !');
      return newRequirement(t.text, 'DoesNotExist', []);
    }
    if (t.kind !== 'ident') this.fail(t, 'label key or !');
    const key = t.text;
    const op = this.peek();
    switch (op.kind) {
      case 'comma':
      case 'end':
        return newRequirement(key, 'Exists', []);
      case 'eq':
      case 'deq':
      case 'neq': {
        this.next();
        const v = this.peek();
        // `a=` means the empty value, which is a valid label value.
        const value = v.kind === 'ident' ? (this.next(), v.text) : v.kind === 'comma' || v.kind === 'end' ? '' : this.fail(v, 'label value');
        return newRequirement(key, op.kind === 'eq' ? 'Equals' : op.kind === 'deq' ? 'DoubleEquals' : 'NotEquals', [value]);
      }
      case 'gt':
      case 'lt': {
        this.next();
        const v = this.next();
        if (v.kind !== 'ident') this.fail(v, 'integer value');
        return newRequirement(key, op.kind === 'gt' ? 'GreaterThan' : 'LessThan', [v.text]);
      }
      case 'in':
      case 'notin': {
        this.next();
        const open = this.next();
        if (open.kind !== 'open') this.fail(open, "'('");
        return newRequirement(key, op.kind === 'in' ? 'In' : 'NotIn', this.valueSet());
      }
      default:
        return this.fail(op, "'=', '==', '!=', 'in', 'notin', '>', '<', ',' or end of string");
    }
  }

  /** Values after `(` up to `)`; empty members (`(a,,b)`, `()`) are the empty value, as upstream. */
  private valueSet(): string[] {
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const t = this.next();
      if (t.kind === 'ident' && expectValue) {
        values.push(t.text);
        expectValue = false;
      } else if (t.kind === 'comma') {
        if (expectValue) values.push('');
        expectValue = true;
      } else if (t.kind === 'close') {
        if (expectValue) values.push('');
        return values;
      } else {
        this.fail(t, expectValue ? "label value, ',' or ')'" : "',' or ')'");
      }
    }
  }
}

/** Parses `a=b,c!=d,e in (f,g),!h,i`; throws SelectorError naming the bad token. */
export function parseLabelSelector(text: string): Selector {
  return new RequirementsSelector(new Parser(text, lex(text)).parse());
}

/**
 * Turns a metav1.LabelSelector into a Selector. As upstream's LabelSelectorAsSelector:
 * a missing (null/undefined) selector selects nothing; a present but empty one selects
 * everything. Throws SelectorError for unknown operators or bad keys and values.
 */
export function labelSelectorToSelector(ls: LabelSelector | undefined | null): Selector {
  if (ls === undefined || ls === null) return nothing();
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push(newRequirement(k, 'Equals', [v]));
  for (const e of ls.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
      case 'Exists':
      case 'DoesNotExist':
        reqs.push(newRequirement(e.key, e.operator, values));
        break;
      default:
        throw new SelectorError(`"${e.operator}" is not a valid label selector operator`);
    }
  }
  return new RequirementsSelector(reqs);
}

/** True when `ls` is present and matches `labels`; the everyday check of a controller. */
export function labelSelectorMatches(ls: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  return labelSelectorToSelector(ls).matches(labels);
}

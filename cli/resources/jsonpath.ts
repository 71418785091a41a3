// A small subset of kubectl's JSONPath templates, enough for everyday `-o jsonpath=...`:
//   {.a.b}  {.items[0].x}  {.items[*].metadata.name}  {.metadata.labels.app\.kubernetes\.io/name}
//   {range .items[*]}{.metadata.name}{"\t"}{end}   literal text, and {"\n"} / \n \t escapes.
// Several values of one expression print space-separated, as kubectl does. Not supported:
// filters ([?(...)]), slices ([1:3]), recursive descent (..), unions; those are rejected.

type Node =
  | { type: 'text'; text: string }
  | { type: 'expr'; path: Step[] }
  | { type: 'range'; path: Step[]; body: Node[] };

type Step = { key: string } | { index: number } | { all: true };

export class JsonPathError extends Error {}

/** Parses and evaluates `template` against `data`. */
export function evaluateJsonPath(template: string, data: unknown): string {
  return render(parseTemplate(template), data);
}

export function parseTemplate(template: string): Node[] {
  const tokens: ({ kind: 'text'; text: string } | { kind: 'action'; body: string })[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      tokens.push({ kind: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) tokens.push({ kind: 'text', text: template.slice(i, open) });
    const close = findClose(template, open);
    tokens.push({ kind: 'action', body: template.slice(open + 1, close).trim() });
    i = close + 1;
  }
  const stack: Node[][] = [[]];
  const ranges: Extract<Node, { type: 'range' }>[] = [];
  for (const t of tokens) {
    const out = stack[stack.length - 1];
    if (t.kind === 'text') out.push({ type: 'text', text: unescape(t.text) });
    else if (t.body.startsWith('"')) out.push({ type: 'text', text: unescape(JSON.parse(t.body) as string) });
    else if (t.body.startsWith('range ')) {
      const node: Extract<Node, { type: 'range' }> = { type: 'range', path: parsePath(t.body.slice(6).trim()), body: [] };
      out.push(node);
      ranges.push(node);
      stack.push(node.body);
    } else if (t.body === 'end') {
      if (!ranges.pop()) throw new JsonPathError('jsonpath: {end} without {range}');
      stack.pop();
    } else out.push({ type: 'expr', path: parsePath(t.body) });
  }
  if (ranges.length) throw new JsonPathError('jsonpath: {range} without {end}');
  return stack[0];
}

function findClose(s: string, open: number): number {
  let inString = false;
  for (let j = open + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '"') inString = !inString;
    else if (s[j] === '}' && !inString) return j;
  }
  throw new JsonPathError(`jsonpath: unclosed "{" at offset ${open}`);
}

function unescape(text: string): string {
  return text.replace(/\\([nt\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
}

/** `.a.b[0].c[*]`, `$.a`, `.` (the current value); `\.` escapes a dot in a key. */
export function parsePath(expr: string): Step[] {
  let s = expr.startsWith('$') ? expr.slice(1) : expr;
  const steps: Step[] = [];
  while (s.length) {
    if (s.startsWith('..')) throw new JsonPathError(`jsonpath: recursive descent (..) is not supported: ${expr}`);
    if (s[0] === '.') {
      const m = /^\.((?:\\.|[^.[\\])*)/.exec(s)!;
      if (m[1]) steps.push({ key: m[1].replace(/\\(.)/g, '$1') });
      s = s.slice(m[0].length);
    } else if (s[0] === '[') {
      const m = /^\[(\*|\d+|'[^']*'|"[^"]*")\]/.exec(s);
      if (!m) throw new JsonPathError(`jsonpath: unsupported subscript in ${expr} (supported: [N], [*], ['key'])`);
      const inner = m[1];
      steps.push(inner === '*' ? { all: true } : /^\d+$/.test(inner) ? { index: Number(inner) } : { key: inner.slice(1, -1) });
      s = s.slice(m[0].length);
    } else throw new JsonPathError(`jsonpath: cannot parse ${JSON.stringify(expr)} at ${JSON.stringify(s)}`);
  }
  return steps;
}

/** Every value the path reaches from `data` (a missing key yields none). */
export function select(data: unknown, path: Step[]): unknown[] {
  let current: unknown[] = [data];
  for (const step of path) {
    const next: unknown[] = [];
    for (const v of current) {
      if ('all' in step) {
        if (Array.isArray(v)) next.push(...v);
        else if (v && typeof v === 'object') next.push(...Object.values(v));
      } else if ('index' in step) {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      } else if (v && typeof v === 'object' && !Array.isArray(v) && step.key in v) {
        next.push((v as Record<string, unknown>)[step.key]);
      }
    }
    current = next;
  }
  return current;
}

function format(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function render(nodes: Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') out += n.text;
    else if (n.type === 'expr') out += select(data, n.path).map(format).join(' ');
    else for (const item of select(data, n.path).flatMap((v) => (Array.isArray(v) ? v : [v]))) out += render(n.body, item);
  }
  return out;
}

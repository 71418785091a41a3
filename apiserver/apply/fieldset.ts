// Sets of field paths, as server-side apply keeps them per manager in `metadata.managedFields`.
// A set is a tree keyed by path elements in their `fieldsV1` spelling:
//   f:<name>            a field of an object          (.spec)
//   k:{"name":"web"}    the item of a map-list by key  ([name="web"])
//   v:"x"               the item of a set-list by value ([="x"])
//   i:3                 a list item by index (atomic lists never reach this far; kept for input)
// A node is a *member* when the path that leads to it is itself in the set. In fieldsV1 a leaf
// `{}` is a member, and an inner node says so with a `.` child; inner nodes without `.` only
// lead to members below them.

export type FieldsV1 = Record<string, unknown>;

export class FieldSet {
  member = false;
  private readonly kids = new Map<string, FieldSet>();

  /** The child at `element`, made when absent. */
  child(element: string): FieldSet {
    let kid = this.kids.get(element);
    if (!kid) {
      kid = new FieldSet();
      this.kids.set(element, kid);
    }
    return kid;
  }

  get(element: string): FieldSet | undefined {
    return this.kids.get(element);
  }

  children(): IterableIterator<[string, FieldSet]> {
    return this.kids.entries();
  }

  get size(): number {
    return this.kids.size;
  }

  isEmpty(): boolean {
    if (this.member) return false;
    for (const kid of this.kids.values()) if (!kid.isEmpty()) return false;
    return true;
  }

  insert(path: readonly string[]): void {
    path.reduce<FieldSet>((node, element) => node.child(element), this).member = true;
  }

  has(path: readonly string[]): boolean {
    return this.at(path)?.member ?? false;
  }

  /** The node at `path` (members at and below it), or undefined. */
  at(path: readonly string[]): FieldSet | undefined {
    return path.reduce<FieldSet | undefined>((node, element) => node?.kids.get(element), this);
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member || other.member;
    for (const [element, kid] of this.kids) {
      const theirs = other.kids.get(element);
      out.kids.set(element, theirs ? kid.union(theirs) : kid.clone());
    }
    for (const [element, kid] of other.kids) if (!this.kids.has(element)) out.kids.set(element, kid.clone());
    return out;
  }

  /** Members of this set that are not members of `other`. */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [element, kid] of this.kids) {
      const theirs = other.kids.get(element);
      const rest = theirs ? kid.difference(theirs) : kid.clone();
      if (!rest.isEmpty()) out.kids.set(element, rest);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && other.member;
    for (const [element, kid] of this.kids) {
      const theirs = other.kids.get(element);
      if (!theirs) continue;
      const both = kid.intersection(theirs);
      if (!both.isEmpty()) out.kids.set(element, both);
    }
    return out;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [element, kid] of this.kids) out.kids.set(element, kid.clone());
    return out;
  }

  /** Every member path, parents before children, children in insertion order. */
  paths(): string[][] {
    const out: string[][] = [];
    const walk = (node: FieldSet, prefix: string[]) => {
      if (node.member) out.push(prefix);
      for (const [element, kid] of node.kids) walk(kid, [...prefix, element]);
    };
    walk(this, []);
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).isEmpty() && other.difference(this).isEmpty();
  }

  /** The `fieldsV1` form; children sorted so equal sets serialize the same. */
  toFieldsV1(): FieldsV1 {
    return this.encode() ?? {};
  }

  /** One pass: undefined for a node with no members at or below it. */
  private encode(): FieldsV1 | undefined {
    let out: FieldsV1 | undefined;
    const elements = this.kids.size > 1 ? [...this.kids.keys()].sort() : [...this.kids.keys()];
    for (const element of elements) {
      const value = this.kids.get(element)!.encode();
      if (value === undefined) continue;
      out ??= this.member ? { '.': {} } : {};
      out[element] = value;
    }
    return out ?? (this.member ? {} : undefined);
  }

  /** Reads `fieldsV1`; throws on anything that is not a tree of objects with valid elements. */
  static fromFieldsV1(raw: unknown): FieldSet {
    const set = new FieldSet();
    readInto(set, raw, true);
    return set;
  }
}

function readInto(node: FieldSet, raw: unknown, root: boolean): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('fieldsV1 must be a tree of objects');
  const entries = Object.entries(raw as Record<string, unknown>);
  // A leaf `{}` below the root is the field itself.
  if (entries.length === 0 && !root) node.member = true;
  for (const [element, value] of entries) {
    if (element === '.') {
      node.member = true;
      continue;
    }
    checkElement(element);
    readInto(node.child(element), value, false);
  }
}

function checkElement(element: string): void {
  const kind = element.slice(0, 2);
  const rest = element.slice(2);
  if (kind === 'f:' && rest.length > 0) return;
  if (kind === 'i:' && /^\d+$/.test(rest)) return;
  if (kind === 'k:' || kind === 'v:') {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (kind === 'k:' && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) throw new Error('key');
      return;
    } catch {
      // fall through to the error below
    }
  }
  throw new Error(`invalid path element ${JSON.stringify(element)}`);
}

/** The path element of an object's field. */
export function fieldElement(name: string): string {
  return `f:${name}`;
}

/** The path element of a map-list item: its key fields (a missing one by its default), sorted by name, as compact JSON. */
export function keyElement(item: Record<string, unknown>, keys: readonly string[], defaults: Readonly<Record<string, unknown>> = {}): string {
  const fields: Record<string, unknown> = {};
  for (const k of [...keys].sort()) {
    const value = Object.hasOwn(item, k) && item[k] !== null ? item[k] : defaults[k];
    if (value !== undefined) fields[k] = value;
  }
  return `k:${JSON.stringify(fields)}`;
}

/** The path element of a set-list item. */
export function valueElement(value: unknown): string {
  return `v:${JSON.stringify(value)}`;
}

/** A path as upstream prints it in conflicts: `.spec.containers[name="web"].image`. */
export function formatPath(path: readonly string[]): string {
  let out = '';
  for (const element of path) {
    const rest = element.slice(2);
    switch (element.slice(0, 2)) {
      case 'f:':
        out += `.${rest}`;
        break;
      case 'k:': {
        const fields = JSON.parse(rest) as Record<string, unknown>;
        out += `[${Object.entries(fields).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
        break;
      }
      case 'v:':
        out += `[=${rest}]`;
        break;
      default:
        out += `[${rest}]`;
    }
  }
  return out;
}

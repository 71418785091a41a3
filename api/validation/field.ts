// Field errors as Kubernetes reports them: a reason, the path of the failing field
// (`spec.containers[0].ports[1].containerPort`) and a message in upstream's wording
// (`Invalid value: 0: must be between 1 and 65535, inclusive`). A FieldError is exactly a
// Kubernetes StatusCause, so the API server puts the list in `details.causes` unchanged.

export type FieldReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueDuplicate'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotFound';

export interface FieldError {
  reason: FieldReason;
  field: string;
  message: string;
}

/** A field path; immutable, each step returns a new one. */
export class Path {
  private constructor(private readonly text: string) {}

  static root(name?: string): Path {
    return new Path(name ?? '');
  }

  child(...names: string[]): Path {
    let t = this.text;
    for (const n of names) t = t ? `${t}.${n}` : n;
    return new Path(t);
  }

  index(i: number): Path {
    return new Path(`${this.text}[${i}]`);
  }

  key(k: string): Path {
    return new Path(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

/** A value as upstream prints it in messages: strings quoted, numbers bare, objects as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

const withDetail = (head: string, detail?: string) => (detail ? `${head}: ${detail}` : head);

export const fieldErrors = {
  required: (path: Path, detail?: string): FieldError => ({ reason: 'FieldValueRequired', field: path.toString(), message: withDetail('Required value', detail) }),
  invalid: (path: Path, value: unknown, detail?: string): FieldError => ({
    reason: 'FieldValueInvalid',
    field: path.toString(),
    message: withDetail(`Invalid value: ${formatValue(value)}`, detail),
  }),
  duplicate: (path: Path, value: unknown): FieldError => ({ reason: 'FieldValueDuplicate', field: path.toString(), message: `Duplicate value: ${formatValue(value)}` }),
  notSupported: (path: Path, value: unknown, supported: readonly string[]): FieldError => ({
    reason: 'FieldValueNotSupported',
    field: path.toString(),
    message: withDetail(`Unsupported value: ${formatValue(value)}`, supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined),
  }),
  forbidden: (path: Path, detail: string): FieldError => ({ reason: 'FieldValueForbidden', field: path.toString(), message: withDetail('Forbidden', detail) }),
  tooLong: (path: Path, max: number): FieldError => ({
    reason: 'FieldValueTooLong',
    field: path.toString(),
    message: `Too long: must have at most ${max} ${max === 1 ? 'byte' : 'bytes'}`,
  }),
  typeInvalid: (path: Path, value: unknown, detail: string): FieldError => ({
    reason: 'FieldValueTypeInvalid',
    field: path.toString(),
    message: withDetail(`Invalid value: ${formatValue(value)}`, detail),
  }),
  notFound: (path: Path, value: unknown): FieldError => ({ reason: 'FieldValueNotFound', field: path.toString(), message: `Not found: ${formatValue(value)}` }),
};

/** One Invalid error per message of a syntax check (names.ts returns messages). */
export function invalidEach(path: Path, value: unknown, messages: string[]): FieldError[] {
  return messages.map((m) => fieldErrors.invalid(path, value, m));
}

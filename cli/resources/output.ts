// Where the commands write: results to stdout, problems to stderr, red only on a terminal.

import { ApiStatusError } from '../../client/errors.js';

const useColour = (stream: NodeJS.WriteStream) => stream.isTTY === true && !process.env.NO_COLOR;

export function printOut(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printError(text: string): void {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  process.stderr.write(useColour(process.stderr) ? `\x1b[31m${line}\x1b[0m\n` : `${line}\n`);
}

/** A failure as kubectl words it: `Error from server (NotFound): ...`, or `error: ...`. */
export function describeError(err: unknown): string {
  if (err instanceof ApiStatusError) return `Error from server (${err.reason}): ${err.message}`;
  return `error: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * The failing fields of a 422, one per line (`  spec.replicas: Invalid value: -1: must be ...`),
 * so a long message does not hide which fields are wrong.
 */
export function fieldCauses(err: unknown): string[] {
  if (!(err instanceof ApiStatusError)) return [];
  return (err.details?.causes ?? []).map((c) => `  - ${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`);
}

// The Kubernetes remote-command WebSocket protocol (`v4.channel.k8s.io`, and `v5` where the
// runtime offers it): every binary message starts with a channel byte — 0 stdin, 1 stdout,
// 2 stderr, 3 the command's final Status (JSON), 4 terminal resize (JSON) — and, in v5 only,
// 255 to close a channel (how the client says stdin has ended).

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;
export const RESIZE = 4;
export const CLOSE = 255;

export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export function encodeFrame(channel: number, data: Uint8Array | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
  return Buffer.concat([Buffer.from([channel]), body]);
}

export function decodeFrame(message: Buffer): { channel: number; data: Buffer } | undefined {
  if (message.length === 0) return undefined;
  return { channel: message[0], data: message.subarray(1) };
}

/** A resize message as the kubelet reads it: `{"Width":cols,"Height":rows}` on channel 4. */
export function encodeResize(columns: number, rows: number): Buffer {
  return encodeFrame(RESIZE, JSON.stringify({ Width: columns, Height: rows }));
}

/** v5 only: stdin has ended (the runtime closes the command's stdin). */
export function encodeStdinClose(): Buffer {
  return Buffer.from([CLOSE, STDIN]);
}

export type ExecOutcome = { exitCode: number } | { error: string };

interface ExecStatus {
  status?: string;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/**
 * The command's outcome from the Status on channel 3: Success → 0; NonZeroExitCode → the
 * code in its ExitCode cause; anything else (the command could not start) → its message.
 */
export function outcomeFromStatus(text: string): ExecOutcome {
  let status: ExecStatus;
  try {
    status = JSON.parse(text) as ExecStatus;
  } catch {
    return { error: text.trim() || 'the runtime sent an unreadable exit status' };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const code = Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message);
    if (Number.isInteger(code)) return { exitCode: code };
  }
  return { error: status.message ?? 'the command failed without a message' };
}

/** The exec query as kubectl sends it: one `command` per word; with a TTY no separate stderr. */
export function execQuery(command: string[], container: string, opts: { stdin: boolean; tty: boolean }): URLSearchParams {
  const q = new URLSearchParams();
  for (const word of command) q.append('command', word);
  q.set('container', container);
  if (opts.stdin) q.set('stdin', 'true');
  q.set('stdout', 'true');
  if (!opts.tty) q.set('stderr', 'true');
  if (opts.tty) q.set('tty', 'true');
  return q;
}

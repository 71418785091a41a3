// The CRI container log format, as containerd writes it: one record per line,
// `<RFC3339Nano> <stdout|stderr> <P|F> <message>`. A long line is split into P (partial)
// records closed by an F record; the decoder joins them back into whole lines.

export interface LogLine {
  /** The record's time, as written (RFC 3339 with nanoseconds). */
  time: string;
  stream: 'stdout' | 'stderr';
  /** The whole line without its newline. */
  message: string;
}

export interface LogRecord extends LogLine {
  partial: boolean;
}

export function parseCriLogRecord(line: string): LogRecord | undefined {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  if (a < 0 || b < 0) return undefined;
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const c = line.indexOf(' ', b + 1);
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  const message = c < 0 ? '' : line.slice(c + 1);
  return { time: line.slice(0, a), stream, partial: tag.split(':')[0] === 'P', message };
}

/** Feeds bytes as they arrive (chunks may split records) and emits whole lines. */
export class CriLogDecoder {
  private rest = '';
  private readonly partial = new Map<string, { time: string; parts: string[] }>();

  push(chunk: string): LogLine[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    const out: LogLine[] = [];
    for (const raw of lines) {
      const rec = parseCriLogRecord(raw);
      if (!rec) continue;
      const pending = this.partial.get(rec.stream);
      if (rec.partial) {
        if (pending) pending.parts.push(rec.message);
        else this.partial.set(rec.stream, { time: rec.time, parts: [rec.message] });
        continue;
      }
      if (pending) {
        this.partial.delete(rec.stream);
        out.push({ time: pending.time, stream: rec.stream, message: pending.parts.join('') + rec.message });
      } else {
        out.push({ time: rec.time, stream: rec.stream, message: rec.message });
      }
    }
    return out;
  }
}

/** Nanosecond-precision RFC 3339 to milliseconds since the epoch. */
export function logTimeMs(time: string): number {
  return Date.parse(time.replace(/(\.\d{3})\d+/, '$1'));
}

// Flag value parsers every component's main.ts shares: Go durations (`40s`, `5m`, `1h30m`,
// `250ms`) as Kubernetes flags take them, and kube-style booleans (`--leader-elect=false`).
// Each throws an Error naming the bad value, for commander's option parser to report.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses a Go duration (time.ParseDuration) into milliseconds. `0` needs no unit. */
export function parseDuration(text: string): number {
  const s = text.trim();
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new Error(`invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  const term = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const m = term.exec(rest);
    if (!m) throw new Error(`invalid duration ${JSON.stringify(text)}: expected a number and a unit (ns, us, ms, s, m, h)`);
    total += Number(m[1]) * UNIT_MS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Formats milliseconds as Go prints a duration: `1h30m0s`, `40s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${Number(s.toFixed(3))}s`;
}

/** Parses a kube-style boolean: true/false, 1/0, t/f, yes/no (case-insensitive), as Go's strconv.ParseBool plus yes/no. */
export function parseBool(text: string): boolean {
  switch (text.trim().toLowerCase()) {
    case 'true': case 't': case '1': case 'yes': case 'y':
      return true;
    case 'false': case 'f': case '0': case 'no': case 'n':
      return false;
    default:
      throw new Error(`invalid boolean ${JSON.stringify(text)}: use true or false`);
  }
}

/**
 * A commander option parser for a duration flag: `.option('--lease-duration <d>', '...', durationFlag, 15000)`.
 * Commander passes (value, previous); the previous default is ignored.
 */
export function durationFlag(value: string): number {
  return parseDuration(value);
}

/** A commander parser for `--flag=true|false` (commander's own boolean flags take no value). */
export function boolFlag(value: string): boolean {
  return parseBool(value);
}

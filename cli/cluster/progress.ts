// Step-by-step progress for long commands (`up`, `down`): colour and a live line on a
// terminal, plain stable lines in a pipe. A failed step says which step, why, and where to look.

export class StepFailed extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
    readonly logFile?: string,
  ) {
    super(`${step}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface Progress {
  /** Runs one step, printing its title and outcome; a thrown error becomes StepFailed. */
  step<T>(title: string, run: () => Promise<T> | T, opts?: { logFile?: string; detail?: (result: T) => string | undefined }): Promise<T>;
  info(line: string): void;
}

export function createProgress(out: NodeJS.WriteStream = process.stdout): Progress {
  const tty = out.isTTY === true && !process.env.NO_COLOR;
  const green = (s: string) => (tty ? `\x1b[32m${s}\x1b[0m` : s);
  const red = (s: string) => (tty ? `\x1b[31m${s}\x1b[0m` : s);
  const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);
  return {
    async step(title, run, opts = {}) {
      const started = Date.now();
      if (tty) out.write(`  … ${title}`);
      try {
        const result = await run();
        const detail = opts.detail?.(result);
        const took = dim(`(${((Date.now() - started) / 1000).toFixed(1)}s)`);
        const line = `${green('✓')} ${title}${detail ? ` — ${detail}` : ''} ${took}`;
        out.write(tty ? `\r\x1b[2K  ${line}\n` : `ok   ${title}${detail ? ` — ${detail}` : ''}\n`);
        return result;
      } catch (err) {
        out.write(tty ? `\r\x1b[2K  ${red('✗')} ${title}\n` : `FAIL ${title}\n`);
        throw new StepFailed(title, err, opts.logFile);
      }
    },
    info(line) {
      out.write(`${line}\n`);
    },
  };
}

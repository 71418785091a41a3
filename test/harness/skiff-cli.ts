// The `skiff` CLI as a user runs it: its own process (through tsx, from the source), with
// colour off so output compares as plain text. Tests pass the kubeconfig they want.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const TSX = join(process.cwd(), 'node_modules/.bin/tsx');
export const SKIFF_MAIN = join(process.cwd(), 'cli/main.ts');

export interface SkiffRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SkiffOptions {
  /** Written to stdin, which is then closed; without it stdin is closed at once. */
  input?: string;
  env?: Record<string, string>;
  /** See the output as it arrives (all of it so far). */
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  /** Told the process once it started (a test that must kill leftovers keeps it). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Starts `skiff ARGS...`; the caller reads its streams. */
export function spawnSkiff(args: string[], opts: Pick<SkiffOptions, 'input' | 'env'> = {}): ChildProcess {
  const child = spawn(TSX, [SKIFF_MAIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...opts.env } });
  child.stdin?.end(opts.input ?? '');
  return child;
}

/** Runs `skiff ARGS...` to its end: exit code and everything it printed. */
export function runSkiff(args: string[], opts: SkiffOptions = {}): Promise<SkiffRun> {
  return new Promise((resolve, reject) => {
    const child = spawnSkiff(args, opts);
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      opts.onStdout?.(stdout);
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

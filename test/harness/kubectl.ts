// kubectl as an outside client in tests: each run gets the test's kubeconfig and its own
// --cache-dir (so discovery caches never leak between tests). Paths are given as functions
// because tests make them in beforeAll.

import { spawn } from 'node:child_process';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  /** The full argv for `args` (for a process the test manages itself, like `get -w`). */
  argv(args: string[]): string[];
  /** Runs kubectl; never throws for a non-zero exit. */
  run(args: string[], opts?: { env?: Record<string, string>; input?: string }): Promise<KubectlResult>;
  /** Runs kubectl and returns stdout; throws with stderr when it fails. */
  ok(...args: string[]): Promise<string>;
}

export function kubectlFor(kubeconfig: () => string, cacheDir: () => string, extraArgs: string[] = []): Kubectl {
  const argv = (args: string[]) => [`--kubeconfig=${kubeconfig()}`, `--cache-dir=${cacheDir()}`, ...extraArgs, ...args];
  const run: Kubectl['run'] = (args, opts = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn('kubectl', argv(args), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(opts.input ?? '');
    });
  return {
    argv,
    run,
    async ok(...args) {
      const r = await run(args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
  };
}

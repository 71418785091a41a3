// /healthz, /livez and /readyz as kube-apiserver answers them: `ok`, or with `?verbose` one
// `[+]name ok` / `[-]name failed` line per check; a single check at `/readyz/<name>`.
// livez only says the process serves; healthz and readyz also need etcd, and readyz the
// system namespaces, so a load balancer stops sending traffic while etcd is away.

import type { Request, Response } from 'express';

export interface HealthCheck {
  name: string;
  ok(): boolean;
}

export interface HealthEndpoint {
  path: '/healthz' | '/livez' | '/readyz';
  checks: HealthCheck[];
  /** Status code when a check fails. */
  failureCode: number;
}

export function healthReport(endpoint: HealthEndpoint, verbose: boolean, only?: string): { code: number; text: string } | undefined {
  const checks = only === undefined ? endpoint.checks : endpoint.checks.filter((c) => c.name === only);
  if (checks.length === 0) return undefined;
  const results = checks.map((c) => ({ name: c.name, ok: c.ok() }));
  const passed = results.every((r) => r.ok);
  const what = endpoint.path.slice(1);
  if (!verbose && passed) return { code: 200, text: 'ok' };
  const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
  lines.push(passed ? `${what} check passed` : `${what} check failed`);
  return { code: passed ? 200 : endpoint.failureCode, text: `${lines.join('\n')}\n` };
}

export function healthHandler(endpoint: HealthEndpoint) {
  return (req: Request, res: Response): void => {
    const only = typeof req.params.check === 'string' ? req.params.check : undefined;
    const report = healthReport(endpoint, req.query.verbose !== undefined, only);
    if (!report) {
      res.status(404).type('text/plain').send(`no such ${endpoint.path.slice(1)} check: ${only ?? ''}\n`);
      return;
    }
    res.status(report.code).type('text/plain').send(report.text);
  };
}

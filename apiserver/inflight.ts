// In-flight limits (--max-requests-inflight, --max-mutating-requests-inflight): a request over
// its limit is refused at once with 429 and Retry-After. Long-running requests (watches,
// exec, logs, proxy) are not counted, as upstream does not count them.

import type { NextFunction, Request, Response } from 'express';
import { errors } from './errors.js';
import type { RequestMetrics } from './metrics.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const LONG_RUNNING_VERBS = new Set(['watch', 'connect', 'proxy']);

export function inflightLimiter(limits: { readOnly: number; mutating: number }, metrics: RequestMetrics) {
  const current = { readOnly: 0, mutating: 0 };
  return (req: Request, res: Response, next: NextFunction): void => {
    if (LONG_RUNNING_VERBS.has(res.locals.verb as string)) {
      next();
      return;
    }
    const kind = MUTATING.has(req.method) ? 'mutating' : 'readOnly';
    const limit = limits[kind];
    if (limit > 0 && current[kind] >= limit) {
      next(errors.tooManyRequests(1));
      return;
    }
    current[kind]++;
    metrics.inflight.set({ request_kind: kind }, current[kind]);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      current[kind]--;
      metrics.inflight.set({ request_kind: kind }, current[kind]);
    };
    res.on('finish', release);
    res.on('close', release);
    next();
  };
}

// The answers subresources share: a `Status` of success with the HTTP code in it, as upstream
// answers binding and eviction.

import type { Response } from 'express';
import { sendJson } from '../respond.js';

export function sendSuccess(res: Response, code: number): void {
  sendJson(res, code, { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code });
}

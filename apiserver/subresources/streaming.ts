// exec, attach and port-forward as plain (non-upgrade) requests: these only work as HTTP
// Upgrades, which reach `upgrade.ts`; anything else is told so, as upstream does.

import type { SubresourceHandler } from '../context.js';
import { ApiError } from '../errors.js';

function upgradeOnly(sub: string): SubresourceHandler {
  return {
    path: `pods/${sub}`,
    methods: ['GET', 'POST'],
    async handle(): Promise<void> {
      throw new ApiError(400, 'BadRequest', 'Upgrade request required');
    },
  };
}

export const upgradeOnlyHandlers: SubresourceHandler[] = ['exec', 'attach', 'portforward'].map(upgradeOnly);

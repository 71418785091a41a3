// Every subresource handler the API server serves; the HTTP layer finds one by
// `resource[.group]/subresource` and method. Upgrade requests (exec, attach, port-forward)
// come through `handleUpgrade` in ./upgrade.ts instead.

import type { SubresourceHandler } from '../context.js';
import { bindingHandler } from './binding.js';
import { evictionHandler } from './eviction.js';
import { finalizeHandler } from './finalize.js';
import { logHandler } from './log.js';
import { nodeProxyHandler } from './node-proxy.js';
import { scaleHandlers } from './scale.js';
import { statusHandlers } from './status.js';
import { upgradeOnlyHandlers } from './streaming.js';

export const subresources: SubresourceHandler[] = [
  ...statusHandlers,
  bindingHandler,
  evictionHandler,
  ...scaleHandlers,
  finalizeHandler,
  logHandler,
  nodeProxyHandler,
  ...upgradeOnlyHandlers,
];

export { handleUpgrade } from './upgrade.js';

// HTTP Upgrade requests (exec, attach, port-forward over SPDY or WebSocket) bypass express:
// the https server's `upgrade` event lands here. Same authentication and routing as every
// other request, then the subresource module takes the socket; refusals are Status responses.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../client/log.js';
import type { Authenticator } from './authn.js';
import type { ServerParts } from './context.js';
import { ApiError, errors } from './errors.js';
import { resourceContext } from './resource-handler.js';
import type { Seams } from './seams.js';
import { writeStatusResponse } from './subresources/upgrade.js';

export function upgradeHandler(authenticator: Authenticator, parts: ServerParts, seams: Seams, log: Logger) {
  return async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    try {
      const user = authenticator.authenticate(req);
      if (!user) throw errors.unauthorized();
      const found = resourceContext(req.method ?? 'GET', req.url ?? '/', parts, user);
      if (!found || !seams.handleUpgrade) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (no upgrade handler for ${req.url ?? ''})`);
      await seams.handleUpgrade(found.ctx, req, socket, head);
    } catch (err) {
      log.debug({ err, url: req.url }, 'upgrade request refused');
      if (!socket.destroyed) writeStatusResponse(socket, err instanceof ApiError ? err : errors.internal((err as Error).message));
    }
  };
}

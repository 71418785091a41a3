// Test-only: serves subresource handlers over plain HTTP on 127.0.0.1, the way the HTTP layer
// calls them (context built from the path, ApiErrors answered as Status), so unit tests drive
// them with fetch. Paths: `/{group or core}/{namespace or _}/{resource}/{name}/{subresource}[/rest]`.

import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestContext, ServerParts, SubresourceHandler } from '../../context.js';
import { ApiError } from '../../errors.js';
import { sendStatusError } from '../../respond.js';
import { contextFor, typeOf } from '../../admission/testing/parts.js';
import { handleUpgrade } from '../upgrade.js';

export interface HandlerApp {
  url: string;
  close(): Promise<void>;
}

function contextOf(parts: ServerParts, path: string, query: URLSearchParams): RequestContext {
  const [group, namespace, resource, name, subresource] = path.split('/').filter(Boolean);
  const type = typeOf(parts, group === 'core' ? '' : group, resource);
  return contextFor(parts, type, namespace === '_' ? undefined : namespace, name, { subresource, query, dryRun: query.get('dryRun') === 'All' });
}

export async function serveHandlers(parts: ServerParts, handlers: SubresourceHandler[]): Promise<HandlerApp> {
  const app = express();
  app.use(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      const ctx = contextOf(parts, url.pathname, url.searchParams);
      const key = ctx.type.group ? `${ctx.type.resource}.${ctx.type.group}/${ctx.subresource}` : `${ctx.type.resource}/${ctx.subresource}`;
      const handler = handlers.find((h) => h.path === key && h.methods.includes(req.method));
      if (!handler) throw new ApiError(404, 'NotFound', `no handler for ${req.method} ${key}`);
      await handler.handle(ctx, req, res);
    } catch (err) {
      if (err instanceof ApiError && !res.headersSent) sendStatusError(res, err);
      else if (!res.headersSent) res.status(500).end(String(err));
    }
  });
  const server: Server = createServer(app);
  server.on('upgrade', (req, socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void handleUpgrade(contextOf(parts, url.pathname, url.searchParams), req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

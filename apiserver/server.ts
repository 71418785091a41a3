// The API server as a value: `createApiServer` wires the parts (store, registry, seams,
// authentication, metrics) into an HTTPS server; `startApiServer` also listens and begins the
// start-up work. `main.ts` runs it from flags; tests run it in-process.

import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Registry } from 'prom-client';
import { builtinSchemaCatalog } from '../api/schema/catalog.js';
import { ResourceRegistry } from '../api/resources.js';
import { createLogger, type Logger } from '../client/log.js';
import { createApp } from './app.js';
import { createAuthenticator } from './authn.js';
import type { KubeletTransport, ServerConfig, ServerParts, UserInfo } from './context.js';
import { createKubeletTransport, type KubeletTLS } from './kubelet-transport.js';
import { createRequestMetrics } from './metrics.js';
import { defaultSeams, type Seams } from './seams.js';
import type { Store } from './storage/store.js';
import { ensureSystemNamespaces } from './system-namespaces.js';
import { allocatorFor } from './services/allocation-admission.js';
import { startAllocationRepair } from './services/allocation-repair.js';
import { startKubernetesService } from './services/kubernetes-service.js';
import { startEventSweeper } from './event-ttl.js';
import { WatchRegistry } from './verbs/watch.js';
import { upgradeHandler } from './upgrades.js';
import { addMetricsResources } from './metrics-api/resources.js';
import { CustomKinds } from './crd/custom-kind.js';
import { startCrdController, type CrdController } from './crd/controller.js';
import { CustomResourceStore } from './crd/custom-store.js';
import { withCustomResources } from './crd/seams.js';

export const DEFAULT_CONFIG: ServerConfig = {
  serviceClusterIPRange: '10.96.0.0/16',
  serviceNodePortRange: '30000-32767',
  advertiseAddress: '127.0.0.1',
  securePort: 6443,
  eventTTLSeconds: 3600,
  defaultNotReadyTolerationSeconds: 300,
  defaultUnreachableTolerationSeconds: 300,
  maxRequestBodyBytes: 3 * 1024 * 1024,
};

export interface ApiServerOptions {
  store: Store;
  /** Closed with the server (true when the server made the store). */
  ownsStore?: boolean;
  registry?: ResourceRegistry;
  bindAddress?: string;
  /** 0 picks a free port. */
  securePort?: number;
  servingCert: { certPem: string; keyPem: string };
  /** PEM of the CA client certificates must chain to; without it client certificates are not accepted. */
  clientCAPem?: string;
  tokens?: Map<string, UserInfo>;
  config?: Partial<ServerConfig>;
  maxRequestsInflight?: number;
  maxMutatingRequestsInflight?: number;
  log?: Logger;
  metrics?: Registry;
  /** Made from `kubeletTLS` and the Node objects when absent. */
  kubeletTransport?: KubeletTransport;
  kubeletTLS?: KubeletTLS;
  seams?: Seams;
}

export interface ApiServer {
  https: Server;
  parts: ServerParts;
  seams: Seams;
  watches: WatchRegistry;
  /** `https://host:port`, once listening. */
  url(): string;
  listen(): Promise<void>;
  /** Stops accepting, ends watches cleanly, closes connections and (when owned) the store. */
  close(): Promise<void>;
}

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const log = options.log ?? createLogger('apiserver');
  const metricsRegistry = options.metrics ?? new Registry();
  const registry = options.registry ?? new ResourceRegistry();
  addMetricsResources(registry);
  // Custom kinds (CRDs) are served through the same seams and store as built-in kinds.
  const customKinds = new CustomKinds();
  const seams = withCustomResources(options.seams ?? defaultSeams(), customKinds);
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...options.config };
  if (options.securePort !== undefined) config.securePort = options.securePort;
  const kubeletTransport = options.kubeletTransport ?? createKubeletTransport(options.store, registry, options.kubeletTLS ?? {});
  const parts: ServerParts = { store: new CustomResourceStore(options.store, customKinds), registry, config, log, metrics: metricsRegistry, kubeletTransport, schemas: builtinSchemaCatalog() };
  const watches = new WatchRegistry();
  const requestMetrics = createRequestMetrics(metricsRegistry);
  const authenticator = createAuthenticator(options.tokens ?? new Map(), options.clientCAPem !== undefined);
  const bindAddress = options.bindAddress ?? '0.0.0.0';

  let address: AddressInfo | undefined;
  let namespacesReady = false;
  let crdsSynced = false;
  const app = createApp({
    namespacesReady: () => namespacesReady,
    crdsSynced: () => crdsSynced,
    parts,
    seams,
    authenticator,
    metrics: requestMetrics,
    watches,
    limits: { readOnly: options.maxRequestsInflight ?? 400, mutating: options.maxMutatingRequestsInflight ?? 200 },
    get serverAddress() {
      return `${config.advertiseAddress}:${address?.port ?? config.securePort}`;
    },
  });

  const https = createHttpsServer(
    {
      cert: options.servingCert.certPem,
      key: options.servingCert.keyPem,
      ...(options.clientCAPem ? { ca: options.clientCAPem, requestCert: true, rejectUnauthorized: false } : {}),
    },
    app,
  );
  https.headersTimeout = 60_000;
  https.requestTimeout = 0; // watches stay open; per-request deadlines live in the handlers
  https.keepAliveTimeout = 65_000;
  const sockets = new Set<Socket>();
  https.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  https.on('tlsClientError', (err) => log.debug({ err }, 'TLS handshake failed'));
  const onUpgrade = upgradeHandler(authenticator, parts, seams, log);
  https.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => void onUpgrade(req, socket, head));

  const startup = new AbortController();
  let namespaces: Promise<void> | undefined;
  let sweeper: { stop(): void } | undefined;
  let crds: CrdController | undefined;
  const background: { stop(): void }[] = [];

  return {
    https,
    parts,
    seams,
    watches,
    url: () => {
      if (!address) throw new Error('the API server is not listening');
      const host = bindAddress === '0.0.0.0' || bindAddress === '::' ? '127.0.0.1' : bindAddress;
      return `https://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    },
    async listen() {
      await new Promise<void>((resolve, reject) => {
        https.once('error', reject);
        https.listen(config.securePort, bindAddress, () => {
          https.off('error', reject);
          resolve();
        });
      });
      address = https.address() as AddressInfo;
      sweeper = startEventSweeper(options.store, registry, config.eventTTLSeconds, log);
      crds = startCrdController({ parts, seams, kinds: customKinds, log: log.child({ part: 'crd' }) });
      void crds.synced.then(() => (crdsSynced = !startup.signal.aborted));
      namespaces = ensureSystemNamespaces(options.store, registry, seams, log, startup.signal).then(
        () => {
          namespacesReady = !startup.signal.aborted;
          const services = registry.get('', 'v1', 'services');
          if (!services || startup.signal.aborted) return;
          const allocator = allocatorFor(parts);
          background.push(startAllocationRepair({ store: options.store, services, allocator, log }));
          background.push(
            startKubernetesService({ store: options.store, registry, seams, allocator, advertiseAddress: config.advertiseAddress, securePort: address?.port ?? config.securePort, log }),
          );
        },
        (err: unknown) => log.error({ err }, 'ensuring system namespaces failed'),
      );
    },
    async close() {
      startup.abort();
      sweeper?.stop();
      await crds?.stop();
      for (const b of background) b.stop();
      const closed = new Promise<void>((resolve) => https.close(() => resolve()));
      watches.closeAll();
      https.closeIdleConnections();
      // Give in-flight requests and ended watches a moment to finish writing, then cut the rest.
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
      for (const s of sockets) s.destroy();
      await closed;
      await namespaces;
      if (options.ownsStore) await options.store.close();
    },
  };
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const server = await createApiServer(options);
  await server.listen();
  return server;
}

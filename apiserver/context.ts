// What a request handler gets: the parsed request (kind, namespace, name, subresource, query),
// the authenticated user, and the server's parts. The HTTP layer builds it once per request;
// verb handlers, subresource handlers and admission plugins all take it.

import type { Request, Response } from 'express';
import type { Registry as MetricsRegistry } from 'prom-client';
import type { Logger } from '../client/log.js';
import type { ResourceRegistry, ResourceType } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import type { SchemaCatalog } from '../api/schema/catalog.js';
import type { Store } from './storage/store.js';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
}

/** Settings admission and handlers read; filled from the command-line flags. */
export interface ServerConfig {
  serviceClusterIPRange: string;
  serviceNodePortRange: string;
  advertiseAddress: string;
  securePort: number;
  eventTTLSeconds: number;
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
  maxRequestBodyBytes: number;
}

export interface ServerParts {
  store: Store;
  registry: ResourceRegistry;
  config: ServerConfig;
  log: Logger;
  metrics: MetricsRegistry;
  /** Opens a connection to a node's kubelet (HTTPS with the API server's client certificate). */
  kubeletTransport?: KubeletTransport;
  /** Every served kind's schema; CRDs add theirs. Absent in small test setups: built-in only. */
  schemas?: SchemaCatalog;
}

export interface KubeletTransport {
  /** Resolves a node name to the kubelet's base URL (`https://IP:10250`) from the Node object. */
  kubeletURL(nodeName: string): Promise<URL>;
  /** TLS options for connecting to kubelets (client cert, CA). */
  tlsOptions(): { cert?: Buffer; key?: Buffer; ca?: Buffer };
}

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface RequestContext extends ServerParts {
  type: ResourceType;
  /** Namespace from the path; undefined for cluster-scoped kinds and all-namespace collections. */
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  user: UserInfo;
  /** `dryRun=All`: run every step, write nothing. */
  dryRun: boolean;
  /** Warnings to send as `Warning: 299 - "..."` headers. */
  warnings: string[];
  /** The request's User-Agent: the field manager when the client names none. */
  userAgent?: string;
}

/** Admission: mutating plugins may change `obj`; any plugin may refuse by throwing an ApiError. */
export interface AdmissionAttributes {
  operation: Operation;
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  obj?: KubeObject;
  oldObj?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  name: string;
  /** Mutating step; runs before validation, in plugin order. */
  admit?(attrs: AdmissionAttributes, parts: ServerParts): Promise<void> | void;
  /** Validating step; runs after defaulting and validation, before the write. */
  validate?(attrs: AdmissionAttributes, parts: ServerParts): Promise<void> | void;
}

/** A handler for `{resource}/{name}/{subresource}` (binding, eviction, scale, log, exec, ...). */
export interface SubresourceHandler {
  /** `pods/binding`, `deployments/scale`, ... (resource/subresource, group-qualified for non-core: `deployments.apps/scale`). */
  path: string;
  methods: string[];
  handle(ctx: RequestContext, req: Request, res: Response): Promise<void>;
}

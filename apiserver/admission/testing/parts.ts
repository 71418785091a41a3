// Test-only: ServerParts over a MemoryStore, with quiet logs and short toleration defaults,
// plus helpers to build request contexts and admission attributes.

import { Registry } from 'prom-client';
import { pino } from 'pino';
import { ResourceRegistry, type ResourceType } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import type { AdmissionAttributes, Operation, RequestContext, ServerConfig, ServerParts } from '../../context.js';
import { MemoryStore } from './memory-store.js';

export const testConfig: ServerConfig = {
  serviceClusterIPRange: '10.96.0.0/16',
  serviceNodePortRange: '30000-32767',
  advertiseAddress: '127.0.0.1',
  securePort: 6443,
  eventTTLSeconds: 3600,
  defaultNotReadyTolerationSeconds: 300,
  defaultUnreachableTolerationSeconds: 300,
  maxRequestBodyBytes: 3 * 1024 * 1024,
};

export function testParts(overrides: Partial<ServerParts> = {}): ServerParts & { store: MemoryStore } {
  return {
    store: new MemoryStore(),
    registry: new ResourceRegistry(),
    config: testConfig,
    log: pino({ level: 'silent' }),
    metrics: new Registry(),
    ...overrides,
  } as ServerParts & { store: MemoryStore };
}

export function typeOf(parts: ServerParts, group: string, resource: string): ResourceType {
  const t = parts.registry.all().find((r) => r.group === group && r.resource === resource);
  if (!t) throw new Error(`no type ${group}/${resource}`);
  return t;
}

export function contextFor(parts: ServerParts, type: ResourceType, namespace: string | undefined, name: string | undefined, extra: Partial<RequestContext> = {}): RequestContext {
  return {
    ...parts,
    type,
    namespace,
    name,
    query: new URLSearchParams(),
    user: { name: 'admin', groups: ['system:masters'] },
    dryRun: false,
    warnings: [],
    ...extra,
  };
}

export function attrsFor(type: ResourceType, operation: Operation, obj: KubeObject | undefined, extra: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation,
    type,
    namespace: obj?.metadata?.namespace,
    name: obj?.metadata?.name,
    obj,
    user: { name: 'admin', groups: ['system:masters'] },
    dryRun: false,
    ...extra,
  };
}

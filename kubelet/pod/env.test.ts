import { describe, expect, it } from 'vitest';
import type { ConfigMap, Pod, Secret, Service } from '../../api/types.js';
import { ContainerConfigError, expandVars, resolveEnv, serviceEnv, type EnvSources } from './env.js';

const cms: Record<string, ConfigMap> = { 'shop/cfg': { metadata: { name: 'cfg', namespace: 'shop' }, data: { color: 'blue', size: 'L' } } };
const secrets: Record<string, Secret> = { 'shop/s': { metadata: { name: 's', namespace: 'shop' }, data: { password: Buffer.from('hunter2').toString('base64') } } };
const services: Service[] = [
  { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] } },
  { metadata: { name: 'my-db', namespace: 'shop' }, spec: { clusterIP: '10.96.0.20', ports: [{ port: 5432 }] } },
  { metadata: { name: 'other', namespace: 'elsewhere' }, spec: { clusterIP: '10.96.0.30', ports: [{ port: 80 }] } },
];
const sources: EnvSources = {
  configMap: async (ns, name) => cms[`${ns}/${name}`],
  secret: async (ns, name) => secrets[`${ns}/${name}`],
  services: async () => services,
};

function pod(env: NonNullable<Pod['spec']>['containers'][number]['env'], envFrom?: NonNullable<Pod['spec']>['containers'][number]['envFrom']): Pod {
  return { metadata: { name: 'web', namespace: 'shop', uid: 'u1', labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', env, envFrom }] }, status: { podIP: '10.244.1.5' } };
}

async function resolve(p: Pod): Promise<Map<string, string>> {
  return resolveEnv({ pod: p, container: p.spec!.containers[0], sources, hostIp: '10.200.0.11', nodeAllocatable: { cpuMillis: 2000, memoryBytes: 1 << 30 } });
}

describe('resolveEnv', () => {
  it('resolves every source kind in order', async () => {
    const env = await resolve(
      pod(
        [
          { name: 'A', value: 'x' },
          { name: 'B', value: '$(A)-$(color)' },
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
        ],
        [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
      ),
    );
    expect(Object.fromEntries([...env].filter(([k]) => !k.includes('SERVICE') && !k.includes('_PORT')))).toEqual({
      CFG_color: 'blue',
      CFG_size: 'L',
      A: 'x',
      B: 'x-$(color)',
      COLOR: 'blue',
      PW: 'hunter2',
      POD: 'web',
      NS: 'shop',
      IP: '10.244.1.5',
      NODE: 'n1',
      APP: 'web',
    });
    expect(env.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
    expect(env.get('KUBERNETES_SERVICE_PORT')).toBe('443');
    expect(env.get('MY_DB_SERVICE_HOST')).toBe('10.96.0.20');
    expect(env.has('OTHER_SERVICE_HOST')).toBe(false);
  });

  it.each([
    [[{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope' } } }], /couldn't find key nope in ConfigMap shop\/cfg/],
    [[{ name: 'X', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } }], /couldn't find key k in Secret shop\/gone/],
  ])('fails on a missing reference %#', async (env, msg) => {
    await expect(resolve(pod(env))).rejects.toThrow(ContainerConfigError);
    await expect(resolve(pod(env))).rejects.toThrow(msg);
  });
});

describe('expandVars', () => {
  it.each([
    ['$(A)', 'a'],
    ['$$(A)', '$(A)'],
    ['$(B)', '$(B)'],
    ['x$(A)y$(A)', 'xaya'],
    ['$$', '$'],
  ])('%s → %s', (s, want) => expect(expandVars(s, new Map([['A', 'a']]))).toBe(want));
});

describe('serviceEnv', () => {
  it('skips headless services', () => {
    expect(serviceEnv([{ metadata: { name: 'h' }, spec: { clusterIP: 'None', ports: [{ port: 1 }] } }]).size).toBe(0);
  });
});

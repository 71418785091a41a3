import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../api/types.js';
import { linuxResources, qosClass } from './resources.js';

const GI = 1024 ** 3;
function pod(...containers: Container[]): Pod {
  return { metadata: { name: 'p', uid: 'u' }, spec: { containers } };
}

describe('linuxResources', () => {
  it.each<[string, Container['resources'], object]>([
    ['best effort', undefined, { cpu_shares: 2, oom_score_adj: 1000 }],
    ['request only', { requests: { cpu: '250m', memory: '1Gi' } }, { cpu_shares: 256, oom_score_adj: 875 }],
    ['limits only (requests default to them) → guaranteed', { limits: { cpu: '500m', memory: '64Mi' } }, { cpu_shares: 512, cpu_period: 100000, cpu_quota: 50000, memory_limit_in_bytes: 64 * 1024 * 1024, oom_score_adj: -997 }],
    ['tiny cpu limit keeps the minimum quota', { requests: { cpu: '1m' }, limits: { cpu: '5m' } }, { cpu_shares: 2, cpu_period: 100000, cpu_quota: 1000, oom_score_adj: 999 }],
    ['burstable with a huge request is clamped to 2', { requests: { memory: '16Gi' }, limits: { memory: '32Gi' } }, { cpu_shares: 2, memory_limit_in_bytes: 32 * GI, oom_score_adj: 2 }],
  ])('%s', (_n, resources, want) => {
    const c: Container = { name: 'c', resources };
    expect(linuxResources(pod(c), c, 8 * GI)).toEqual(want);
  });
});

describe('qosClass', () => {
  it.each<[string, Container[], string]>([
    ['no resources', [{ name: 'a' }], 'BestEffort'],
    ['equal requests and limits', [{ name: 'a', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } } }], 'Guaranteed'],
    ['one container without limits', [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }, { name: 'b' }], 'Burstable'],
    ['cpu only', [{ name: 'a', resources: { limits: { cpu: '1' } } }], 'Burstable'],
  ])('%s → %s', (_n, containers, want) => {
    expect(qosClass(pod(...containers))).toBe(want);
  });
});

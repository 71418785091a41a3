import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/types.js';
import { findPodStats, nodeMetrics, podMetrics, windowString } from './convert.js';
import { parseSummary, type NodeSummary } from './summary.js';

const now = new Date('2026-01-02T03:04:05.678Z');
const T = '2026-01-02T03:04:00.123Z';

const summary: NodeSummary = parseSummary({
  node: { nodeName: 'n1', cpu: { time: T, usageNanoCores: 250_000_000 }, memory: { time: T, workingSetBytes: 2 * 1024 ** 3 } },
  pods: [
    { podRef: { namespace: 'a', name: 'web', uid: 'u1' }, containers: [{ name: 'app', cpu: { time: T, usageNanoCores: 1234567 }, memory: { time: T, workingSetBytes: 12345 * 1024 } }] },
    { podRef: { namespace: 'a', name: 'half', uid: 'u2' }, containers: [{ name: 'app', cpu: { time: T, usageNanoCores: 1 } }] },
    { podRef: { namespace: 'a', name: 'empty', uid: 'u3' }, containers: [] },
    { podRef: 'junk' },
  ],
});

const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { zone: 'z1' } } };
const pod = (name: string, uid?: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a', uid, labels: { app: name } } });

describe('parseSummary', () => {
  it('keeps well-formed pods and drops samples without figures', () => {
    expect(summary.pods.map((p) => p.podRef.name)).toEqual(['web', 'half', 'empty']);
    expect(summary.pods[1].containers[0].memory).toBeUndefined();
  });
  it.each([null, [], 'x', { pods: [] }])('refuses %j', (body) => {
    expect(() => parseSummary(body)).toThrow('not a kubelet stats summary');
  });
  it('ignores a non-numeric usage', () => {
    expect(parseSummary({ node: { cpu: { usageNanoCores: '5' } } }).node.cpu).toBeUndefined();
  });
});

describe('nodeMetrics', () => {
  it('has metrics-server shape', () => {
    expect(nodeMetrics(node, summary, 10_000, now)).toEqual({
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'n1', creationTimestamp: '2026-01-02T03:04:05Z', labels: { zone: 'z1' } },
      timestamp: '2026-01-02T03:04:00Z',
      window: '10s',
      usage: { cpu: '250m', memory: '2Gi' },
    });
  });
  it('is absent without a memory sample', () => {
    expect(nodeMetrics(node, { ...summary, node: { nodeName: 'n1', cpu: summary.node.cpu } }, 10_000, now)).toBeUndefined();
  });
});

describe('podMetrics', () => {
  it.each<[string, string | undefined, boolean]>([
    ['web', 'u1', true],
    ['web', undefined, true],
    ['web', 'other-uid', false],
    ['half', 'u2', false],
    ['empty', 'u3', false],
    ['missing', undefined, false],
  ])('pod %s uid %s shown: %s', (name, uid, shown) => {
    const p = pod(name, uid);
    const stats = findPodStats(summary, p);
    expect(Boolean(stats && podMetrics(p, stats, 10_000, now))).toBe(shown);
  });
  it('has metrics-server shape', () => {
    const p = pod('web', 'u1');
    expect(podMetrics(p, findPodStats(summary, p)!, 15_500, now)).toEqual({
      kind: 'PodMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'web', namespace: 'a', creationTimestamp: '2026-01-02T03:04:05Z', labels: { app: 'web' } },
      timestamp: '2026-01-02T03:04:00Z',
      window: '15.5s',
      containers: [{ name: 'app', usage: { cpu: '1234567n', memory: '12345Ki' } }],
    });
  });
});

describe('windowString', () => {
  it.each([
    [10_000, '10s'],
    [1_500, '1.5s'],
    [10_036, '10.036s'],
  ])('%d ms → %s', (ms, want) => {
    expect(windowString(ms)).toBe(want);
  });
});

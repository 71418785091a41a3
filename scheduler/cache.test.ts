import { describe, expect, it } from 'vitest';
import { SchedulerCache } from './cache.js';
import { makeNode, makePod } from './testing.js';

function setup(ttl = 1000) {
  const clock = { t: 0 };
  const cache = new SchedulerCache({ assumedPodTtlMs: ttl, now: () => clock.t });
  cache.addNode(makeNode('n1', { cpu: '2' }));
  cache.addNode(makeNode('n2', { cpu: '2' }));
  return { cache, clock };
}

const cpuOn = (cache: SchedulerCache, node: string) => cache.nodeInfo(node)!.requested.milliCPU;

describe('SchedulerCache assume protocol', () => {
  it('an assumed pod counts on its node at once', () => {
    const { cache } = setup();
    cache.assumePod(makePod('p', { cpu: '500m' }), 'n1');
    expect(cpuOn(cache, 'n1')).toBe(500);
    expect(cache.isAssumed(makePod('p'))).toBe(true);
  });

  it('forget undoes the assumption (bind failed)', () => {
    const { cache } = setup();
    const pod = makePod('p', { cpu: '500m' });
    cache.assumePod(pod, 'n1');
    cache.forgetPod(pod);
    expect(cpuOn(cache, 'n1')).toBe(0);
    expect(cache.podCount()).toBe(0);
  });

  it('the informer confirms the assumption; it then never expires', () => {
    const { cache, clock } = setup();
    const pod = makePod('p', { cpu: '500m' });
    cache.assumePod(pod, 'n1');
    cache.finishBinding(pod);
    cache.addPod(makePod('p', { cpu: '500m', nodeName: 'n1' }));
    expect(cache.isAssumed(pod)).toBe(false);
    clock.t += 10_000;
    expect(cache.cleanupExpired()).toEqual([]);
    expect(cpuOn(cache, 'n1')).toBe(500);
  });

  it('confirmation on another node moves the pod', () => {
    const { cache } = setup();
    cache.assumePod(makePod('p', { cpu: '500m' }), 'n1');
    cache.addPod(makePod('p', { cpu: '500m', nodeName: 'n2' }));
    expect([cpuOn(cache, 'n1'), cpuOn(cache, 'n2')]).toEqual([0, 500]);
  });

  it.each<[string, boolean, number, number]>([
    ['bound but unconfirmed, before the TTL', true, 999, 500],
    ['bound but unconfirmed, at the TTL', true, 1000, 0],
    ['binding still in flight never expires', false, 60_000, 500],
  ])('%s', (_n, finished, elapsed, want) => {
    const { cache, clock } = setup();
    const pod = makePod('p', { cpu: '500m' });
    cache.assumePod(pod, 'n1');
    if (finished) cache.finishBinding(pod);
    clock.t += elapsed;
    cache.cleanupExpired();
    expect(cpuOn(cache, 'n1')).toBe(want);
  });

  it('forgetting a pod leaves a re-created namesake (other uid) assumed', () => {
    const { cache } = setup();
    const old = makePod('p', { cpu: '500m' });
    cache.assumePod(old, 'n1');
    cache.forgetPod({ ...old, metadata: { ...old.metadata, uid: 'other-uid' } });
    expect(cache.isAssumed(old)).toBe(true);
    expect(cache.isAssumed({ ...old, metadata: { ...old.metadata, uid: 'other-uid' } })).toBe(false);
    cache.forgetPod(old);
    expect(cpuOn(cache, 'n1')).toBe(0);
  });

  it('a re-created namesake (other uid) replaces what the cache held under the name', () => {
    const { cache } = setup();
    const old = makePod('p', { cpu: '500m' });
    cache.assumePod(old, 'n1');
    const fresh = { ...old, metadata: { ...old.metadata, uid: 'new-uid' } };
    cache.dropNamesake(old);
    expect(cache.isAssumed(old)).toBe(true);
    cache.dropNamesake(fresh);
    expect(cpuOn(cache, 'n1')).toBe(0);
    cache.assumePod(fresh, 'n2');
    expect(cache.isAssumed(fresh)).toBe(true);
  });

  it('assuming a pod twice is a bug', () => {
    const { cache } = setup();
    cache.assumePod(makePod('p'), 'n1');
    expect(() => cache.assumePod(makePod('p'), 'n2')).toThrow(/already in the scheduler cache/);
  });
});

describe('SchedulerCache nodes and pods', () => {
  it('removing a pod frees its node', () => {
    const { cache } = setup();
    cache.addPod(makePod('p', { cpu: '1', nodeName: 'n2' }));
    expect(cpuOn(cache, 'n2')).toBe(1000);
    cache.removePod(makePod('p', { nodeName: 'n2' }));
    expect(cpuOn(cache, 'n2')).toBe(0);
  });

  it('pods on a node not seen yet count once the node arrives, and the node is not listed before', () => {
    const { cache } = setup();
    cache.addPod(makePod('p', { cpu: '1', nodeName: 'n3' }));
    expect(cache.snapshot().nodes.map((n) => n.name)).toEqual(['n1', 'n2']);
    cache.addNode(makeNode('n3'));
    expect(cache.snapshot().nodes.map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
    expect(cpuOn(cache, 'n3')).toBe(1000);
  });

  it('a removed node leaves the snapshot', () => {
    const { cache } = setup();
    cache.removeNode(makeNode('n1'));
    expect(cache.snapshot().nodes.map((n) => n.name)).toEqual(['n2']);
    expect(cache.snapshot().get('n1')).toBeUndefined();
  });

  it('node updates change allocatable in place', () => {
    const { cache } = setup();
    cache.updateNode(makeNode('n1', { cpu: '8' }));
    expect(cache.nodeInfo('n1')!.allocatable.milliCPU).toBe(8000);
  });

  it('snapshot lists nodes holding pods with affinity terms', () => {
    const { cache } = setup();
    cache.addPod(makePod('a', { nodeName: 'n2', spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: {} }] } } } }));
    expect(cache.snapshot().nodesWithAffinityPods.map((n) => n.name)).toEqual(['n2']);
  });
});

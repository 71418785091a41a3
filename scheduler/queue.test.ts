import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { SchedulingQueue, type ClusterEvent, type QueuedPod } from './queue.js';
import { makePod } from './testing.js';

function clockedQueue(opts: { initialBackoffMs?: number; maxBackoffMs?: number; maxInUnschedulableMs?: number } = {}) {
  const clock = { t: 1_000_000 };
  const q = new SchedulingQueue({ initialBackoffMs: 1000, maxBackoffMs: 10_000, maxInUnschedulableMs: 300_000, ...opts, now: () => clock.t });
  return { q, clock };
}

const prio = (name: string, priority?: number): Pod => makePod(name, { spec: priority === undefined ? {} : { priority } });

async function popNames(q: SchedulingQueue, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const qp = (await q.pop()) as QueuedPod;
    out.push(qp.pod.metadata!.name!);
    q.done(qp);
  }
  return out;
}

describe('SchedulingQueue order', () => {
  it.each<[string, Pod[], string[]]>([
    ['FIFO among equal priority', [prio('a'), prio('b'), prio('c')], ['a', 'b', 'c']],
    ['higher priority first', [prio('low', 1), prio('high', 1000), prio('mid', 10)], ['high', 'mid', 'low']],
    ['missing priority is 0', [prio('none'), prio('neg', -5), prio('pos', 5)], ['pos', 'none', 'neg']],
    ['FIFO within a priority band', [prio('a1', 5), prio('b', 1), prio('a2', 5)], ['a1', 'a2', 'b']],
  ])('%s', async (_n, pods, want) => {
    const { q } = clockedQueue();
    for (const p of pods) q.add(p);
    expect(await popNames(q, pods.length)).toEqual(want);
  });

  it('a waiting pop gets the next added pod', async () => {
    const { q } = clockedQueue();
    const next = q.pop();
    q.add(prio('late'));
    expect((await next)?.pod.metadata?.name).toBe('late');
  });

  it('close releases waiting pops with undefined', async () => {
    const { q } = clockedQueue();
    const next = q.pop();
    q.close();
    expect(await next).toBeUndefined();
  });
});

describe('SchedulingQueue backoff', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 10_000],
    [20, 10_000],
  ])('attempt %d backs off %d ms', (attempts, want) => {
    expect(clockedQueue().q.backoffDuration(attempts)).toBe(want);
  });

  it('an errored pod waits out its backoff, then is active again', async () => {
    const { q, clock } = clockedQueue();
    q.add(prio('p'));
    const qp = (await q.pop())!;
    q.addBackoff(qp);
    expect(q.pending()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
    clock.t += 999;
    q.flushBackoffCompleted();
    expect(q.where('default/p')).toBe('backoff');
    clock.t += 1;
    q.flushBackoffCompleted();
    expect(q.where('default/p')).toBe('active');
    q.close();
  });
});

describe('SchedulingQueue unschedulable moves', () => {
  it.each<[string, string[], ClusterEvent, boolean]>([
    ['node added moves everything', ['NodeResourcesFit'], 'NodeAdd', true],
    ['node updated moves a taint failure', ['TaintToleration'], 'NodeUpdate', true],
    ['assigned pod deleted frees resources', ['NodeResourcesFit'], 'AssignedPodDelete', true],
    ['assigned pod deleted does not help a taint', ['TaintToleration'], 'AssignedPodDelete', false],
    ['assigned pod added may satisfy affinity', ['InterPodAffinity'], 'AssignedPodAdd', true],
    ['assigned pod added does not free resources', ['NodeResourcesFit'], 'AssignedPodAdd', false],
    ['unknown cause moves on any event', [], 'AssignedPodAdd', true],
  ])('%s', async (_n, plugins, event, moves) => {
    const { q, clock } = clockedQueue();
    q.add(prio('p'));
    const qp = (await q.pop())!;
    const cycle = q.cycle;
    q.addUnschedulable(qp, cycle, new Set(plugins));
    expect(q.where('default/p')).toBe('unschedulable');
    clock.t += 60_000; // past its backoff
    q.moveAllToActiveOrBackoff(event);
    expect(q.where('default/p')).toBe(moves ? 'active' : 'unschedulable');
    q.close();
  });

  it('a pod moved while still backing off goes to backoffQ, not activeQ', async () => {
    const { q } = clockedQueue();
    q.add(prio('p'));
    q.addUnschedulable((await q.pop())!, q.cycle, new Set(['NodeResourcesFit']));
    q.moveAllToActiveOrBackoff('NodeAdd');
    expect(q.where('default/p')).toBe('backoff');
    q.close();
  });

  it('an event during the attempt sends the failed pod to backoff instead of parking it', async () => {
    const { q } = clockedQueue();
    q.add(prio('p'));
    const qp = (await q.pop())!;
    const cycle = q.cycle;
    q.moveAllToActiveOrBackoff('NodeAdd');
    q.addUnschedulable(qp, cycle, new Set(['NodeResourcesFit']));
    expect(q.where('default/p')).toBe('backoff');
    q.close();
  });

  it('parked pods get another try after maxInUnschedulable', async () => {
    const { q, clock } = clockedQueue({ maxInUnschedulableMs: 60_000 });
    q.add(prio('p'));
    q.addUnschedulable((await q.pop())!, q.cycle, new Set(['TaintToleration']));
    clock.t += 59_999;
    q.flushUnschedulableLeftover();
    expect(q.where('default/p')).toBe('unschedulable');
    clock.t += 1;
    q.flushUnschedulableLeftover();
    expect(q.where('default/p')).toBe('active');
    q.close();
  });

  it('a parked pod whose spec changes is retried', async () => {
    const { q, clock } = clockedQueue();
    q.add(prio('p'));
    q.addUnschedulable((await q.pop())!, q.cycle, new Set(['NodeAffinity']));
    clock.t += 60_000;
    q.update(prio('p'));
    expect(q.where('default/p')).toBe('unschedulable');
    q.update(makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } }));
    expect(q.where('default/p')).toBe('active');
    q.close();
  });

  it('a pod deleted while being scheduled is not requeued', async () => {
    const { q } = clockedQueue();
    q.add(prio('p'));
    const qp = (await q.pop())!;
    q.delete(prio('p'));
    q.addUnschedulable(qp, q.cycle, new Set());
    expect(q.where('default/p')).toBeUndefined();
    expect(q.pending()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });

  it('the timer flushes backoff on its own once running', async () => {
    const q = new SchedulingQueue({ initialBackoffMs: 30, maxBackoffMs: 30 });
    q.run();
    q.add(prio('p'));
    q.addBackoff((await q.pop())!);
    const again = await q.pop();
    expect(again?.attempts).toBe(2);
    q.close();
  });
});

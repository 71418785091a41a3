import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from '../api/resources.js';
import type { KubeObject, Node, Pod } from '../api/types.js';
import { ApiStatusError } from '../client/errors.js';
import { FakeApiClient } from '../client/fake.js';
import { createInformer } from '../client/informer.js';
import type { EventRecorder } from '../client/interfaces.js';
import { createLogger } from '../client/log.js';
import { waitFor } from '../test/harness/ports.js';
import { defaultProfile } from './profile.js';
import { nodeUpdateMayHelp, Scheduler } from './scheduler.js';
import { makeNode, makePod } from './testing.js';

const type = (resource: string) => BUILTIN_RESOURCES.find((t) => t.resource === resource)!;

interface Recorded {
  name: string;
  type: string;
  reason: string;
  message: string;
}

function start(objects: KubeObject[]) {
  const client = new FakeApiClient({ objects });
  const logger = createLogger('scheduler-test', 'silent');
  const pods = createInformer<Pod>(client, type('pods'), { logger });
  const nodes = createInformer<Node>(client, type('nodes'), { logger });
  const events: Recorded[] = [];
  const recorder: EventRecorder = { event: (obj, t, reason, message) => events.push({ name: obj.metadata?.name ?? '', type: t, reason, message }) };
  const scheduler = new Scheduler({ client, pods, nodes, recorder, profiles: [defaultProfile()], logger, queue: { initialBackoffMs: 20, maxBackoffMs: 50 } });
  const ctl = new AbortController();
  pods.start();
  nodes.start();
  const done = scheduler.run(ctl.signal);
  const stop = async () => {
    ctl.abort();
    await done;
    pods.stop();
    nodes.stop();
  };
  stops.push(stop);
  const nodeOf = async (name: string) => (await client.for<Pod>('pods').get('default', name)).spec?.nodeName;
  return { client, scheduler, events, nodeOf };
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

describe('Scheduler with the fake API', () => {
  it('binds pending pods, spreading a ReplicaSet evenly', async () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => makeNode(n));
    const pods = Array.from({ length: 30 }, (_, i) => makePod(`web-${i}`, { owner: 'web', cpu: '50m', memory: '32Mi' }));
    const { client, events } = start([...nodes, ...pods]);
    await waitFor('pods scheduled', async () => (await client.for<Pod>('pods').list('default')).items.every((p) => p.spec?.nodeName), 5000);
    const perNode = new Map<string, number>();
    for (const p of (await client.for<Pod>('pods').list('default')).items) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
    expect([...perNode.values()]).toEqual([10, 10, 10]);
    expect(events.filter((e) => e.reason === 'Scheduled')).toHaveLength(30);
    expect(client.actions().filter((a) => a.subresource === 'binding')).toHaveLength(30);
  });

  it('leaves pods of other schedulers and bound pods alone', async () => {
    const { client, nodeOf } = start([makeNode('n1'), makePod('mine'), makePod('theirs', { spec: { schedulerName: 'other' } }), makePod('bound', { nodeName: 'elsewhere' })]);
    await waitFor('pods scheduled', async () => (await nodeOf('mine')) === 'n1', 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(await nodeOf('theirs')).toBeUndefined();
    expect(client.actions().filter((a) => a.subresource === 'binding').map((a) => a.name)).toEqual(['mine']);
  });

  it('reports an unschedulable pod through an event and the PodScheduled condition, then places it when a node arrives', async () => {
    const { client, events, nodeOf } = start([makeNode('small', { cpu: '1' }), makePod('big', { cpu: '2' })]);
    await waitFor('pods scheduled', () => events.some((e) => e.reason === 'FailedScheduling'), 5000);
    expect(events.find((e) => e.reason === 'FailedScheduling')).toMatchObject({
      type: 'Warning',
      message: '0/1 nodes are available: 1 Insufficient cpu. preemption: not attempted, skiff-scheduler does not preempt.',
    });
    await waitFor('pods scheduled', async () => (await client.for<Pod>('pods').get('default', 'big')).status?.conditions?.some((c) => c.type === 'PodScheduled') === true, 5000);
    const cond = (await client.for<Pod>('pods').get('default', 'big')).status!.conditions!.find((c) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    await client.for<Node>('nodes').create(undefined, makeNode('large', { cpu: '4' }));
    await waitFor('pods scheduled', async () => (await nodeOf('big')) === 'large', 5000);
  });

  it('a failed bind is forgotten and retried after backoff', async () => {
    const client0 = [makeNode('n1', { cpu: '1' }), makePod('p', { cpu: '800m' })];
    const { client, scheduler, nodeOf } = start(client0);
    client.failNext('create', 'pods', new ApiStatusError(500, 'InternalError', 'Internal error occurred: etcd timed out'), 1);
    await waitFor('pods scheduled', async () => (await nodeOf('p')) === 'n1', 5000);
    // The failed attempt's assumption was dropped: only the real pod counts.
    expect(scheduler.cache.nodeInfo('n1')!.requested.milliCPU).toBe(800);
    expect(client.actions().filter((a) => a.subresource === 'binding')).toHaveLength(2);
  });

  it('a stale event re-queuing a pod whose bind is in flight does not bind it twice', async () => {
    const { client, scheduler, nodeOf } = start([makeNode('n1')]);
    await waitFor('synced', () => scheduler.cache.snapshot().nodes.length === 1, 5000);
    // Hold binds so the pod stays assumed, then replay its pending state as a stale event would.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    const realBind = client.bindPod.bind(client);
    client.bindPod = async (...args) => {
      await held;
      return realBind(...args);
    };
    const p = await client.for<Pod>('pods').create('default', makePod('p'));
    await waitFor('assumed', () => scheduler.cache.isAssumed(p), 5000);
    // As if the queue handed the pod out again from an event older than the bind.
    scheduler.scheduleOne({ key: 'default/p', pod: p, timestamp: 0, order: 0, initialTimestamp: 0, attempts: 1, unschedulablePlugins: new Set(), backoffExpiry: 0 });
    expect(scheduler.pendingBinds).toBe(1);
    release();
    await waitFor('bound', async () => (await nodeOf('p')) === 'n1', 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(client.actions().filter((a) => a.subresource === 'binding')).toHaveLength(1);
  });

  it('holds a pod with scheduling gates until the last gate is removed', async () => {
    const { client, nodeOf } = start([makeNode('n1'), makePod('gated', { spec: { schedulingGates: [{ name: 'example.com/quota' }] } })]);
    await new Promise((r) => setTimeout(r, 200));
    expect(await nodeOf('gated')).toBeUndefined();
    await client.for<Pod>('pods').patch('default', 'gated', 'merge', { spec: { schedulingGates: null } });
    await waitFor('bound once ungated', async () => (await nodeOf('gated')) === 'n1', 5000);
  });

  it('schedules higher priority first', async () => {
    const { client } = start([
      makeNode('n1', { pods: '1' }),
      makePod('low', { spec: { priority: 1 } }),
      makePod('high', { spec: { priority: 100 } }),
    ]);
    await waitFor('pods scheduled', () => client.actions().some((a) => a.subresource === 'binding'), 5000);
    expect(client.actions().find((a) => a.subresource === 'binding')?.name).toBe('high');
  });
});

describe('nodeUpdateMayHelp', () => {
  const base = makeNode('n', { cpu: '4', taints: [{ key: 'old', effect: 'NoSchedule' }] });
  it.each<[string, Node, Node, boolean]>([
    ['heartbeat only', base, { ...base, status: { ...base.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:00Z' }] } }, false],
    ['became ready', makeNode('n', { cpu: '4', ready: 'False', taints: base.spec!.taints }), base, true],
    ['became not ready', base, makeNode('n', { cpu: '4', ready: 'False', taints: base.spec!.taints }), false],
    ['network came up', makeNode('n', { cpu: '4', networkUnavailable: true, taints: base.spec!.taints }), base, true],
    ['allocatable grew', base, makeNode('n', { cpu: '8', taints: base.spec!.taints }), true],
    ['allocatable shrank', base, makeNode('n', { cpu: '2', taints: base.spec!.taints }), false],
    ['taint removed', base, makeNode('n', { cpu: '4' }), true],
    ['taint added', base, makeNode('n', { cpu: '4', taints: [...base.spec!.taints!, { key: 'new', effect: 'NoSchedule' }] }), false],
    ['uncordoned', makeNode('n', { cpu: '4', unschedulable: true, taints: base.spec!.taints }), base, true],
    ['cordoned', base, makeNode('n', { cpu: '4', unschedulable: true, taints: base.spec!.taints }), false],
    ['labels changed', base, makeNode('n', { cpu: '4', labels: { zone: 'a' }, taints: base.spec!.taints }), true],
  ])('%s', (_n, before, after, want) => {
    expect(nodeUpdateMayHelp(before, after)).toBe(want);
  });
});

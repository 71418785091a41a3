import { describe, expect, it } from 'vitest';
import { DaemonSetController } from './controller.js';
import { ControllerTestEnv } from '../testing.js';
import { node } from '../fixtures.js';
import { targetNode } from './placement.js';
import type { ControllerRevision, DaemonSet, Node, Pod } from '../types.js';

const agent = (): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: 'worker' }, containers: [{ name: 'c', image: 'agent:1' }] } } },
});
const worker = (name: string): Node => ({ ...node(name), metadata: { name, labels: { role: 'worker' } } });

async function setup() {
  const env = new ControllerTestEnv([worker('w1'), worker('w2'), node('control')]);
  env.client.seed(agent());
  const ctrl = new DaemonSetController(env.context);
  const step = async () => {
    await env.sync();
    await ctrl.reconcile('default/agent');
    await env.sync();
  };
  /** Scheduler and kubelet: bind each pod where its affinity says, make it Ready. */
  const kubelet = async () => {
    for (const p of await env.all<Pod>('pods')) {
      if (p.status?.phase === 'Running') continue;
      await env.client.for<Pod>('pods').updateStatus({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z' }] } });
    }
  };
  const placed = async () => (await env.all<Pod>('pods')).map((p) => targetNode(p)).sort();
  const ds = async () => env.client.for<DaemonSet>('daemonsets').get('default', 'agent');
  return { env, step, kubelet, placed, ds };
}

describe('DaemonSetController', () => {
  it('puts one pod on each matching node, records a revision, and reports status', async () => {
    const { env, step, kubelet, placed, ds } = await setup();
    await step();
    expect(await placed()).toEqual(['w1', 'w2']);
    const revs = await env.all<ControllerRevision>('controllerrevisions');
    expect(revs).toHaveLength(1);
    expect(revs[0].revision).toBe(1);
    const hash = revs[0].metadata?.labels?.['controller-revision-hash'];
    expect((await env.all<Pod>('pods')).every((p) => p.metadata?.labels?.['controller-revision-hash'] === hash)).toBe(true);
    await kubelet();
    await step();
    expect((await ds()).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, numberMisscheduled: 0, numberUnavailable: 0 });
    // Steady state: no more writes.
    env.client.clearActions();
    await step();
    expect(env.writes()).toEqual([]);
  });

  it('follows nodes joining, leaving and stopping to match', async () => {
    const { env, step, placed } = await setup();
    await step();
    await env.client.for<Node>('nodes').create(undefined, worker('w3'));
    await step();
    expect(await placed()).toEqual(['w1', 'w2', 'w3']);
    await env.client.for('nodes').delete(undefined, 'w1');
    await step();
    expect(await placed()).toEqual(['w2', 'w3']);
    const w2 = await env.client.for<Node>('nodes').get(undefined, 'w2');
    await env.client.for<Node>('nodes').update({ ...w2, metadata: { ...w2.metadata, labels: { role: 'db' } } });
    await step();
    expect(await placed()).toEqual(['w3']);
  });

  it('rolls a new template out one node at a time and bumps the revision', async () => {
    const { env, step, kubelet, ds } = await setup();
    await env.client.for<Node>('nodes').create(undefined, worker('w3'));
    await step();
    await kubelet();
    await step();
    const d = await ds();
    await env.client.for<DaemonSet>('daemonsets').update({ ...d, spec: { ...d.spec!, template: { ...d.spec!.template, spec: { ...d.spec!.template.spec!, containers: [{ name: 'c', image: 'agent:2' }] } } } });
    const images = async () => (await env.all<Pod>('pods')).map((p) => p.spec?.containers[0].image).sort();
    await step();
    // maxUnavailable 1: one old pod goes, the others stay.
    expect(await images()).toEqual(['agent:1', 'agent:1']);
    for (let i = 0; i < 10; i++) {
      await step();
      await kubelet();
      const pods = await env.all<Pod>('pods');
      expect(pods.filter((p) => p.status?.phase === 'Running').length).toBeGreaterThanOrEqual(2);
    }
    expect(await images()).toEqual(['agent:2', 'agent:2', 'agent:2']);
    const revs = (await env.all<ControllerRevision>('controllerrevisions')).map((r) => r.revision).sort();
    expect(revs).toEqual([1, 2]);
    expect((await ds()).status?.updatedNumberScheduled).toBe(3);
  });
});

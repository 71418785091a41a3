import { describe, expect, it } from 'vitest';
import { DeploymentController } from './controller.js';
import { ReplicaSetController } from '../replicaset.js';
import { ControllerTestEnv } from '../testing.js';
import { deployment } from '../fixtures.js';
import type { Deployment, Pod, ReplicaSet } from '../types.js';
import { keyOf } from '../controller.js';

/** A tiny cluster: both controllers plus a stand-in kubelet that makes pods Running and Ready. */
class Cluster {
  readonly env = new ControllerTestEnv();
  readonly deployments = new DeploymentController(this.env.context);
  readonly replicaSets = new ReplicaSetController(this.env.context);
  /** Pods becoming ready per round; Infinity = all at once. */
  readyPerRound = Infinity;
  /** Called after every round with the cluster's pods, to check invariants. */
  onRound?: (pods: Pod[]) => void;

  async create(d: Deployment): Promise<void> {
    await this.env.client.for<Deployment>('deployments').create('default', d);
  }

  async update(name: string, change: (d: Deployment) => void): Promise<void> {
    const c = this.env.client.for<Deployment>('deployments');
    const d = await c.get('default', name);
    change(d);
    await c.update(d);
  }

  /** Runs reconcile rounds until nothing changes (or `maxRounds`). */
  async settle(maxRounds = 60): Promise<number> {
    for (let round = 0; round < maxRounds; round++) {
      const before = this.env.client.resourceVersion();
      await this.env.sync();
      for (const d of await this.env.all<Deployment>('deployments')) await this.deployments.reconcile(keyOf(d));
      await this.env.sync();
      for (const rs of await this.env.all<ReplicaSet>('replicasets')) await this.replicaSets.reconcile(keyOf(rs));
      await this.kubelet();
      this.onRound?.(await this.env.all<Pod>('pods'));
      if (this.env.client.resourceVersion() === before) return round;
      this.env.clock += 1000;
    }
    throw new Error('did not settle');
  }

  private async kubelet(): Promise<void> {
    const pods = this.env.client.for<Pod>('pods');
    let budget = this.readyPerRound;
    for (const p of await this.env.all<Pod>('pods')) {
      if (p.status?.phase === 'Running' || budget <= 0) continue;
      budget--;
      const t = new Date(this.env.clock).toISOString();
      await pods.updateStatus({ ...p, spec: { ...p.spec!, nodeName: 'n1' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }] } });
    }
  }

  async rs(): Promise<ReplicaSet[]> {
    return (await this.env.all<ReplicaSet>('replicasets')).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  }

  async get(name: string): Promise<Deployment> {
    return this.env.client.for<Deployment>('deployments').get('default', name);
  }
}

const ready = (pods: Pod[]): number => pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;

describe('DeploymentController', () => {
  it('creates a hashed ReplicaSet, revision 1, and reports a complete rollout', async () => {
    const c = new Cluster();
    await c.create(deployment('web', 3, { progressDeadlineSeconds: 600 }));
    await c.settle();
    const [rs] = await c.rs();
    const hash = rs.metadata?.labels?.['pod-template-hash'];
    expect(rs.metadata?.name).toBe(`web-${hash}`);
    expect(rs.spec?.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata?.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
    const d = await c.get('web');
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, observedGeneration: d.metadata?.generation });
    expect(d.status?.conditions?.map((x) => `${x.type}=${x.status}/${x.reason}`).sort()).toEqual(['Available=True/MinimumReplicasAvailable', 'Progressing=True/NewReplicaSetAvailable']);
  });

  it.each([
    { surge: 1, unavailable: 0 },
    { surge: 0, unavailable: 1 },
    { surge: '25%', unavailable: '25%' },
    { surge: 2, unavailable: 2 },
  ])('rolls out step by step within maxSurge $surge / maxUnavailable $unavailable', async ({ surge, unavailable }) => {
    const c = new Cluster();
    const replicas = 4;
    await c.create(deployment('web', replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } }));
    await c.settle();
    c.readyPerRound = 1;
    const maxPods = replicas + (typeof surge === 'number' ? surge : 1);
    const minReady = replicas - (typeof unavailable === 'number' ? unavailable : 1);
    let seen = 0;
    c.onRound = (pods) => {
      const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
      expect(live.length).toBeLessThanOrEqual(maxPods);
      expect(ready(live)).toBeGreaterThanOrEqual(minReady);
      seen++;
    };
    await c.update('web', (d) => (d.spec!.template.spec!.containers[0].image = 'busybox:2'));
    await c.settle();
    expect(seen).toBeGreaterThan(2);
    const [a, b] = await c.rs();
    const [oldRs, newRs] = a.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '1' ? [a, b] : [b, a];
    expect(oldRs.spec?.replicas).toBe(0);
    expect(newRs.spec?.replicas).toBe(4);
    expect(newRs.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const pods = await c.env.all<Pod>('pods');
    expect(pods.every((p) => p.spec?.containers[0].image === 'busybox:2')).toBe(true);
  });

  it('rolls back to an old template by reusing its ReplicaSet as a new revision', async () => {
    const c = new Cluster();
    await c.create(deployment('web', 2));
    await c.settle();
    const first = (await c.rs())[0].metadata?.name;
    await c.update('web', (d) => (d.spec!.template.spec!.containers[0].image = 'busybox:2'));
    await c.settle();
    // kubectl rollout undo: copy the old RS's template (without the hash label) into the deployment.
    await c.update('web', (d) => (d.spec!.template.spec!.containers[0].image = 'busybox:1'));
    await c.settle();
    const rss = await c.rs();
    expect(rss).toHaveLength(2);
    const back = rss.find((rs) => rs.metadata?.name === first)!;
    expect(back.spec?.replicas).toBe(2);
    expect(back.metadata?.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
  });

  it('Recreate removes every old pod before starting new ones', async () => {
    const c = new Cluster();
    await c.create(deployment('web', 3, { strategy: { type: 'Recreate' } }));
    await c.settle();
    c.onRound = (pods) => {
      const images = new Set(pods.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.spec?.containers[0].image));
      expect(images.size).toBeLessThanOrEqual(1);
    };
    await c.update('web', (d) => (d.spec!.template.spec!.containers[0].image = 'busybox:2'));
    await c.settle();
    const pods = await c.env.all<Pod>('pods');
    expect(pods.map((p) => p.spec?.containers[0].image)).toEqual(['busybox:2', 'busybox:2', 'busybox:2']);
  });

  it('does not roll out while paused, and resumes', async () => {
    const c = new Cluster();
    await c.create(deployment('web', 2, { progressDeadlineSeconds: 600 }));
    await c.settle();
    await c.update('web', (d) => {
      d.spec!.paused = true;
      d.spec!.template.spec!.containers[0].image = 'busybox:2';
    });
    await c.settle();
    expect(await c.rs()).toHaveLength(1);
    expect((await c.get('web')).status?.conditions?.find((x) => x.type === 'Progressing')?.reason).toBe('DeploymentPaused');
    await c.update('web', (d) => (d.spec!.paused = false));
    await c.settle();
    expect((await c.rs()).map((rs) => rs.spec?.replicas).sort()).toEqual([0, 2]);
  });

  it('scales the active ReplicaSet when replicas change', async () => {
    const c = new Cluster();
    await c.create(deployment('web', 2));
    await c.settle();
    await c.update('web', (d) => (d.spec!.replicas = 5));
    await c.settle();
    const [rs] = await c.rs();
    expect(rs.spec?.replicas).toBe(5);
    expect(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('5');
    expect(await c.env.all('pods')).toHaveLength(5);
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', async () => {
    const c = new Cluster();
    await c.create(deployment('web', 1, { revisionHistoryLimit: 1 }));
    await c.settle();
    for (const image of ['busybox:2', 'busybox:3', 'busybox:4']) {
      await c.update('web', (d) => (d.spec!.template.spec!.containers[0].image = image));
      await c.settle();
    }
    const revisions = (await c.rs()).map((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision']).sort();
    expect(revisions).toEqual(['3', '4']);
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    const c = new Cluster();
    c.readyPerRound = 0;
    await c.create(deployment('web', 2, { progressDeadlineSeconds: 5 }));
    await c.settle();
    c.env.clock += 10_000;
    await c.env.sync();
    const result = await c.deployments.reconcile('default/web');
    expect(result).toBeUndefined();
    const cond = (await c.get('web')).status?.conditions?.find((x) => x.type === 'Progressing');
    expect(cond).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  });
});

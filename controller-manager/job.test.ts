import { describe, expect, it } from 'vitest';
import { JobController } from './job.js';
import { ControllerTestEnv } from './testing.js';
import type { Job, Pod } from './types.js';

function job(name: string, spec: Partial<NonNullable<Job['spec']>>): Job {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec } };
}

async function setup(j: Job) {
  const env = new ControllerTestEnv();
  const seeded = env.client.seed(j);
  // The API server defaults the selector to the job's uid.
  await env.client.for<Job>('jobs').update({ ...seeded, spec: { ...seeded.spec!, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': seeded.metadata!.uid! } } } });
  const ctrl = new JobController(env.context, { backoffBaseMs: 1000 });
  await env.sync();
  const key = `default/${j.metadata!.name}`;
  const step = async () => {
    await env.sync();
    const r = await ctrl.reconcile(key);
    await env.sync();
    return r;
  };
  const finish = async (phase: 'Succeeded' | 'Failed', count = Infinity) => {
    let n = 0;
    for (const p of await env.all<Pod>('pods')) {
      if (n >= count || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
      await env.client.for<Pod>('pods').updateStatus({ ...p, status: { phase } });
      n++;
    }
  };
  const get = async () => env.client.for<Job>('jobs').get('default', j.metadata!.name!);
  return { env, ctrl, step, finish, get };
}

describe('JobController', () => {
  it('runs parallelism pods at a time until completions succeed, keeps finished pods', async () => {
    const { env, step, finish, get } = await setup(job('pi', { completions: 3, parallelism: 2 }));
    await step();
    const pods = await env.all<Pod>('pods');
    expect(pods).toHaveLength(2);
    const j = await get();
    expect(pods[0].metadata?.labels).toMatchObject({ 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': j.metadata?.uid, 'batch.kubernetes.io/controller-uid': j.metadata?.uid });
    expect(pods[0].metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'pi', controller: true });
    expect(j.status).toMatchObject({ active: 2, succeeded: 0, failed: 0 });
    expect(j.status?.startTime).toBeDefined();

    await finish('Succeeded');
    await step();
    expect(await env.all('pods')).toHaveLength(3); // only one more is needed
    await finish('Succeeded');
    await step();
    const done = await get();
    expect(done.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['Complete=True']);
    expect(done.status).toMatchObject({ succeeded: 3, failed: 0 });
    expect(done.status?.completionTime).toBeDefined();
    expect(await env.all('pods')).toHaveLength(3);
  });

  it('backs off between recreations and fails after backoffLimit', async () => {
    const { env, step, finish, get } = await setup(job('flaky', { backoffLimit: 1 }));
    await step();
    await finish('Failed');
    // Failure 1: wait 1 s (the shortened base) before the next pod.
    expect(await step()).toEqual({ requeueAfterMs: 1010 });
    expect(await env.all('pods')).toHaveLength(1);
    env.clock += 1000;
    await step();
    expect(await env.all('pods')).toHaveLength(2);
    await finish('Failed');
    await step();
    const j = await get();
    expect(j.status?.conditions).toMatchObject([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]);
    expect(j.status).toMatchObject({ failed: 2 });
  });

  it('fails with DeadlineExceeded and kills active pods after activeDeadlineSeconds', async () => {
    const { env, step, get } = await setup(job('slow', { activeDeadlineSeconds: 5, parallelism: 2 }));
    expect(await step()).toEqual({ requeueAfterMs: 5010 });
    expect(await env.all('pods')).toHaveLength(2);
    env.clock += 5000;
    await step();
    expect(await env.all('pods')).toHaveLength(0);
    expect((await get()).status?.conditions).toMatchObject([{ type: 'Failed', reason: 'DeadlineExceeded' }]);
  });

  it('without completions, is complete once one pod succeeded and the rest finished', async () => {
    const { step, finish, get } = await setup(job('queue', { parallelism: 2 }));
    await step();
    await finish('Succeeded', 1);
    await step();
    expect((await get()).status?.conditions ?? []).toEqual([]);
    await finish('Succeeded');
    await step();
    expect((await get()).status?.conditions?.[0]).toMatchObject({ type: 'Complete', status: 'True' });
  });
});

// Leader failover between two skiff-scheduler processes (spawned from scheduler/main.ts with
// shortened lease flags): only the Lease holder binds; when the leader is killed, the other
// takes the Lease within lease duration + retry period and binds what is pending; no pod is
// bound twice.

import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Lease, Pod } from '../api/types.js';
import { RestClient, restClientFromKubeconfig } from '../client/rest.js';
import { createLabNode, deleteLabNodes } from '../bench/scheduler-lab.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';

const LEASE_MS = 3000;
const RENEW_MS = 2000;
const RETRY_MS = 250;

let api: TestApiServer;
let client: RestClient;
const children: ChildProcess[] = [];

function spawnScheduler(): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--import', 'tsx', 'scheduler/main.ts',
      `--kubeconfig=${api.kubeconfigPath}`,
      '--leader-elect',
      `--leader-elect-lease-duration=${LEASE_MS}ms`,
      `--leader-elect-renew-deadline=${RENEW_MS}ms`,
      `--leader-elect-retry-period=${RETRY_MS}ms`,
      '--secure-port=0',
      '--pod-initial-backoff=100ms',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SKIFF_LOG_LEVEL: 'info' } },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('exit', (code, signal) => {
    if (code !== 0 && code !== null && signal === null) process.stderr.write(`scheduler ${child.pid} exited ${code}:\n${stderr}\n`);
  });
  children.push(child);
  return child;
}

async function holder(): Promise<string | undefined> {
  try {
    return (await client.for<Lease>('leases').get('kube-system', 'kube-scheduler')).spec?.holderIdentity ?? undefined;
  } catch {
    return undefined;
  }
}

function pod(name: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

async function allBound(prefix: string, n: number): Promise<boolean> {
  const pods = (await client.for<Pod>('pods').list('default')).items.filter((p) => p.metadata?.name?.startsWith(prefix));
  return pods.length === n && pods.every((p) => p.spec?.nodeName);
}

beforeAll(async () => {
  api = await startTestApiServer();
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  await createLabNode(client, 'fo-1');
  await createLabNode(client, 'fo-2');
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  if (client) await deleteLabNodes(client, ['fo-1', 'fo-2']).catch(() => undefined);
  await api?.stop();
});

describe('scheduler leader election', () => {
  it('the standby takes over within lease duration + retry period after the leader is killed; no pod bound twice', async () => {
    const first = spawnScheduler();
    await waitFor('first scheduler leads', async () => Boolean(await holder()), 30_000, 100);
    const leaderIdentity = await holder();
    const second = spawnScheduler();

    for (let i = 0; i < 10; i++) await client.for<Pod>('pods').create('default', pod(`before-${i}`));
    await waitFor('bound by the leader', () => allBound('before-', 10), 20_000);
    // The standby campaigns but never takes a held, renewed Lease.
    await new Promise((r) => setTimeout(r, LEASE_MS));
    expect(await holder()).toBe(leaderIdentity);

    first.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => first.once('exit', r));
    for (let i = 0; i < 10; i++) await client.for<Pod>('pods').create('default', pod(`after-${i}`));
    await waitFor('standby holds the lease', async () => {
      const h = await holder();
      return h !== undefined && h !== leaderIdentity;
    }, 20_000, 50);
    const takeoverMs = Date.now() - killedAt;
    await waitFor('bound by the new leader', () => allBound('after-', 10), 20_000);
    expect(second.exitCode).toBeNull();
    // Observed expiry starts at the standby's last look, so allow one retry period of slack plus request time.
    expect(takeoverMs).toBeLessThan(LEASE_MS + RETRY_MS + 1000);

    const lease = await client.for<Lease>('leases').get('kube-system', 'kube-scheduler');
    expect(lease.spec?.leaseTransitions).toBe(1);
    // Each pod got exactly one successful bind: one Scheduled event, never two. (Events are
    // written in the background; the killed leader may have lost some of its own.)
    const scheduledPerPod = async () => {
      const events = (await client.for<Event>('events').list('default')).items.filter((e) => e.reason === 'Scheduled');
      const perPod = new Map<string, number>();
      for (const e of events) perPod.set(e.involvedObject.name ?? '', (perPod.get(e.involvedObject.name ?? '') ?? 0) + (e.count ?? 1));
      return perPod;
    };
    await waitFor('Scheduled events of the new leader', async () => {
      const perPod = await scheduledPerPod();
      return Array.from({ length: 10 }, (_, i) => `after-${i}`).every((n) => perPod.has(n));
    }, 20_000);
    const perPod = await scheduledPerPod();
    expect([...perPod.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  });
});

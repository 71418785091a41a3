import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import type { ContainerRecord, PodRuntime } from './runtime-state.js';
import { computePodStatus } from './status.js';

function rec(name: string, attempt: number, state: ContainerRecord['state'], exitCode = 0, reason = ''): ContainerRecord {
  return { id: `${name}${attempt}`, sandboxId: 'sb', name, attempt, init: false, hash: '', state, createdAt: 1, startedAt: 1_700_000_000_000, finishedAt: state === 'CONTAINER_EXITED' ? 1_700_000_001_000 : 0, exitCode, reason, message: '', image: 'docker.io/library/busybox:latest', imageRef: 'sha256:abc', logPath: '' };
}

function pod(restartPolicy: 'Always' | 'OnFailure' | 'Never', names = ['a'], inits: string[] = []): Pod {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { restartPolicy, containers: names.map((name) => ({ name, image: 'busybox' })), initContainers: inits.map((name) => ({ name, image: 'busybox' })) } };
}

function status(p: Pod, containers: ContainerRecord[], waiting: [string, string][] = [], ready = true) {
  const runtime: PodRuntime = { uid: 'u', sandboxes: [{ id: 'sb', attempt: 0, state: 'SANDBOX_READY', createdAt: 1, ip: '10.244.1.9' }], containers };
  return computePodStatus({ pod: p, runtime, waiting: new Map(waiting.map(([n, r]) => [n, { reason: r, message: 'm' }])), isReady: () => ready, isStarted: () => true, nodeIp: '10.200.0.11', now: new Date(1_700_000_002_000) });
}

describe('computePodStatus', () => {
  it.each<[string, Pod, ContainerRecord[], [string, string][], string]>([
    ['nothing yet', pod('Always'), [], [], 'Pending'],
    ['running', pod('Always'), [rec('a', 0, 'CONTAINER_RUNNING')], [], 'Running'],
    ['crash loop under Always', pod('Always'), [rec('a', 1, 'CONTAINER_EXITED', 1)], [['a', 'CrashLoopBackOff']], 'Running'],
    ['exit 0 under Never', pod('Never'), [rec('a', 0, 'CONTAINER_EXITED', 0)], [], 'Succeeded'],
    ['exit 1 under Never', pod('Never'), [rec('a', 0, 'CONTAINER_EXITED', 1)], [], 'Failed'],
    ['one of two failed under OnFailure, restarting', pod('OnFailure', ['a', 'b']), [rec('a', 0, 'CONTAINER_EXITED', 0), rec('b', 0, 'CONTAINER_EXITED', 1)], [['b', 'CrashLoopBackOff']], 'Running'],
    ['image pull failing', pod('Always'), [], [['a', 'ErrImagePull']], 'Pending'],
    ['init running', pod('Always', ['a'], ['i']), [rec('i', 0, 'CONTAINER_RUNNING')], [], 'Pending'],
    ['init failed under Never', pod('Never', ['a'], ['i']), [rec('i', 0, 'CONTAINER_EXITED', 1)], [], 'Failed'],
  ])('%s → %s', (_n, p, recs, waiting, phase) => {
    expect(status(p, recs, waiting).phase).toBe(phase);
  });

  it('reports container state, last state, restarts, ids and conditions', () => {
    const s = status(pod('Always'), [rec('a', 2, 'CONTAINER_RUNNING'), rec('a', 1, 'CONTAINER_EXITED', 137, 'OOMKilled')]);
    const cs = s.containerStatuses?.[0];
    expect(cs).toMatchObject({ name: 'a', ready: true, started: true, restartCount: 2, containerID: 'containerd://a2', imageID: 'sha256:abc', state: { running: { startedAt: '2023-11-14T22:13:20Z' } } });
    expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled', containerID: 'containerd://a1' });
    expect(s.podIP).toBe('10.244.1.9');
    expect(s.hostIP).toBe('10.200.0.11');
    expect(s.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['PodScheduled=True', 'Initialized=True', 'ContainersReady=True', 'Ready=True']);
  });

  it('gates Ready on readiness and shows the back-off as waiting with the last exit', () => {
    const notReady = status(pod('Always'), [rec('a', 0, 'CONTAINER_RUNNING')], [], false);
    expect(notReady.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a]' });
    const loop = status(pod('Always'), [rec('a', 3, 'CONTAINER_EXITED', 1)], [['a', 'CrashLoopBackOff']]);
    expect(loop.containerStatuses?.[0]).toMatchObject({ restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
  });

  it('counts a running sidecar init container as initialized', () => {
    const p: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { initContainers: [{ name: 'proxy', image: 'busybox', restartPolicy: 'Always' }], containers: [{ name: 'a', image: 'busybox' }] } };
    const s = status(p, [rec('proxy', 0, 'CONTAINER_RUNNING'), rec('a', 0, 'CONTAINER_RUNNING')]);
    expect(s.phase).toBe('Running');
    expect(s.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(status(p, [rec('proxy', 0, 'CONTAINER_EXITED', 1)]).phase).toBe('Pending');
    const done: Pod = { ...p, spec: { ...p.spec!, restartPolicy: 'Never' } };
    expect(status(done, [rec('proxy', 0, 'CONTAINER_EXITED', 137), rec('a', 0, 'CONTAINER_EXITED', 0)]).phase).toBe('Succeeded');
  });

  it('never leaves a terminal phase', () => {
    const p: Pod = { ...pod('Always'), status: { phase: 'Succeeded' } };
    expect(status(p, [rec('a', 0, 'CONTAINER_RUNNING')]).phase).toBe('Succeeded');
  });
});

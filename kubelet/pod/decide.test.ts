import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import { containerHash } from './container-config.js';
import { computePodActions, podFinished } from './decide.js';
import type { ContainerRecord, PodRuntime } from './runtime-state.js';

const app = { name: 'app', image: 'busybox' };
const init = { name: 'setup', image: 'busybox' };

function pod(restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always', withInit = false): Pod {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { restartPolicy, containers: [app], ...(withInit ? { initContainers: [init] } : {}) } };
}

function rec(name: string, attempt: number, state: ContainerRecord['state'], exitCode = 0, sandboxId = 'sb1'): ContainerRecord {
  return {
    id: `${name}-${attempt}`,
    sandboxId,
    name,
    attempt,
    init: name === 'setup',
    hash: containerHash(name === 'app' ? app : init),
    state,
    createdAt: 1,
    startedAt: 1,
    finishedAt: state === 'CONTAINER_EXITED' ? 1000 : 0,
    exitCode,
    reason: '',
    message: '',
    image: '',
    imageRef: '',
    logPath: '',
  };
}

function rt(containers: ContainerRecord[], sandbox: 'ready' | 'notready' | 'none' = 'ready'): PodRuntime {
  return { uid: 'u', sandboxes: sandbox === 'none' ? [] : [{ id: 'sb1', attempt: 0, state: sandbox === 'ready' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY', createdAt: 1, ip: '10.0.0.2' }], containers };
}

const noProbe = (): undefined => undefined;
const noBackoff = (): number => 0;

function summary(p: Pod, r: PodRuntime, opts: { probe?: (id: string) => 'liveness' | 'startup' | undefined; backoff?: () => number } = {}): object {
  const a = computePodActions({ pod: p, runtime: r, probeFailure: opts.probe ?? noProbe, backoffRemaining: opts.backoff ?? noBackoff });
  return {
    killPod: a.killPod,
    createSandbox: a.createSandbox,
    start: a.start.map((s) => `${s.container.name}#${s.attempt}`),
    kill: a.kill.map((k) => `${k.name}:${k.reason}`),
    waiting: [...a.waiting].map(([n, w]) => `${n}:${w.reason}`),
  };
}

describe('computePodActions', () => {
  it.each<[string, Pod, PodRuntime, object, object]>([
    ['new pod: sandbox and containers', pod(), rt([], 'none'), {}, { killPod: false, createSandbox: true, start: ['app#0'], kill: [], waiting: [] }],
    ['new pod with init: only the first init', pod('Always', true), rt([], 'none'), {}, { killPod: false, createSandbox: true, start: ['setup#0'], kill: [], waiting: [] }],
    ['running and healthy: nothing', pod(), rt([rec('app', 0, 'CONTAINER_RUNNING')]), {}, { killPod: false, createSandbox: false, start: [], kill: [], waiting: [] }],
    ['crashed under Always: restart with the next attempt', pod(), rt([rec('app', 2, 'CONTAINER_EXITED', 1)]), {}, { killPod: false, createSandbox: false, start: ['app#3'], kill: [], waiting: [] }],
    ['crashed but in back-off: CrashLoopBackOff', pod(), rt([rec('app', 2, 'CONTAINER_EXITED', 1)]), { backoff: () => 5000 }, { killPod: false, createSandbox: false, start: [], kill: [], waiting: ['app:CrashLoopBackOff'] }],
    ['OnFailure and exit 0: done, sandbox stopped', pod('OnFailure'), rt([rec('app', 0, 'CONTAINER_EXITED', 0)]), {}, { killPod: true, createSandbox: false, start: [], kill: [], waiting: [] }],
    ['OnFailure and exit 1: restart', pod('OnFailure'), rt([rec('app', 0, 'CONTAINER_EXITED', 1)]), {}, { killPod: false, createSandbox: false, start: ['app#1'], kill: [], waiting: [] }],
    ['Never and exit 1: done', pod('Never'), rt([rec('app', 0, 'CONTAINER_EXITED', 1)]), {}, { killPod: true, createSandbox: false, start: [], kill: [], waiting: [] }],
    ['liveness failed: kill', pod(), rt([rec('app', 0, 'CONTAINER_RUNNING')]), { probe: () => 'liveness' }, { killPod: false, createSandbox: false, start: [], kill: ['app:Unhealthy'], waiting: [] }],
    ['sandbox died: new sandbox, attempts continue', pod(), rt([rec('app', 1, 'CONTAINER_EXITED', 137)], 'notready'), {}, { killPod: true, createSandbox: true, start: ['app#2'], kill: [], waiting: [] }],
    ['sandbox died under Never after running: no re-run', pod('Never'), rt([rec('app', 0, 'CONTAINER_RUNNING')], 'notready'), {}, { killPod: true, createSandbox: false, start: [], kill: [], waiting: [] }],
    ['init running: wait', pod('Always', true), rt([rec('setup', 0, 'CONTAINER_RUNNING')]), {}, { killPod: false, createSandbox: false, start: [], kill: [], waiting: [] }],
    ['init done: app starts', pod('Always', true), rt([rec('setup', 0, 'CONTAINER_EXITED', 0)]), {}, { killPod: false, createSandbox: false, start: ['app#0'], kill: [], waiting: [] }],
    ['init failed under Always: retried', pod('Always', true), rt([rec('setup', 0, 'CONTAINER_EXITED', 2)]), {}, { killPod: false, createSandbox: false, start: ['setup#1'], kill: [], waiting: [] }],
    ['init failed under Never: pod done', pod('Never', true), rt([rec('setup', 0, 'CONTAINER_EXITED', 2)]), {}, { killPod: true, createSandbox: false, start: [], kill: [], waiting: [] }],
  ])('%s', (_n, p, r, opts, want) => {
    expect(summary(p, r, opts)).toEqual(want);
  });

  it.each<[string, ContainerRecord[], object]>([
    ['sidecar not started: start it first', [], { start: ['proxy#0'] }],
    ['sidecar running: app starts', [rec('proxy', 0, 'CONTAINER_RUNNING')], { start: ['app#0'] }],
    ['sidecar exited: restarted, app waits', [rec('proxy', 0, 'CONTAINER_EXITED', 1)], { start: ['proxy#1'] }],
  ])('sidecar init container: %s', (_n, recs, want) => {
    const p: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { initContainers: [{ name: 'proxy', image: 'busybox', restartPolicy: 'Always' }], containers: [app] } };
    expect(summary(p, rt(recs))).toMatchObject(want);
  });

  it('restarts a container whose spec changed', () => {
    const changed: Pod = { ...pod(), spec: { containers: [{ ...app, image: 'busybox:2' }] } };
    expect(summary(changed, rt([rec('app', 0, 'CONTAINER_RUNNING')]))).toMatchObject({ kill: ['app:SpecChanged'], start: ['app#1'] });
  });

  it('knows when a pod is finished', () => {
    expect(podFinished(pod('Always'), rt([rec('app', 0, 'CONTAINER_EXITED', 0)]))).toBe(false);
    expect(podFinished(pod('OnFailure'), rt([rec('app', 0, 'CONTAINER_EXITED', 0)]))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import { podPrinter, summarizePod } from './pod.js';

const now = new Date('2026-01-01T12:00:00Z');
const created = '2026-01-01T11:55:00Z';

function pod(spec: Partial<NonNullable<Pod['spec']>>, status: NonNullable<Pod['status']>, meta: Partial<NonNullable<Pod['metadata']>> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: created, ...meta },
    spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
    status,
  };
}

const running = { running: { startedAt: '2026-01-01T11:56:00Z' } };
const twoContainers = { containers: [{ name: 'a' }, { name: 'b' }] };

describe('summarizePod', () => {
  it.each<[string, Pod, { ready: string; status: string; restarts: string }]>([
    ['pending, not scheduled', pod({}, { phase: 'Pending' }), { ready: '0/1', status: 'Pending', restarts: '0' }],
    [
      'container creating',
      pod({}, { phase: 'Pending', containerStatuses: [{ name: 'app', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }),
      { ready: '0/1', status: 'ContainerCreating', restarts: '0' },
    ],
    [
      'one of two ready',
      pod(twoContainers, {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', image: '', imageID: '', ready: true, restartCount: 0, state: running },
          { name: 'b', image: '', imageID: '', ready: false, restartCount: 0, state: running },
        ],
      }),
      { ready: '1/2', status: 'Running', restarts: '0' },
    ],
    [
      'crash loop with restarts and the time of the last one',
      pod({}, {
        phase: 'Running',
        containerStatuses: [{
          name: 'app', image: '', imageID: '', ready: false, restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-01-01T11:55:00Z' } },
        }],
      }),
      { ready: '0/1', status: 'CrashLoopBackOff', restarts: '3 (5m ago)' },
    ],
    [
      'completed',
      pod({}, { phase: 'Succeeded', containerStatuses: [{ name: 'app', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
      { ready: '0/1', status: 'Completed', restarts: '0' },
    ],
    [
      'terminated without reason: exit code',
      pod({}, { phase: 'Failed', containerStatuses: [{ name: 'app', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137 } } }] }),
      { ready: '0/1', status: 'ExitCode:137', restarts: '0' },
    ],
    [
      'terminated by a signal without reason',
      pod({}, { phase: 'Failed', containerStatuses: [{ name: 'app', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, signal: 9 } } }] }),
      { ready: '0/1', status: 'Signal:9', restarts: '0' },
    ],
    [
      'completed beside a running ready container, pod ready',
      pod(twoContainers, {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'a', image: '', imageID: '', ready: true, restartCount: 0, state: running },
          { name: 'b', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      }),
      { ready: '1/2', status: 'Running', restarts: '0' },
    ],
    [
      'completed beside a running container, pod not ready',
      pod(twoContainers, {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', image: '', imageID: '', ready: true, restartCount: 0, state: running },
          { name: 'b', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      }),
      { ready: '1/2', status: 'NotReady', restarts: '0' },
    ],
    [
      'second init container running',
      pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] }, {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'i2', image: '', imageID: '', ready: false, restartCount: 0, state: running },
        ],
        containerStatuses: [{ name: 'app', image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
      }),
      { ready: '0/1', status: 'Init:1/2', restarts: '0' },
    ],
    [
      'init container crash looping',
      pod({ initContainers: [{ name: 'i1' }] }, {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i1', image: '', imageID: '', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      }),
      { ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '2' },
    ],
    [
      'init container failed with exit code',
      pod({ initContainers: [{ name: 'i1' }] }, {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i1', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }],
      }),
      { ready: '0/1', status: 'Init:ExitCode:2', restarts: '0' },
    ],
    [
      'sidecar counts toward total and ready',
      pod({ initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] }, {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 'proxy', image: '', imageID: '', ready: true, started: true, restartCount: 1, state: running }],
        containerStatuses: [{ name: 'app', image: '', imageID: '', ready: true, restartCount: 0, state: running }],
      }),
      { ready: '2/2', status: 'Running', restarts: '1' },
    ],
    [
      'terminating',
      pod({ nodeName: 'n1' }, { phase: 'Running', containerStatuses: [{ name: 'app', image: '', imageID: '', ready: true, restartCount: 0, state: running }] }, { deletionTimestamp: '2026-01-01T12:00:30Z' }),
      { ready: '1/1', status: 'Terminating', restarts: '0' },
    ],
    [
      'a terminal pod being deleted keeps its phase',
      pod({}, { phase: 'Succeeded', containerStatuses: [{ name: 'app', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, { deletionTimestamp: '2026-01-01T12:00:30Z' }),
      { ready: '0/1', status: 'Completed', restarts: '0' },
    ],
    ['unreachable node', pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: '2026-01-01T12:00:30Z' }), { ready: '0/1', status: 'Unknown', restarts: '0' }],
    ['evicted', pod({}, { phase: 'Failed', reason: 'Evicted' }), { ready: '0/1', status: 'Evicted', restarts: '0' }],
    [
      'scheduling gated',
      pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      { ready: '0/1', status: 'SchedulingGated', restarts: '0' },
    ],
  ])('%s', (_name, p, want) => {
    expect(summarizePod(p, now)).toEqual(want);
  });
});

describe('podPrinter', () => {
  it('fills the wide columns and marks finished pods completed', () => {
    const p = pod(
      { nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/ready' }, { conditionType: 'example.com/lb' }] },
      { phase: 'Succeeded', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], conditions: [{ type: 'example.com/ready', status: 'True' }] },
    );
    expect(podPrinter.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
    ]);
    expect(podPrinter.row(p, now)).toEqual({
      cells: ['web', '0/1', 'Succeeded', '0', '5m', '10.244.1.5', 'node-1', '<none>', '1/2'],
      conditions: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }],
    });
  });

  it('prints <none> for a pod not yet placed', () => {
    expect(podPrinter.row(pod({}, { phase: 'Pending' }), now).cells.slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });
});

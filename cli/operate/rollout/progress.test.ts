import { describe, expect, it } from 'vitest';
import type { DaemonSet, Deployment } from '../../../api/types.js';
import { daemonSetProgress, deploymentProgress } from './progress.js';

const deployment = (replicas: number, generation: number, status: NonNullable<Deployment['status']>): Deployment => ({
  metadata: { name: 'web', generation },
  spec: { replicas, selector: {}, template: {} },
  status,
});

describe('deploymentProgress', () => {
  it.each([
    { name: 'spec not yet observed', d: deployment(3, 2, { observedGeneration: 1 }), done: false, message: 'Waiting for deployment spec update to be observed...' },
    { name: 'updating', d: deployment(3, 2, { observedGeneration: 2, updatedReplicas: 1, replicas: 4 }), done: false, message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...' },
    { name: 'old replicas terminating', d: deployment(3, 2, { observedGeneration: 2, updatedReplicas: 3, replicas: 4 }), done: false, message: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...' },
    { name: 'not yet available', d: deployment(3, 2, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 1 }), done: false, message: 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...' },
    { name: 'done', d: deployment(3, 2, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), done: true, message: 'deployment "web" successfully rolled out' },
    { name: 'scaled to zero', d: deployment(0, 1, { observedGeneration: 1 }), done: true, message: 'deployment "web" successfully rolled out' },
  ])('$name', ({ d, done, message }) => {
    expect(deploymentProgress(d)).toEqual({ done, message });
  });

  it('fails once the progress deadline is exceeded', () => {
    const d = deployment(3, 2, { observedGeneration: 2, updatedReplicas: 3, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(() => deploymentProgress(d)).toThrow('deployment "web" exceeded its progress deadline');
  });
});

describe('daemonSetProgress', () => {
  const ds = (status: DaemonSet['status'], type = 'RollingUpdate'): DaemonSet => ({ metadata: { name: 'agent', generation: 1 }, spec: { selector: {}, template: {}, updateStrategy: { type } }, status });
  const s = (updated: number, available: number) => ({ observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: updated, numberAvailable: available, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: available });
  it.each([
    { status: s(1, 1), done: false, message: 'Waiting for daemon set "agent" rollout to finish: 1 out of 2 new pods have been updated...' },
    { status: s(2, 1), done: false, message: 'Waiting for daemon set "agent" rollout to finish: 1 of 2 updated pods are available...' },
    { status: s(2, 2), done: true, message: 'daemon set "agent" successfully rolled out' },
  ])('$message', ({ status, done, message }) => {
    expect(daemonSetProgress(ds(status))).toEqual({ done, message });
  });

  it('refuses OnDelete', () => {
    expect(() => daemonSetProgress(ds(s(2, 2), 'OnDelete'))).toThrow('only available for RollingUpdate');
  });
});

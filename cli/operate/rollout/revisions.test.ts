import { describe, expect, it } from 'vitest';
import type { ControllerRevision, PodTemplateSpec, ReplicaSet } from '../../../api/types.js';
import { chooseUndo, controllerRevisions, replicaSetRevisions } from './revisions.js';

const template = (image: string, hash?: string): PodTemplateSpec => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'web', image }] },
});

const rs = (revision: string, image: string, cause?: string): ReplicaSet => ({
  metadata: { name: `web-${revision}`, annotations: { 'deployment.kubernetes.io/revision': revision, ...(cause ? { 'kubernetes.io/change-cause': cause } : {}) } },
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(image, `h${revision}`) },
});

// Out of order, as a list returns them; one without a revision (not yet annotated).
const history = replicaSetRevisions([rs('3', 'web:3'), rs('1', 'web:1', 'first'), rs('2', 'web:2'), { ...rs('0', 'x'), metadata: { name: 'new' } }]);

describe('replicaSetRevisions', () => {
  it('orders by revision, drops unnumbered ones and the hash label, keeps change causes', () => {
    expect(history.map((r) => r.revision)).toEqual([1, 2, 3]);
    expect(history[0].template.metadata?.labels).toEqual({ app: 'web' });
    expect(history[0].changeCause).toBe('first');
  });
});

describe('chooseUndo', () => {
  it.each([
    { name: 'no revision given: the one before the current', to: 0, current: 'web:3', want: { kind: 'rollback', revision: 2 } },
    { name: 'a given revision', to: 1, current: 'web:3', want: { kind: 'rollback', revision: 1 } },
    { name: 'already running that template: skipped', to: 3, current: 'web:3', want: { kind: 'skip', revision: 3 } },
    { name: 'the previous template, when the current one was rolled back to', to: 0, current: 'web:2', want: { kind: 'skip', revision: 2 } },
  ])('$name', ({ to, current, want }) => {
    const choice = chooseUndo(history, to, template(current), 'deployment.apps/web');
    expect(choice.kind === 'rollback' ? { kind: 'rollback', revision: choice.to.revision } : choice).toEqual(want);
  });

  it.each([
    { name: 'no history', hist: [], to: 0, error: 'no rollout history found for deployment.apps/web' },
    { name: 'only one revision', hist: history.slice(0, 1), to: 0, error: 'it has only revision 1' },
    { name: 'an unknown revision', hist: history, to: 9, error: 'unable to find specified revision 9 in history of deployment.apps/web; it has revisions 1, 2, 3' },
  ])('$name', ({ hist, to, error }) => {
    expect(() => chooseUndo(hist, to, template('web:3'), 'deployment.apps/web')).toThrow(error);
  });

  it('reads DaemonSet ControllerRevisions: the template out of the replace patch', () => {
    const cr = (revision: number, image: string): ControllerRevision => ({
      metadata: { name: `agent-${revision}` },
      revision,
      data: { spec: { template: { ...template(image), $patch: 'replace' } } },
    });
    const revs = controllerRevisions([cr(2, 'agent:2'), cr(1, 'agent:1')]);
    expect(revs.map((r) => r.revision)).toEqual([1, 2]);
    expect(revs[0].template).toEqual(template('agent:1'));
    const choice = chooseUndo(revs, 0, template('agent:2'), 'daemonset.apps/agent');
    expect(choice.kind === 'rollback' && choice.to.revision).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { DaemonSet, Deployment, Job, ReplicaSet } from '../types.js';
import { causes, edit, messages } from './testing.js';

const template = {
  metadata: { labels: { app: 'web', tier: 'frontend' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
};

const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: structuredClone(template) },
};

describe('Deployment', () => {
  it('accepts a typical deployment', () => expect(causes('Deployment', deployment)).toEqual([]));

  it.each<[string, (d: Deployment) => void, string[]]>([
    ['negative replicas', (d) => (d.spec!.replicas = -1), ['spec.replicas FieldValueInvalid']],
    ['zero replicas', (d) => (d.spec!.replicas = 0), []],
    ['no selector', (d) => delete (d.spec as Partial<Deployment['spec']>)!.selector, ['spec.selector FieldValueRequired']],
    ['empty selector', (d) => (d.spec!.selector = {}), ['spec.selector FieldValueInvalid']],
    ['selector does not match template', (d) => (d.spec!.selector = { matchLabels: { app: 'db' } }), ['spec.template.metadata.labels FieldValueInvalid']],
    [
      'selector expression matching template',
      (d) => (d.spec!.selector = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'backend'] }] }),
      [],
    ],
    ['bad selector operator', (d) => (d.spec!.selector = { matchExpressions: [{ key: 'app', operator: 'Is' }] }), ['spec.selector.matchExpressions[0].operator FieldValueNotSupported']],
    ['In without values', (d) => (d.spec!.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }), ['spec.selector.matchExpressions[0].values FieldValueRequired']],
    ['bad selector label', (d) => (d.spec!.selector = { matchLabels: { app: 'not valid' } }), ['spec.selector.matchLabels FieldValueInvalid']],
    ['template restartPolicy Never', (d) => (d.spec!.template.spec!.restartPolicy = 'Never'), ['spec.template.spec.restartPolicy FieldValueNotSupported']],
    ['template without containers', (d) => (d.spec!.template.spec!.containers = []), ['spec.template.spec.containers FieldValueRequired']],
    ['template container image', (d) => (d.spec!.template.spec!.containers[0].image = ''), ['spec.template.spec.containers[0].image FieldValueRequired']],
    ['template image placeholder with spaces', (d) => (d.spec!.template.spec!.containers[0].image = ' '), []],
    ['template active deadline', (d) => (d.spec!.template.spec!.activeDeadlineSeconds = 10), ['spec.template.spec.activeDeadlineSeconds FieldValueForbidden']],
    ['strategy type', (d) => (d.spec!.strategy = { type: 'BlueGreen' }), ['spec.strategy.type FieldValueNotSupported']],
    [
      'Recreate with rolling parameters',
      (d) => (d.spec!.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }),
      ['spec.strategy.rollingUpdate FieldValueForbidden'],
    ],
    ['both zero', (d) => (d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }), ['spec.strategy.rollingUpdate.maxUnavailable FieldValueInvalid']],
    ['one zero', (d) => (d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }), []],
    ['bad percent', (d) => (d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25 percent' } }), ['spec.strategy.rollingUpdate.maxSurge FieldValueInvalid']],
    ['over 100%', (d) => (d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } }), ['spec.strategy.rollingUpdate.maxUnavailable FieldValueInvalid']],
    ['negative surge', (d) => (d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: -1 } }), ['spec.strategy.rollingUpdate.maxSurge FieldValueInvalid']],
    ['negative history', (d) => (d.spec!.revisionHistoryLimit = -1), ['spec.revisionHistoryLimit FieldValueInvalid']],
    ['deadline not above minReady', (d) => Object.assign(d.spec!, { minReadySeconds: 30, progressDeadlineSeconds: 30 }), ['spec.progressDeadlineSeconds FieldValueInvalid']],
  ])('%s', (_name, change, expected) => expect(causes('Deployment', edit(deployment, change))).toEqual(expected));

  it('words the selector mismatch as Kubernetes does', () => {
    expect(messages('Deployment', edit(deployment, (d) => (d.spec!.selector = { matchLabels: { app: 'db' } })))).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"web","tier":"frontend"}: `selector` does not match template `labels`',
    ]);
  });

  it.each<[string, (d: Deployment) => void, string[]]>([
    ['scaling is fine', (d) => (d.spec!.replicas = 10), []],
    ['new image is fine', (d) => (d.spec!.template.spec!.containers[0].image = 'nginx:1.28'), []],
    ['selector is immutable', (d) => (d.spec!.selector = { matchLabels: { app: 'web', tier: 'frontend' } }), ['spec.selector FieldValueInvalid']],
  ])('update: %s', (_name, change, expected) => expect(causes('Deployment', edit(deployment, change), deployment)).toEqual(expected));
});

describe('ReplicaSet and DaemonSet', () => {
  const rs: ReplicaSet = {
    metadata: { name: 'web-5d8f', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: structuredClone(template) },
  };
  const ds: DaemonSet = {
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: structuredClone(template) },
  };
  it.each<[string, ReplicaSet, string[]]>([
    ['valid', rs, []],
    ['negative replicas', edit(rs, (r) => (r.spec!.replicas = -2)), ['spec.replicas FieldValueInvalid']],
    ['selector mismatch', edit(rs, (r) => (r.spec!.selector = { matchLabels: { app: 'x' } })), ['spec.template.metadata.labels FieldValueInvalid']],
    ['no template', edit(rs, (r) => delete r.spec!.template), ['spec.template.metadata.labels FieldValueInvalid', 'spec.template FieldValueRequired']],
  ])('ReplicaSet %s', (_name, obj, expected) => expect(causes('ReplicaSet', obj)).toEqual(expected));

  it('ReplicaSet selector is immutable', () => {
    expect(causes('ReplicaSet', edit(rs, (r) => (r.spec!.selector = { matchLabels: { tier: 'frontend' } })), rs)).toEqual(['spec.selector FieldValueInvalid']);
  });

  it.each<[string, DaemonSet, string[]]>([
    ['valid', ds, []],
    ['OnDelete', edit(ds, (d) => (d.spec!.updateStrategy = { type: 'OnDelete' })), []],
    ['bad strategy', edit(ds, (d) => (d.spec!.updateStrategy = { type: 'Sometimes' })), ['spec.updateStrategy.type FieldValueNotSupported']],
    [
      'both zero',
      edit(ds, (d) => (d.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } })),
      ['spec.updateStrategy.rollingUpdate.maxUnavailable FieldValueInvalid'],
    ],
    ['template restart policy', edit(ds, (d) => (d.spec!.template.spec!.restartPolicy = 'OnFailure')), ['spec.template.spec.restartPolicy FieldValueNotSupported']],
  ])('DaemonSet %s', (_name, obj, expected) => expect(causes('DaemonSet', obj)).toEqual(expected));

  it('DaemonSet selector is immutable', () => {
    expect(causes('DaemonSet', edit(ds, (d) => (d.spec!.selector = { matchLabels: { tier: 'frontend' } })), ds)).toEqual(['spec.selector FieldValueInvalid']);
  });
});

describe('Job', () => {
  // As stored: the server set the uid before defaulting generated the selector.
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: '1f6c0c1e-0000-4000-8000-000000000001' },
    spec: {
      backoffLimit: 4,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }] } },
    },
  };

  it.each<[string, (j: Job) => void, string[]]>([
    ['valid', () => undefined, []],
    ['OnFailure', (j) => (j.spec!.template.spec!.restartPolicy = 'OnFailure'), []],
    ['restartPolicy left to default (Always)', (j) => delete j.spec!.template.spec!.restartPolicy, ['spec.template.spec.restartPolicy FieldValueNotSupported']],
    ['negative parallelism', (j) => (j.spec!.parallelism = -1), ['spec.parallelism FieldValueInvalid']],
    ['negative completions', (j) => (j.spec!.completions = -1), ['spec.completions FieldValueInvalid']],
    ['negative backoffLimit', (j) => (j.spec!.backoffLimit = -1), ['spec.backoffLimit FieldValueInvalid']],
    ['zero deadline', (j) => (j.spec!.activeDeadlineSeconds = 0), ['spec.activeDeadlineSeconds FieldValueInvalid']],
    ['Indexed needs completions', (j) => Object.assign(j.spec!, { completionMode: 'Indexed', parallelism: 2 }), ['spec.completions FieldValueRequired']],
    ['bad completion mode', (j) => (j.spec!.completionMode = 'Sometimes'), ['spec.completionMode FieldValueNotSupported']],
    [
      'a selector without manualSelector is refused',
      (j) => {
        j.spec!.selector = { matchLabels: { job: 'pi' } };
        j.spec!.template.metadata = { labels: { job: 'pi' } };
      },
      ['spec.selector FieldValueInvalid'],
    ],
    [
      'the legacy generated selector is accepted',
      (j) => {
        j.spec!.selector = { matchLabels: { 'controller-uid': j.metadata!.uid! } };
        j.spec!.template.metadata = { labels: { 'controller-uid': j.metadata!.uid! } };
      },
      [],
    ],
    [
      'manual selector must match the template',
      (j) => Object.assign(j.spec!, { manualSelector: true, selector: { matchLabels: { job: 'pi' } } }),
      ['spec.template.metadata.labels FieldValueInvalid'],
    ],
    [
      'manual selector matching',
      (j) => {
        Object.assign(j.spec!, { manualSelector: true, selector: { matchLabels: { job: 'pi' } } });
        j.spec!.template.metadata = { labels: { job: 'pi' } };
      },
      [],
    ],
  ])('%s', (_name, change, expected) => expect(causes('Job', edit(job, change))).toEqual(expected));

  it.each<[string, (j: Job) => void, string[]]>([
    ['same manifest again', () => undefined, []],
    // Without the generated selector the template also loses the generated labels.
    ['switched to a manual selector', (j) => Object.assign(j.spec!, { manualSelector: true, selector: { matchLabels: { job: 'pi' } } }), [
      'spec.template.metadata.labels FieldValueInvalid', 'spec.selector FieldValueInvalid', 'spec.template FieldValueInvalid',
    ]],
    ['template changed while running', (j) => (j.spec!.template.spec!.containers[0].image = 'perl:5.36'), ['spec.template FieldValueInvalid']],
    ['completion mode changed', (j) => Object.assign(j.spec!, { completionMode: 'Indexed', completions: 1 }), ['spec.completionMode FieldValueInvalid']],
  ])('update: %s', (_name, change, expected) => expect(causes('Job', edit(job, change), job)).toEqual(expected));

  it('update: a suspended job may change its template', () => {
    const suspended = edit(job, (j) => (j.spec!.suspend = true));
    expect(causes('Job', edit(suspended, (j) => (j.spec!.template.spec!.containers[0].image = 'perl:5.36')), suspended)).toEqual([]);
  });
});

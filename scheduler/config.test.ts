import { describe, expect, it } from 'vitest';
import { loadConfig, mergePlugins } from './config.js';

const names = (xs: ReadonlyArray<{ name: string }>) => xs.map((x) => x.name);

describe('loadConfig', () => {
  it('an empty document is the default profile', () => {
    const c = loadConfig('');
    expect(c.profiles).toHaveLength(1);
    expect(c.profiles[0].schedulerName).toBe('default-scheduler');
    expect(names(c.profiles[0].filter)).toContain('NodeResourcesFit');
    expect(c.leaderElection).toMatchObject({ leaderElect: false, leaseDurationMs: 15_000, resourceNamespace: 'kube-system', resourceName: 'kube-scheduler' });
    expect([c.podInitialBackoffMs, c.podMaxBackoffMs]).toEqual([1000, 10_000]);
    expect(c.profiles[0].percentageOfNodesToScore).toBe(100);
    expect(loadConfig('percentageOfNodesToScore: 0').profiles[0].percentageOfNodesToScore).toBe(0);
  });

  it('reads profiles, plugins, weights, strategy and leader election', () => {
    const c = loadConfig(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 50
podInitialBackoffSeconds: 2
leaderElection:
  leaderElect: true
  leaseDuration: 4s
  renewDeadline: 3s
  retryPeriod: 500ms
profiles:
  - schedulerName: default-scheduler
  - schedulerName: packer
    plugins:
      filter:
        disabled: [{ name: NodePorts }]
      score:
        disabled: [{ name: '*' }]
        enabled: [{ name: NodeResourcesFit, weight: 5 }]
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: MostAllocated
            resources: [{ name: cpu, weight: 2 }, { name: memory, weight: 1 }]
`);
    expect(c.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler', 'packer']);
    const packer = c.profiles[1];
    expect(names(packer.filter)).not.toContain('NodePorts');
    expect(packer.score.map((s) => [s.plugin.name, s.weight])).toEqual([['NodeResourcesFit', 5]]);
    expect(packer.percentageOfNodesToScore).toBe(50);
    expect(c.leaderElection).toMatchObject({ leaderElect: true, leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 });
    expect(c.podInitialBackoffMs).toBe(2000);
  });

  it.each([
    ['unknown plugin', 'profiles: [{ plugins: { filter: { enabled: [{ name: NodeResourcesFitt }] } } }]', /unknown plugin "NodeResourcesFitt"/],
    ['score-only plugin as a filter', 'profiles: [{ plugins: { filter: { enabled: [{ name: NodeResourcesBalancedAllocation }] } } }]', /does not implement filter/],
    ['unsupported extension point', 'profiles: [{ plugins: { bind: { enabled: [{ name: DefaultBinder }] } } }]', /plugins.bind: extension point not supported/],
    ['unknown top-level field', 'percentOfNodes: 5', /unknown field "percentOfNodes"/],
    ['bad apiVersion', 'apiVersion: kubescheduler.config.k8s.io/v1beta1', /apiVersion .* is not supported/],
    ['bad duration', 'leaderElection: { leaseDuration: soon }', /leaderElection.leaseDuration/],
    ['duplicate profile', 'profiles: [{ schedulerName: a }, { schedulerName: a }]', /duplicate schedulerName "a"/],
    ['bad strategy', 'profiles: [{ pluginConfig: [{ name: NodeResourcesFit, args: { scoringStrategy: { type: RequestedToCapacityRatio } } }] }]', /RequestedToCapacityRatio" is not supported/],
    ['bad weight', 'profiles: [{ plugins: { score: { enabled: [{ name: NodeAffinity, weight: 1000 }] } } }]', /weight: must be an integer/],
    ['not YAML', 'profiles: [', /not valid YAML/],
  ])('rejects %s', (_n, text, err) => {
    expect(() => loadConfig(text)).toThrow(err);
  });
});

describe('mergePlugins', () => {
  const defaults = [['A', 1], ['B', 2], ['C', 3]] as const;
  it.each<[string, Parameters<typeof mergePlugins>[1], Array<[string, number]>]>([
    ['nothing set', undefined, [['A', 1], ['B', 2], ['C', 3]]],
    ['disable one', { disabled: [{ name: 'B' }] }, [['A', 1], ['C', 3]]],
    ['disable all, enable one', { disabled: [{ name: '*' }], enabled: [{ name: 'C' }] }, [['C', 1]]],
    ['re-weight in place', { enabled: [{ name: 'B', weight: 9 }] }, [['A', 1], ['B', 9], ['C', 3]]],
    ['append new', { enabled: [{ name: 'D', weight: 4 }] }, [['A', 1], ['B', 2], ['C', 3], ['D', 4]]],
  ])('%s', (_n, set, want) => {
    expect(mergePlugins(defaults, set, 'x')).toEqual(want);
  });
});

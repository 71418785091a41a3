import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import { byLogPreference, chooseContainer } from './pods.js';

const pod = (containers: string[], init: string[] = [], annotations?: Record<string, string>): Pod => ({
  metadata: { name: 'web', annotations },
  spec: { containers: containers.map((name) => ({ name })), initContainers: init.map((name) => ({ name })) },
});

describe('chooseContainer', () => {
  it('takes the only container silently', () => expect(chooseContainer(pod(['web']), undefined)).toEqual({ name: 'web', note: undefined }));
  it('defaults to the first of several and says which exist', () => {
    expect(chooseContainer(pod(['web', 'sidecar'], ['setup']), undefined)).toEqual({ name: 'web', note: 'Defaulted container "web" out of: web, sidecar, setup (init)' });
  });
  it('follows the default-container annotation without a note', () => {
    expect(chooseContainer(pod(['web', 'sidecar'], [], { 'kubectl.kubernetes.io/default-container': 'sidecar' }), undefined)).toEqual({ name: 'sidecar', note: undefined });
  });
  it('accepts init containers by name and names the containers for a typo', () => {
    expect(chooseContainer(pod(['web'], ['setup']), 'setup').name).toBe('setup');
    expect(() => chooseContainer(pod(['web', 'sidecar']), 'wbe')).toThrow('container wbe is not valid for pod web; its containers are: web, sidecar');
  });
});

describe('byLogPreference', () => {
  const p = (name: string, phase: string, node: string | undefined, ready: boolean, created: string): Pod => ({
    metadata: { name, creationTimestamp: created },
    spec: { nodeName: node, containers: [] },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
  it('prefers scheduled, running, ready, older pods', () => {
    const pods = [
      p('pending', 'Pending', undefined, false, '2026-01-01T00:00:00Z'),
      p('new-ready', 'Running', 'n', true, '2026-01-03T00:00:00Z'),
      p('not-ready', 'Running', 'n', false, '2026-01-01T00:00:00Z'),
      p('old-ready', 'Running', 'n', true, '2026-01-02T00:00:00Z'),
    ];
    expect(pods.sort(byLogPreference).map((x) => x.metadata?.name)).toEqual(['old-ready', 'new-ready', 'not-ready', 'pending']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/types.js';
import { formatNodeTop, formatPodTop, type PodMetrics } from './top.js';

const node = (name: string): Node => ({ metadata: { name }, status: { allocatable: { cpu: '2', memory: '4Gi' } } });

describe('top nodes', () => {
  it('prints usage and share of allocatable; unknown for nodes without metrics', () => {
    const out = formatNodeTop([{ metadata: { name: 'node-0' }, usage: { cpu: '250000000n', memory: '1048576Ki' } }], [node('node-1'), node('node-0')]);
    expect(out).toBe(
      'NAME     CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)\n' +
        'node-0   250m         12%         1024Mi          25%\n' +
        'node-1   <unknown>    <unknown>   <unknown>       <unknown>\n',
    );
  });
});

describe('top pods', () => {
  const metrics: PodMetrics[] = [
    { metadata: { name: 'web-b', namespace: 'default' }, containers: [{ name: 'web', usage: { cpu: '5m', memory: '20Mi' } }] },
    {
      metadata: { name: 'web-a', namespace: 'default' },
      containers: [
        { name: 'web', usage: { cpu: '1m', memory: '10Mi' } },
        { name: 'sidecar', usage: { cpu: '2m', memory: '3000Ki' } },
      ],
    },
  ];
  it('sums containers per pod, sorted by name', () => {
    expect(formatPodTop(metrics)).toBe('NAME    CPU(cores)   MEMORY(bytes)\nweb-a   3m           12Mi\nweb-b   5m           20Mi\n');
  });
  it('per container with namespaces, sorted by cpu', () => {
    expect(formatPodTop(metrics, { containers: true, withNamespace: true, sortBy: 'cpu', noHeaders: true })).toBe(
      'default   web-b   web       5m    20Mi\ndefault   web-a   sidecar   2m    2Mi\ndefault   web-a   web       1m    10Mi\n',
    );
  });
  it('refuses an unknown sort key', () => expect(() => formatPodTop(metrics, { sortBy: 'age' })).toThrow(/cpu or memory/));
});

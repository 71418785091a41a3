import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/types.js';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, podNonZeroRequests, podRequests, podScalarRequests } from './resources.js';

const c = (cpu?: string, memory?: string, restartPolicy?: string): Container => ({
  name: 'c',
  ...(restartPolicy ? { restartPolicy } : {}),
  resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
});

const pod = (containers: Container[], initContainers: Container[] = [], overhead?: Record<string, string>): Pod => ({
  metadata: { name: 'p' },
  spec: { containers, initContainers, ...(overhead ? { overhead } : {}) },
});

describe('podRequests', () => {
  it.each([
    ['no containers', pod([]), 0, 0],
    ['app containers sum', pod([c('100m', '1Mi'), c('200m', '2Mi')]), 300, 3 * 2 ** 20],
    ['init bigger than apps wins per resource', pod([c('100m', '10Mi')], [c('500m', '1Mi')]), 500, 10 * 2 ** 20],
    ['init containers do not sum', pod([c('100m')], [c('300m'), c('400m')]), 400, 0],
    ['overhead on top', pod([c('100m', '1Mi')], [], { cpu: '250m', memory: '1Mi' }), 350, 2 * 2 ** 20],
    ['sidecar adds to apps and to later init steps', pod([c('100m')], [c('50m', undefined, 'Always'), c('500m')]), 550, 0],
    ['sidecar alone', pod([c('100m')], [c('50m', undefined, 'Always')]), 150, 0],
  ])('%s', (_name, p, cpu, mem) => {
    expect(podRequests(p)).toEqual({ milliCPU: cpu, memory: mem });
  });

  it('non-zero requests fill unset cpu and memory with the scoring defaults', () => {
    expect(podNonZeroRequests(pod([c(), c('300m')]))).toEqual({ milliCPU: DEFAULT_MILLI_CPU_REQUEST + 300, memory: 2 * DEFAULT_MEMORY_REQUEST });
  });
});

describe('podScalarRequests', () => {
  const gpu = (n: string, restartPolicy?: string): Container => ({ name: 'c', ...(restartPolicy ? { restartPolicy } : {}), resources: { limits: { 'example.com/gpu': n } } });
  it.each<[string, Pod, Record<string, number>]>([
    ['none', pod([c('1', '1Gi')]), {}],
    ['limit stands in for the request', pod([gpu('1'), gpu('2')]), { 'example.com/gpu': 3 }],
    ['init peak wins', pod([gpu('1')], [gpu('4')]), { 'example.com/gpu': 4 }],
    ['sidecar adds', pod([gpu('1')], [gpu('1', 'Always')]), { 'example.com/gpu': 2 }],
    ['storage in bytes', pod([{ name: 'c', resources: { requests: { 'ephemeral-storage': '1Ki' } } }]), { 'ephemeral-storage': 1024 }],
  ])('%s', (_n, p, want) => {
    expect(Object.fromEntries(podScalarRequests(p))).toEqual(want);
  });
});

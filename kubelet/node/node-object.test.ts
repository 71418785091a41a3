import { describe, expect, it } from 'vitest';
import type { NodeCondition } from '../../api/types.js';
import type { HostInfo } from './host-info.js';
import { nodeConditions, nodeStatus, statusChanged, type Health } from './node-object.js';

const host: HostInfo = { cpus: 2, memory: { totalBytes: 4 * 1024 ** 3, availableBytes: 3 * 1024 ** 3 }, kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', architecture: 'amd64', machineID: 'm', bootID: 'b' };
const fs = { capacityBytes: 100 * 1024 ** 3, availableBytes: 50 * 1024 ** 3, inodes: 1000, inodesFree: 500 };
const healthy: Health = { memoryPressure: false, diskPressure: false, pidPressure: false };

describe('nodeConditions', () => {
  it.each<[string, Health, Record<string, string>]>([
    ['healthy', healthy, { Ready: 'True/KubeletReady', MemoryPressure: 'False/KubeletHasSufficientMemory', DiskPressure: 'False/KubeletHasNoDiskPressure', PIDPressure: 'False/KubeletHasSufficientPID' }],
    ['runtime down', { ...healthy, runtimeProblem: 'container runtime is down' }, { Ready: 'False/KubeletNotReady' }],
    ['memory pressure', { ...healthy, memoryPressure: true }, { MemoryPressure: 'True/KubeletHasInsufficientMemory', Ready: 'True/KubeletReady' }],
    ['disk pressure', { ...healthy, diskPressure: true }, { DiskPressure: 'True/KubeletHasDiskPressure' }],
  ])('%s', (_n, h, want) => {
    const got = Object.fromEntries(nodeConditions(undefined, h, new Date(0)).map((c) => [c.type, `${c.status}/${c.reason}`]));
    expect(got).toMatchObject(want);
  });

  it('moves lastTransitionTime only on change, lastHeartbeatTime always', () => {
    const first = nodeConditions(undefined, healthy, new Date(1000_000));
    const second = nodeConditions(first, healthy, new Date(2000_000));
    const ready = (l: NodeCondition[]) => l.find((c) => c.type === 'Ready');
    expect(ready(second)?.lastTransitionTime).toBe(ready(first)?.lastTransitionTime);
    expect(ready(second)?.lastHeartbeatTime).not.toBe(ready(first)?.lastHeartbeatTime);
    const down = nodeConditions(second, { ...healthy, runtimeProblem: 'x' }, new Date(3000_000));
    expect(ready(down)?.lastTransitionTime).toBe('1970-01-01T00:50:00Z');
  });
});

describe('nodeStatus', () => {
  const id = { name: 'n1', nodeIp: '10.200.0.11', kubeletPort: 10250, maxPods: 110 };
  const s = nodeStatus({ id, host, fs, runtimeVersion: '1.6.20~ds1', health: healthy, now: new Date(0) });

  it('reports capacity, addresses and node info', () => {
    expect(s.capacity).toEqual({ cpu: '2', memory: '4194304Ki', pods: '110', 'ephemeral-storage': '104857600Ki' });
    expect(s.allocatable).toEqual(s.capacity);
    expect(s.addresses).toEqual([
      { type: 'InternalIP', address: '10.200.0.11' },
      { type: 'Hostname', address: 'n1' },
    ]);
    expect(s.nodeInfo).toMatchObject({ containerRuntimeVersion: 'containerd://1.6.20~ds1', kubeletVersion: 'v1.32.0-skiff', operatingSystem: 'linux', architecture: 'amd64' });
    expect(s.daemonEndpoints?.kubeletEndpoint?.Port).toBe(10250);
  });

  it('ignores heartbeat-only differences', () => {
    const later = nodeStatus({ id, host, fs, runtimeVersion: '1.6.20~ds1', health: healthy, old: s, now: new Date(60_000) });
    expect(statusChanged(s, later)).toBe(false);
    const down = nodeStatus({ id, host, fs, runtimeVersion: '1.6.20~ds1', health: { ...healthy, runtimeProblem: 'down' }, old: s, now: new Date(60_000) });
    expect(statusChanged(s, down)).toBe(true);
  });
});

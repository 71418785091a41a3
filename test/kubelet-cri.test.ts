// The CRI client against a real containerd in a node namespace: sandbox and container
// lifecycle, pulls from the cluster registry by tag, localhost between containers, limits in
// the cgroup and an OOM kill, stats, and a containerd crash that the pod survives.

import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CriClient } from '../kubelet/cri/client.js';
import { CriError } from '../kubelet/cri/errors.js';
import type { ContainerConfig, PodSandboxConfig } from '../kubelet/cri/types.js';
import { createLogger } from '../client/log.js';
import { pushImage } from '../deploy/registry/push.js';
import { ImageGc } from '../kubelet/images/gc.js';
import { syncRoutes, type IpRunner } from '../kubelet/network/routes.js';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from './harness/images.js';
import { createTestNode, type TestNode } from './harness/node.js';
import { waitFor } from './harness/ports.js';

let node: TestNode;
let cri: CriClient;

beforeAll(async () => {
  node = await createTestNode();
  cri = node.cri();
});

afterAll(async () => {
  await node?.remove();
});

function sandboxConfig(name: string, uid: string): PodSandboxConfig {
  return {
    metadata: { name, uid, namespace: 'default', attempt: 0 },
    hostname: name,
    log_directory: `${node.dir}/pods/default_${name}_${uid}`,
    labels: { 'io.kubernetes.pod.uid': uid },
    linux: { cgroup_parent: `${node.cgroupRoot}/pod${uid}`, security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
}

function container(name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command, log_path: `${name}/0.log`, ...extra };
}

async function runningPod(name: string, containers: ContainerConfig[]): Promise<{ sandboxId: string; ids: string[]; config: PodSandboxConfig }> {
  const config = sandboxConfig(name, `uid-${name}-${Date.now()}`);
  const sandboxId = await cri.runPodSandbox(config);
  const ids: string[] = [];
  for (const c of containers) {
    const id = await cri.createContainer(sandboxId, c, config);
    await cri.startContainer(id);
    ids.push(id);
  }
  return { sandboxId, ids, config };
}

async function removePod(sandboxId: string): Promise<void> {
  await cri.stopPodSandbox(sandboxId);
  await cri.removePodSandbox(sandboxId);
}

describe('CRI against containerd', () => {
  it('reports version and a ready runtime and network', async () => {
    const v = await cri.version();
    expect(v.runtime_name).toBe('containerd');
    expect(v.runtime_api_version).toBe('v1');
    const st = await cri.status();
    const cond = Object.fromEntries((st.status?.conditions ?? []).map((c) => [c.type, c.status]));
    expect(cond).toEqual({ RuntimeReady: true, NetworkReady: true });
  });

  it('pulls busybox by tag from the cluster registry (the docker.io mirror)', async () => {
    expect(await cri.imageStatus(BUSYBOX_IMAGE)).toBeNull();
    const ref = await cri.pullImage(BUSYBOX_IMAGE);
    expect(ref).toBe(node.registry.images.busybox.config.digest);
    const img = await cri.imageStatus(BUSYBOX_IMAGE);
    expect(img?.repo_tags).toContain(BUSYBOX_IMAGE);
    await expect(cri.pullImage('docker.io/library/nope:1')).rejects.toThrow(/PullImage docker.io\/library\/nope:1/);
  });

  it('runs a sandbox and a container through their whole lifecycle', async () => {
    const config = sandboxConfig('life', 'uid-life');
    const sandboxId = await cri.runPodSandbox(config);
    // The sandbox image came from the registry because RunPodSandbox needed it.
    expect(await cri.imageStatus(PAUSE_IMAGE)).not.toBeNull();
    const sb = await cri.podSandboxStatus(sandboxId);
    expect(sb.status?.state).toBe('SANDBOX_READY');
    const ip = sb.status?.network?.ip ?? '';
    expect(ip.startsWith(node.podCidr.split('.').slice(0, 3).join('.') + '.')).toBe(true);

    const id = await cri.createContainer(sandboxId, container('main', ['sh', '-c', 'echo hello from main; trap "exit 0" TERM; while true; do sleep 0.2; done']), config);
    expect((await cri.containerStatus(id)).status?.state).toBe('CONTAINER_CREATED');
    await cri.startContainer(id);
    expect((await cri.containerStatus(id)).status?.state).toBe('CONTAINER_RUNNING');
    const listed = await cri.listContainers({ pod_sandbox_id: sandboxId });
    expect(listed.map((c) => c.id)).toEqual([id]);

    const ex = await cri.execSync(id, ['sh', '-c', 'hostname; echo err >&2; exit 3'], 5);
    expect(ex.stdout.toString()).toBe('life\n');
    expect(ex.stderr.toString()).toBe('err\n');
    expect(ex.exit_code).toBe(3);

    await waitFor('log line', () => existsSync(`${config.log_directory}/main/0.log`) && readFileSync(`${config.log_directory}/main/0.log`, 'utf8').includes('hello from main'));
    expect(readFileSync(`${config.log_directory}/main/0.log`, 'utf8')).toMatch(/^\S+Z stdout F hello from main$/m);

    await cri.stopContainer(id, 5);
    const st = (await cri.containerStatus(id)).status;
    expect(st?.state).toBe('CONTAINER_EXITED');
    expect(st?.exit_code).toBe(0);
    expect(st?.reason).toBe('Completed');
    await cri.removeContainer(id);
    const err = await cri.containerStatus(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CriError);
    expect((err as CriError).notFound).toBe(true);
    expect((err as CriError).message).toContain(id);
    await removePod(sandboxId);
    expect((await cri.listPodSandbox({ id: sandboxId })).length).toBe(0);
  });

  it('lets two containers of one pod talk over localhost', async () => {
    const { sandboxId, ids } = await runningPod('duo', [
      container('web', ['httpd', '-f', '-p', '127.0.0.1:8080', '-h', '/var/www']),
      container('client', ['sleep', '3600']),
    ]);
    try {
      await waitFor('httpd answers over localhost', async () => {
        const r = await cri.execSync(ids[1], ['timeout', '2', 'wget', '-q', '-O', '-', 'http://127.0.0.1:8080/'], 5);
        return r.exit_code === 0 && r.stdout.toString() === 'busybox httpd\n';
      });
    } finally {
      await removePod(sandboxId);
    }
  });

  it('puts the memory limit in the cgroup and reports an OOM kill', async () => {
    const limit = 16 * 1024 * 1024;
    const { sandboxId, ids, config } = await runningPod('oom', [
      container('hog', ['sh', '-c', 'sleep 1; head -c 64m /dev/zero | tail > /dev/null'], { linux: { resources: { memory_limit_in_bytes: limit, cpu_period: 100000, cpu_quota: 50000, cpu_shares: 512 } } }),
    ]);
    try {
      const cg = `/sys/fs/cgroup/memory${config.linux?.cgroup_parent}/${ids[0]}/memory.limit_in_bytes`;
      expect(Number(readFileSync(cg, 'utf8'))).toBe(limit);
      expect(Number(readFileSync(`/sys/fs/cgroup/cpu${config.linux?.cgroup_parent}/${ids[0]}/cpu.cfs_quota_us`, 'utf8'))).toBe(50000);
      await waitFor('OOM kill', async () => (await cri.containerStatus(ids[0])).status?.state === 'CONTAINER_EXITED', 20_000);
      const st = (await cri.containerStatus(ids[0])).status;
      expect(st?.reason).toBe('OOMKilled');
      expect(st?.exit_code).toBe(137);
    } finally {
      await removePod(sandboxId);
    }
  });

  it('reports stats that are non-zero and move', async () => {
    const { sandboxId, ids } = await runningPod('busy', [container('spin', ['sh', '-c', 'while true; do :; done'], { linux: { resources: { cpu_period: 100000, cpu_quota: 20000 } } })]);
    try {
      const first = await cri.containerStats(ids[0]);
      expect(Number(first?.memory?.working_set_bytes?.value)).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 500));
      const second = await cri.containerStats(ids[0]);
      expect(BigInt(second?.cpu?.usage_core_nano_seconds?.value ?? '0')).toBeGreaterThan(BigInt(first?.cpu?.usage_core_nano_seconds?.value ?? '0'));
      const pod = await cri.podSandboxStats(sandboxId);
      expect(pod?.linux?.network?.default_interface?.name).toBe('eth0');
      expect((await cri.listContainerStats({ pod_sandbox_id: sandboxId })).length).toBe(1);
    } finally {
      await removePod(sandboxId);
    }
  });

  it('keeps a running pod through a containerd crash and restart', async () => {
    const { sandboxId, ids } = await runningPod('survivor', [container('main', ['sleep', '3600'])]);
    try {
      await node.restartContainerd('SIGKILL');
      const after = node.cri();
      await waitFor('containerd back', async () => (await after.version()).runtime_name === 'containerd');
      expect((await after.podSandboxStatus(sandboxId)).status?.state).toBe('SANDBOX_READY');
      expect((await after.containerStatus(ids[0])).status?.state).toBe('CONTAINER_RUNNING');
      cri = after;
    } finally {
      await removePod(sandboxId);
    }
  });
});

describe('node-side pieces against the real system', () => {
  it('garbage-collects unused images above the threshold, never one in use or the sandbox image', async () => {
    // A third image: busybox pushed under another name, pulled, and not used by any container.
    await pushImage(node.registry.url, node.registry.images.busybox, { repository: 'library/spare', tag: '1' });
    await cri.pullImage('docker.io/library/spare:1');
    const { sandboxId } = await runningPod('gc-user', [container('main', ['sleep', '3600'])]);
    try {
      const gc = new ImageGc({ cri, highThresholdPercent: 0, lowThresholdPercent: 0, pinned: [PAUSE_IMAGE], log: createLogger('test', 'silent') });
      const res = await gc.run();
      // spare and busybox are one image (same id): it is in use, so nothing may go.
      expect(res.removed).toEqual([]);
      expect(await cri.imageStatus('docker.io/library/spare:1')).not.toBeNull();
    } finally {
      await removePod(sandboxId);
    }
    const gc = new ImageGc({ cri, highThresholdPercent: 0, lowThresholdPercent: 0, pinned: [PAUSE_IMAGE], log: createLogger('test', 'silent') });
    const res = await gc.run();
    expect(res.removed.length).toBe(1);
    expect(await cri.imageStatus(BUSYBOX_IMAGE)).toBeNull();
    expect(await cri.imageStatus(PAUSE_IMAGE)).not.toBeNull();
    await cri.pullImage(BUSYBOX_IMAGE);
  });

  it('keeps host-gateway routes in the node namespace in step with the nodes', async () => {
    const inNode: IpRunner = async (args) => node.netns.exec('ip', args);
    const routes = [{ cidr: '10.244.250.0/24', via: node.hostIp }];
    expect(await syncRoutes(routes, inNode)).toEqual({ added: routes, removed: [] });
    expect(node.netns.exec('ip', ['-4', 'route', 'show', '10.244.250.0/24'])).toContain(`via ${node.hostIp}`);
    expect(await syncRoutes(routes, inNode)).toEqual({ added: [], removed: [] });
    expect(await syncRoutes([], inNode)).toEqual({ added: [], removed: routes });
    expect(node.netns.exec('ip', ['-4', 'route', 'show', '10.244.250.0/24'])).toBe('');
  });
});

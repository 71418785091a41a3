// A test node: a network namespace joined to the root namespace by a veth pair (a /30 of
// its own), the cluster registry listening on the root end of that pair, and the node's own
// containerd started inside the namespace. remove() takes down everything it made — the
// node's pods, containerd and its shims, mounts under its state dir, cgroups under
// /skiff/<node>, the namespace with its veth, the registry, and the temp dir — also after a
// failed test (call it from afterAll).

import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killRuncContainers, killShims, removeCgroupTree, unmountUnder } from '../../deploy/containerd/cleanup.js';
import { writeContainerdConfig, type ContainerdPaths } from '../../deploy/containerd/config.js';
import { startContainerd, stopContainerd, type ContainerdProcess } from '../../deploy/containerd/process.js';
import { CriClient } from '../../kubelet/cri/client.js';
import { writeCniConfig } from '../../kubelet/network/cni-config.js';
import { PAUSE_IMAGE, startTestRegistry, type TestRegistry } from './images.js';
import { createNetNs, linkToRoot, type NetNs } from './netns.js';
import { freePort } from './ports.js';

export interface TestNodeOptions {
  /** Write the CNI conflist for `podCidr` now (CRI-level tests); kubelet tests let the kubelet do it. */
  writeCni?: boolean;
  podCidr?: string;
  /**
   * Route the pod CIDR from the root namespace via the node's address, so a kubelet running
   * in the test process reaches pod IPs (probes). The route goes with the veth pair.
   */
  routeFromRoot?: boolean;
}

export interface TestNode {
  /** Node name; also the netns name and the cgroup root `/skiff/<name>`. */
  name: string;
  netns: NetNs;
  /** The node's address (inside the netns) and the root end of its veth pair. */
  nodeIp: string;
  hostIp: string;
  podCidr: string;
  dir: string;
  cniConfDir: string;
  ipamDataDir: string;
  containerd: ContainerdPaths;
  /** `unix://…` for --container-runtime-endpoint. */
  endpoint: string;
  registry: TestRegistry;
  cgroupRoot: string;
  cri(): CriClient;
  /** Stops containerd (SIGTERM, or SIGKILL to simulate a crash) and starts it again. */
  restartContainerd(signal?: NodeJS.Signals): Promise<void>;
  stopContainerd(signal?: NodeJS.Signals): Promise<void>;
  startContainerd(): Promise<void>;
  remove(): Promise<void>;
}

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function usedAddresses(): Set<string> {
  const out = sh('ip', ['-o', '-4', 'addr', 'show']);
  return new Set([...out.matchAll(/inet (\d+\.\d+\.\d+)\.\d+\//g)].map((m) => m[1]));
}

/** A /30 in 10.201.0.0/16 whose /24 no interface uses yet (tests of several files run at once). */
function pickLink(): { hostIp: string; nodeIp: string } {
  const used = usedAddresses();
  for (let i = 0; i < 50; i++) {
    const third = randomInt(0, 256);
    if (used.has(`10.201.${third}`)) continue;
    const base = randomInt(0, 63) * 4;
    return { hostIp: `10.201.${third}.${base + 1}`, nodeIp: `10.201.${third}.${base + 2}` };
  }
  throw new Error('no free 10.201.x.0/30 for a test node');
}

/** A 10.244.x.0/24 the root namespace has no route for (test files run in parallel). */
function pickPodCidr(): string {
  const routes = sh('ip', ['-4', 'route', 'show']);
  for (let i = 0; i < 50; i++) {
    const cidr = `10.244.${randomInt(1, 255)}.0/24`;
    if (!routes.includes(cidr)) return cidr;
  }
  throw new Error('no free pod CIDR for a test node');
}

async function teardownPods(socket: string): Promise<void> {
  const cri = new CriClient(`unix://${socket}`, { timeoutMs: 20_000 });
  try {
    for (const sb of await cri.listPodSandbox()) {
      await cri.stopPodSandbox(sb.id).catch(() => undefined);
      await cri.removePodSandbox(sb.id).catch(() => undefined);
    }
  } finally {
    cri.close();
  }
}

export async function createTestNode(opts: TestNodeOptions = {}): Promise<TestNode> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const undo = async (): Promise<void> => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // keep undoing the rest
      }
    }
  };
  try {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-node-'));
    cleanups.push(() => {
      unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
    });

    const netns = createNetNs('node');
    cleanups.push(() => netns.remove());
    const name = netns.name;
    const cgroupRoot = `/skiff/${name}`;
    cleanups.push(() => {
      removeCgroupTree(cgroupRoot.slice(1));
      // The shared /skiff parent goes too once the last test node is gone (busy otherwise).
      removeCgroupTree('skiff', false);
    });

    const { hostIp, nodeIp } = pickLink();
    linkToRoot(netns, `sk${randomBytes(4).toString('hex')}`, hostIp, nodeIp);
    netns.exec('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);

    const registry = await startTestRegistry(`${hostIp}:${await freePort()}`);
    cleanups.push(() => registry.remove());

    const podCidr = opts.podCidr ?? pickPodCidr();
    if (opts.routeFromRoot) sh('ip', ['route', 'add', podCidr, 'via', nodeIp]);
    const cniConfDir = join(dir, 'cni', 'net.d');
    const ipamDataDir = join(dir, 'cni', 'ipam');
    mkdirSync(ipamDataDir, { recursive: true });
    // The kubelet under test runs in the root namespace: it reaches the stream server on the node's address.
    const paths = writeContainerdConfig({ dir: join(dir, 'containerd'), sandboxImage: PAUSE_IMAGE, cniConfDir, registryUrl: registry.url, streamServerAddress: nodeIp });
    if (opts.writeCni !== false) writeCniConfig(cniConfDir, { podCidr, ipamDataDir });

    let proc: ContainerdProcess | undefined = await startContainerd(paths, netns.path);
    cleanups.push(async () => {
      if (proc) {
        await teardownPods(paths.socket).catch(() => undefined);
      }
      await stopContainerd(paths, proc?.pid);
      killRuncContainers(paths.runcRoot);
      killShims(paths.socket);
      proc = undefined;
    });

    const clients: CriClient[] = [];
    cleanups.push(() => clients.forEach((c) => c.close()));

    const node: TestNode = {
      name,
      netns,
      nodeIp,
      hostIp,
      podCidr,
      dir,
      cniConfDir,
      ipamDataDir,
      containerd: paths,
      endpoint: `unix://${paths.socket}`,
      registry,
      cgroupRoot,
      cri: () => {
        const c = new CriClient(`unix://${paths.socket}`, { timeoutMs: 60_000 });
        clients.push(c);
        return c;
      },
      stopContainerd: async (signal = 'SIGTERM') => {
        await stopContainerd(paths, proc?.pid, signal);
        proc = undefined;
      },
      startContainerd: async () => {
        proc = await startContainerd(paths, netns.path);
      },
      restartContainerd: async (signal = 'SIGTERM') => {
        await node.stopContainerd(signal);
        await node.startContainerd();
      },
      remove: undo,
    };
    return node;
  } catch (err) {
    await undo();
    throw err;
  }
}

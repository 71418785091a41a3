// Stand-in pods for tests of networking alone: a "node" namespace holding a bridge, and
// "pod" namespaces on it, each running busybox httpd that answers "I am <pod>". The proxy's
// rules and the DNS server can then be tested with real traffic, without containerd.

import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createNetNs, type NetNs } from './netns.js';
import { waitFor } from './ports.js';

export interface FakePod {
  name: string;
  ip: string;
  ns: NetNs;
  /** wget from inside the pod; returns the body, or throws on refusal/timeout. */
  get(url: string, timeoutSeconds?: number): string;
}

export interface FakeNode {
  ns: NetNs;
  /** The node's own address (on a dummy interface), for node ports. */
  nodeIP: string;
  pods: FakePod[];
  addPod(name: string, ip: string): Promise<FakePod>;
  get(url: string, timeoutSeconds?: number): string;
  destroy(): void;
}

export function wgetIn(ns: NetNs, url: string, timeoutSeconds = 5): string {
  // busybox 1.35's `wget -T` segfaults: bound it with timeout(1) instead.
  return ns.exec('timeout', [String(timeoutSeconds), 'busybox', 'wget', '-q', '-O', '-', url]);
}

/** A node namespace with bridge `cbr0` = 10.244.<subnet>.1/24 and address `nodeIP` on a dummy interface. */
export function createFakeNode(prefix: string, subnet = 0, nodeIP = '10.200.9.2'): FakeNode {
  const ns = createNetNs(prefix);
  const dir = mkdtempSync(join(tmpdir(), 'skiff-fake-pods-'));
  const httpds: ChildProcess[] = [];
  const pods: FakePod[] = [];
  let vethIndex = 0;
  try {
    ns.exec('ip', ['link', 'add', 'cbr0', 'type', 'bridge']);
    ns.exec('ip', ['addr', 'add', `10.244.${subnet}.1/24`, 'dev', 'cbr0']);
    ns.exec('ip', ['link', 'set', 'cbr0', 'up']);
    // The node's own address, on one end of a veth pair that stays inside (no dummy module here).
    ns.exec('ip', ['link', 'add', 'node0', 'type', 'veth', 'peer', 'name', 'node0p']);
    ns.exec('ip', ['addr', 'add', `${nodeIP}/32`, 'dev', 'node0']);
    ns.exec('ip', ['link', 'set', 'node0p', 'up']);
    ns.exec('ip', ['link', 'set', 'node0', 'up']);
    // As on a lab node: the service range is routed out of the node (the lab gateway answers
    // "unreachable"), so the route lookup succeeds and the proxy's DNAT or REJECT decides.
    ns.exec('ip', ['route', 'add', '10.96.0.0/16', 'dev', 'node0']);
    ns.exec('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  } catch (err) {
    ns.remove();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const node: FakeNode = {
    ns,
    nodeIP,
    pods,
    async addPod(name, ip) {
      const podNs = createNetNs(`p${name}`.slice(0, 6));
      const hostIf = `veth${vethIndex++}`;
      // Registered first, so destroy() removes it even if the set-up below fails.
      const pod: FakePod = { name, ip, ns: podNs, get: (url, t) => wgetIn(podNs, url, t) };
      pods.push(pod);
      ns.exec('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', podNs.name]);
      ns.exec('ip', ['link', 'set', hostIf, 'master', 'cbr0', 'up']);
      // Hairpin: a pod reaching itself through a service gets its packets back on the same port.
      ns.exec('bridge', ['link', 'set', 'dev', hostIf, 'hairpin', 'on']);
      podNs.exec('ip', ['addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      podNs.exec('ip', ['link', 'set', 'eth0', 'up']);
      podNs.exec('ip', ['route', 'add', 'default', 'via', `10.244.${subnet}.1`]);
      const www = join(dir, name);
      mkdirSync(www);
      writeFileSync(join(www, 'index.html'), `I am ${name}\n`);
      const httpd = podNs.spawn('busybox', ['httpd', '-f', '-p', '8080', '-h', www], { stdio: 'ignore' });
      httpds.push(httpd);
      await waitFor(`httpd in ${name}`, () => wgetIn(podNs, 'http://127.0.0.1:8080/', 2).includes(name), 10_000);
      return pod;
    },
    get: (url, t) => wgetIn(ns, url, t),
    destroy() {
      for (const h of httpds) h.kill('SIGKILL');
      for (const p of pods) p.ns.remove();
      ns.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return node;
}

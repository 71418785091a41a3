// `skiff describe / logs / exec / top / explain / api-resources / version / get -w` as a user
// runs them: the CLI as its own process against a real API server on a real etcd. The pods'
// node is a kubelet stand-in on 127.0.0.1 (HTTPS, certificate from a CA the API server
// trusts) that serves container logs, the Summary API, and exec as a WebSocket speaking
// v4.channel.k8s.io as containerd 1.6 does (it refuses nothing but knows no v5), so the CLI's
// protocol goes through the API server's upgrade pass-through. The e2e cluster test runs the
// same commands against real containerd.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KubeObject } from '../api/types.js';
import { summaryOf } from '../apiserver/metrics-api/testing/fake-summary-kubelet.js';
import { createCA, issueServingCert } from '../client/pki.js';
import { restClientFromKubeconfig, type RestClient } from '../client/rest.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { kubectlFor } from './harness/kubectl.js';
import { waitFor } from './harness/ports.js';
import { runSkiff, SKIFF_MAIN, spawnSkiff, TSX, type SkiffRun } from './harness/skiff-cli.js';

const NS = 'default';
const MiB = 1024 * 1024;

let api: TestApiServer;
let client: RestClient;
let kubelet: StandInKubelet;
let dir: string;
const children = new Set<ChildProcess>();
const kubectl = kubectlFor(
  () => api.kubeconfigPath,
  () => join(dir, 'kubectl-cache'),
);

// The kubeconfig goes right after the command's name: after `--` it would be part of an exec'd command.
const withKubeconfig = (args: string[]): string[] => [args[0], `--kubeconfig=${api.kubeconfigPath}`, ...args.slice(1)];

/** Kept until it ends, so afterAll can stop what a failed test left running. */
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('close', () => children.delete(child));
  return child;
}

function start(args: string[], input?: string): ChildProcess {
  return track(spawnSkiff(withKubeconfig(args), { input }));
}

function skiff(...args: string[]): Promise<SkiffRun> {
  return skiffWith(undefined, ...args);
}

function skiffWith(input: string | undefined, ...args: string[]): Promise<SkiffRun> {
  return runSkiff(withKubeconfig(args), { input, onSpawn: track });
}

interface StandInKubelet {
  port: number;
  /** The commands exec ran, in order, and each request's query. */
  execs: string[][];
  execQueries: URLSearchParams[];
  close(): Promise<void>;
}

/** A v4 WebSocket exec the way the runtime behaves, for a few commands the tests use. */
function runCommand(ws: WebSocket, command: string[]): void {
  const send = (channel: number, text: string) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
  const exit = (code: number) => {
    send(3, JSON.stringify(code === 0 ? { metadata: {}, status: 'Success' } : { metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit code ${code}`, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } }));
    ws.close(1000);
  };
  if (command[0] === 'echo') {
    send(1, `${command.slice(1).join(' ')}\n`);
    return exit(0);
  }
  if (command[0] === 'fail') {
    send(2, 'about to fail\n');
    return exit(Number(command[1]));
  }
  if (command[0] === 'nope') {
    send(3, JSON.stringify({ metadata: {}, status: 'Failure', message: 'failed to exec in container: exec: "nope": executable file not found in $PATH' }));
    return ws.close(1000);
  }
  if (command[0] === 'size') {
    // A terminal program: reports each window size it is told, ends on a `q` keystroke.
    ws.on('message', (m: Buffer) => {
      if (m[0] === 4) {
        const { Width, Height } = JSON.parse(m.subarray(1).toString()) as { Width: number; Height: number };
        send(1, `size ${Width}x${Height}\r\n`);
      } else if (m[0] === 0 && m.subarray(1).includes('q')) {
        exit(0);
      }
    });
    return;
  }
  if (command[0] === 'cat') {
    // v4 has no end-of-input message: like containerd, cat ends only when the session closes.
    ws.on('message', (m: Buffer) => {
      if (m[0] === 0) send(1, m.subarray(1).toString());
    });
    return;
  }
  send(2, `${command[0]}: not found\n`);
  exit(127);
}

async function startStandInKubelet(ca: Awaited<ReturnType<typeof createCA>>, summary: () => unknown): Promise<StandInKubelet> {
  const serving = await issueServingCert(ca, { commonName: 'stand-in-kubelet', hosts: ['127.0.0.1'] });
  const sockets = new Set<Socket>();
  const execs: string[][] = [];
  const execQueries: URLSearchParams[] = [];
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const logs = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === '/stats/summary') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(summary()));
    } else if (logs) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(`log of ${logs[2]}/${logs[3]}\n`);
      res.write(`query ${url.searchParams.toString()}\n`);
      if (url.searchParams.get('follow') !== 'true') return void res.end();
      let n = 0;
      const timer = setInterval(() => res.write(`line ${++n}\n`), 50);
      res.on('close', () => clearInterval(timer));
    } else {
      res.writeHead(404).end('404 page not found');
    }
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false) });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    if (!url.pathname.startsWith('/exec/')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const command = url.searchParams.getAll('command');
      execs.push(command);
      execQueries.push(url.searchParams);
      runCommand(ws, command);
    });
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    execs,
    execQueries,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

/** Creates an object given as a plain manifest (any kind's fields). */
async function create(resource: string, manifest: object): Promise<KubeObject> {
  const obj = manifest as KubeObject;
  return client.for(resource).create(obj.metadata?.namespace, obj);
}

let podUid = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-cli-inspect-'));
  const ca = await createCA('stand-in-kubelet-ca');
  writeFileSync(join(dir, 'kubelet-ca.crt'), ca.certPem);
  kubelet = await startStandInKubelet(ca, () =>
    summaryOf({ name: 'node-0', nanoCores: 500_000_000, workingSet: 1024 * MiB }, [{ namespace: NS, name: 'web-5d4c7b9f8-x2x7q', uid: podUid, containers: [{ name: 'web', nanoCores: 3_000_000, workingSet: 12 * MiB }] }]),
  );
  api = await startTestApiServer({ flags: { 'kubelet-certificate-authority': join(dir, 'kubelet-ca.crt') } });
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });

  const node = await create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-0', labels: { 'kubernetes.io/hostname': 'node-0' } } });
  await client.for('nodes').updateStatus({
    ...node,
    status: {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } },
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
    },
  } as KubeObject);

  const labels = { app: 'web', 'pod-template-hash': '5d4c7b9f8' };
  const template = { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'busybox', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } };
  const deploy = await create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS, labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template },
  });
  const rs = await create('replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d4c7b9f8', namespace: NS, labels, annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deploy.metadata!.uid!, controller: true }] },
    spec: { replicas: 1, selector: { matchLabels: labels }, template },
  });
  const pod = await create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-5d4c7b9f8-x2x7q', namespace: NS, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4c7b9f8', uid: rs.metadata!.uid!, controller: true }] },
    spec: { nodeName: 'node-0', containers: template.spec.containers },
  });
  podUid = pod.metadata!.uid!;
  await client.for('pods').updateStatus({
    ...pod,
    status: {
      phase: 'Running',
      podIP: '10.244.0.9',
      hostIP: '127.0.0.1',
      startTime: new Date().toISOString(),
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'web', image: 'busybox', imageID: 'sha256:abc', containerID: 'containerd://c1', ready: true, restartCount: 2, state: { running: { startedAt: new Date().toISOString() } } }],
    },
  } as KubeObject);
  // An hour ago: ages read `60m` for a while, so kubectl's and skiff's texts can be compared.
  const now = new Date(Date.now() - 3600_000).toISOString();
  const event = (name: string, kind: string, objName: string, uid: string, reason: string, message: string) =>
    create('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: NS },
      involvedObject: { apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, name: objName, namespace: NS, uid },
      reason,
      message,
      type: 'Normal',
      source: { component: kind === 'Deployment' ? 'deployment-controller' : 'kubelet' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    } as KubeObject);
  await event('web.1', 'Deployment', 'web', deploy.metadata!.uid!, 'ScalingReplicaSet', 'Scaled up replica set web-5d4c7b9f8 to 1');
  await event('pod.1', 'Pod', pod.metadata!.name!, podUid, 'Started', 'Started container web');
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  client?.close();
  await api?.stop();
  await kubelet?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('skiff describe', () => {
  it('a Deployment with its ReplicaSets, strategy and events', async () => {
    const r = await skiff('describe', 'deploy', 'web');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name: {19}web\nNamespace: {14}default\n/);
    expect(r.stdout).toMatch(/\nReplicas: +1 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable\n/);
    expect(r.stdout).toMatch(/\nStrategyType: +RollingUpdate\n/);
    expect(r.stdout).toMatch(/\nNewReplicaSet: +web-5d4c7b9f8 \(0\/1 replicas created\)\n/);
    expect(r.stdout).toMatch(/\nEvents:\n {2}Type {4}Reason {13}Age {3}From {19}Message\n/);
    expect(r.stdout).toMatch(/\n {2}Normal {2}ScalingReplicaSet {2}60m {3}deployment-controller {2}Scaled up replica set web-5d4c7b9f8 to 1\n$/);
  });

  it('a pod found by a prefix of its name, with state, restarts and events', async () => {
    const r = await skiff('describe', 'pod', 'web');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name: +web-5d4c7b9f8-x2x7q\n/);
    expect(r.stdout).toMatch(/\nControlled By: +ReplicaSet\/web-5d4c7b9f8\n/);
    expect(r.stdout).toMatch(/\n {4}State: +Running\n/);
    expect(r.stdout).toMatch(/\n {4}Restart Count: +2\n/);
    expect(r.stdout).toMatch(/Started container web\n$/);
  });

  it('a node with its pods and allocated resources; several objects a blank line apart', async () => {
    const r = await skiff('describe', 'node/node-0', 'rs/web-5d4c7b9f8');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nNon-terminated Pods: +\(1 in total\)\n/);
    expect(r.stdout).toMatch(/\n {2}default +web-5d4c7b9f8-x2x7q +100m \(5%\) +0 \(0%\) +64Mi \(1%\) +0 \(0%\) +\d+s\n/);
    expect(r.stdout).toMatch(/\n\n\nName: +web-5d4c7b9f8\n/);
    expect(r.stdout).toMatch(/\nPods Status: +1 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed\n/);
  });

  it('a typo says what is there instead', async () => {
    const r = await skiff('describe', 'deploy', 'wbe');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('Error from server (NotFound): deployments.apps "wbe" not found in namespace default; did you mean "web"?\n');
    const kind = await skiff('describe', 'deploymnt', 'web');
    expect(kind.code).toBe(1);
    expect(kind.stderr).toMatch(/the server doesn't have a resource type "deploymnt"; the kinds it serves are: .*deployments\.apps \(deploy\)/);
  });
});

describe('skiff logs, exec, top (through the API server to the node)', () => {
  it('logs a workload\'s pod with the flags as the query', async () => {
    const r = await skiff('logs', 'deploy/web', '--tail', '5', '--since', '2m', '--timestamps');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const [first, query] = r.stdout.trimEnd().split('\n');
    expect(first).toBe('log of web-5d4c7b9f8-x2x7q/web');
    expect(Object.fromEntries(new URLSearchParams(query.replace(/^query /, '')))).toEqual({ tailLines: '5', sinceSeconds: '120', timestamps: 'true' });
    const selected = await skiff('logs', '-l', 'app=web', '--prefix');
    expect(selected).toMatchObject({ code: 0, stdout: '[pod/web-5d4c7b9f8-x2x7q/web] log of web-5d4c7b9f8-x2x7q/web\n[pod/web-5d4c7b9f8-x2x7q/web] query tailLines=10\n' });
    const typo = await skiff('logs', 'web-5d4c7b9f8-x2x7q', '-c', 'wbe');
    expect(typo).toMatchObject({ code: 1, stderr: 'error: container wbe is not valid for pod web-5d4c7b9f8-x2x7q; its containers are: web\n' });
  });

  it('logs -f streams until its reader goes', async () => {
    const child = start(['logs', '-f', 'web-5d4c7b9f8-x2x7q']);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor('three followed lines', async () => out.includes('line 3\n'), 20_000);
    expect(out).toMatch(/^log of web-5d4c7b9f8-x2x7q\/web\nquery follow=true\nline 1\n/);
    // The reader goes away (as `| head` does): the CLI ends quietly, exit 0.
    child.stdout?.destroy();
    expect(await exited).toBe(0);
  });

  it('exec: output, exit codes as kubectl reports them, stdin', async () => {
    expect(await skiff('exec', 'web-5d4c7b9f8-x2x7q', '--', 'echo', 'hello', 'there')).toMatchObject({ code: 0, stdout: 'hello there\n', stderr: '' });
    expect(await skiff('exec', 'deploy/web', '--', 'fail', '3')).toMatchObject({ code: 3, stdout: '', stderr: 'about to fail\ncommand terminated with exit code 3\n' });
    const missing = await skiff('exec', 'web-5d4c7b9f8-x2x7q', '--', 'nope');
    expect(missing).toMatchObject({ code: 1, stderr: 'error: failed to exec in container: exec: "nope": executable file not found in $PATH\n' });
    // exec -i with piped input speaks SPDY, which this stand-in does not: test/cli-exec-spdy.test.ts covers it against containerd.
    const noTty = await skiff('exec', '-t', 'web-5d4c7b9f8-x2x7q', '--', 'echo', 'x');
    expect(noTty).toMatchObject({ code: 0, stdout: 'x\n', stderr: 'Unable to use a TTY - you asked for -t without -i; add -i for an interactive terminal\n' });
    expect(kubelet.execs).toContainEqual(['echo', 'hello', 'there']);
    // Refused before the upgrade: the API server's Status reaches the user.
    await create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stranded', namespace: NS }, spec: { nodeName: 'node-gone', containers: [{ name: 'c', image: 'busybox' }] } });
    const refused = await skiff('exec', 'stranded', '--', 'echo', 'x');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error from server \(\w+\): .*node-gone/);
  });

  it('exec -it on a terminal: raw keystrokes, the window size and its changes, no separate stderr', async () => {
    // `script` gives the CLI a pseudo-terminal of 100x25. Once the remote side has seen that
    // size, the test asks the shell (through a file) to resize the terminal to 90x20, which
    // signals SIGWINCH. A lone `q` (no newline) only gets through if the terminal is raw.
    const resizeFlag = join(dir, 'resize-now');
    const cli = [TSX, SKIFF_MAIN, 'exec', `--kubeconfig=${api.kubeconfigPath}`, '-it', 'web-5d4c7b9f8-x2x7q', '--', 'size'].join(' ');
    const shell = `stty cols 100 rows 25; ${cli} < /dev/tty & while [ ! -e ${resizeFlag} ]; do sleep 0.1; done; stty cols 90 rows 20; wait $!`;
    const child = spawn('script', ['-qfec', shell, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    children.add(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor('the first window size on the remote side', async () => out.includes('size 100x25'), 30_000);
    writeFileSync(resizeFlag, '');
    await waitFor('the new window size on the remote side', async () => out.includes('size 90x20'), 30_000);
    child.stdin.write('q');
    expect(await closed).toBe(0);
    const query = kubelet.execQueries.at(-1)!;
    expect(query.get('tty')).toBe('1');
    expect(query.get('error')).toBeNull();
    child.stdin.end();
  });

  it('top nodes and pods from metrics.k8s.io', async () => {
    const nodes = await skiff('top', 'nodes');
    expect(nodes).toMatchObject({ code: 0, stdout: 'NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)\nnode-0   500m         25%      1024Mi          25%\n' });
    const pods = await skiff('top', 'pods', '--containers');
    expect(pods).toMatchObject({ code: 0, stdout: 'POD                   NAME   CPU(cores)   MEMORY(bytes)\nweb-5d4c7b9f8-x2x7q   web    3m           12Mi\n' });
  });
});

describe('the same text as kubectl 1.32 prints', () => {
  it('describe, explain and api-resources, byte for byte (ages that tick aside)', async () => {
    await create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    // One key: kubectl 1.32 prints a ConfigMap's keys in Go's random map order (skiff sorts them).
    await create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: NS }, data: { 'app.conf': 'a=1\nb=2' } });
    const objects = ['deploy/web', 'rs/web-5d4c7b9f8', 'pod/web-5d4c7b9f8-x2x7q', 'node/node-0', 'svc/web', 'cm/settings', 'ns/default'];
    // A pod's age in a node's pod list is a line's last cell: it may tick between the two runs.
    const steady = (text: string) => text.replace(/ \d+s$/gm, ' <age>');
    for (const args of [['describe', '--show-events=true', ...objects], ['explain', 'deployment.spec.strategy'], ['explain', 'svc.spec', '--recursive'], ['api-resources']]) {
      const [theirs, ours] = await Promise.all([kubectl.run(args), skiff(...args)]);
      expect(theirs.code, theirs.stderr).toBe(0);
      expect(ours).toMatchObject({ code: 0, stderr: '' });
      expect(steady(ours.stdout), args.join(' ')).toBe(steady(theirs.stdout));
    }
  });
});

describe('skiff explain, api-resources, version', () => {
  it('explains a kind and a field from the OpenAPI v3 schemas', async () => {
    const kind = await skiff('explain', 'deployments');
    expect(kind).toMatchObject({ code: 0, stderr: '' });
    expect(kind.stdout).toMatch(/^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n\nDESCRIPTION:\n/);
    expect(kind.stdout).toMatch(/\nFIELDS:\n {2}apiVersion\t<string>\n/);
    expect(kind.stdout).toMatch(/\n {2}spec\t<DeploymentSpec>\n/);
    const field = await skiff('explain', 'pod.spec.containers.resources');
    expect(field).toMatchObject({ code: 0, stderr: '' });
    expect(field.stdout).toMatch(/^KIND: {7}Pod\nVERSION: {4}v1\n\nFIELD: resources <ResourceRequirements>\n/);
    expect(field.stdout).toMatch(/\n {2}limits\t<map\[string\]/);
    const bad = await skiff('explain', 'pod.spec.nope');
    expect(bad).toMatchObject({ code: 1, stderr: 'error: field "nope" does not exist in Pod.spec.nope\n' });
  });

  it('lists the served kinds as kubectl does', async () => {
    const r = await skiff('api-resources');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0].split(/ {3,}/)).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    expect(lines.map((l) => l.split(/ +/))).toContainEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(lines.map((l) => l.split(/ +/))).toContainEqual(['nodes', 'no', 'v1', 'false', 'Node']);
    const cluster = await skiff('api-resources', '--namespaced=false', '-o', 'name');
    expect(cluster.stdout.split('\n')).toContain('nodes');
    expect(cluster.stdout.split('\n')).not.toContain('pods');
  });

  it('prints client and server versions', async () => {
    const r = await skiff('version');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Client Version: v1\.32\.0\+skiff-0\.1\.0\nServer Version: v1\.32\.0\+skiff-/);
  });
});

describe('skiff get -w', () => {
  it('prints the table, then a row for each change', async () => {
    await create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace: NS }, data: { a: '1' } });
    const child = start(['get', 'configmaps', '-w']);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the first table', async () => /watched +1 /.test(out), 20_000);
    expect(out).toMatch(/^NAME +DATA +AGE\n/);
    await create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched-later', namespace: NS }, data: { a: '1', b: '2' } });
    await waitFor('the new row', async () => /\nwatched-later +2 +\d+s\n/.test(out), 20_000);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
    expect(out.match(/NAME/g)).toHaveLength(1);
  });
});

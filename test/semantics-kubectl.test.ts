// The API server semantics as kubectl sees them, against a real API server on real etcd:
// `kubectl get` columns (Tables) for each kind, finalizers and graceful pod deletion, binding
// twice, an eviction blocked by a PodDisruptionBudget, `kubectl scale`, namespace finalize, and
// `kubectl logs` through a kubelet stand-in (HTTPS on 127.0.0.1) the test starts.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient } from '../apiserver/testing/https-client.js';
import { startFakeKubelet, type FakeKubelet } from '../apiserver/subresources/testing/fake-kubelet.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';
import { kubectlFor, type KubectlResult } from './harness/kubectl.js';

let api: TestApiServer;
let kubelet: FakeKubelet;
let dir: string;
let call: ReturnType<typeof testClient>;

const NS = 'sem';
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-semantics-'));
  kubelet = await startFakeKubelet();
  const kubeletCA = join(dir, 'kubelet-ca.crt');
  writeFileSync(kubeletCA, kubelet.ca.certPem);
  api = await startTestApiServer({ flags: { 'kubelet-certificate-authority': kubeletCA, 'default-not-ready-toleration-seconds': '40', 'default-unreachable-toleration-seconds': '50' } });
  call = testClient({ url: api.url, ca: api.ca.certPem, token: api.token });
  await must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
});
afterAll(async () => {
  await api?.stop();
  await kubelet?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kc = kubectlFor(() => api.kubeconfigPath, () => join(dir, 'cache'));

function kubectl(...args: string[]): Promise<KubectlResult> {
  return kc.run(args);
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** A request that must succeed; returns the parsed answer. */
async function must(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await call(method, path, body, headers);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${res.text}`);
  return res.json as Record<string, unknown>;
}

/** Creates an object, then writes its status through the status subresource (creates drop status). */
async function createWithStatus(collection: string, obj: Record<string, unknown>, status?: unknown): Promise<void> {
  const created = await must('POST', collection, obj);
  if (status === undefined) return;
  const name = (created.metadata as { name: string }).name;
  await must('PUT', `${collection}/${name}/status`, { ...created, status });
}

/** The table's lines split into cells on runs of 2+ spaces (kubectl pads columns that way). */
function rows(table: string): string[][] {
  return table.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/));
}

const core = `/api/v1/namespaces/${NS}`;
const apps = `/apis/apps/v1/namespaces/${NS}`;

describe('kubectl get columns', () => {
  beforeAll(async () => {
    await createWithStatus('/api/v1/nodes', {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: 'sem-node', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true },
    }, {
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: ago(5), lastTransitionTime: ago(60), reason: 'KubeletReady', message: 'ready' }],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } },
      nodeInfo: { kubeletVersion: 'v1.32.0+skiff', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-test', containerRuntimeVersion: 'containerd://1.6.20', machineID: '', systemUUID: '', bootID: '', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
    });
    await createWithStatus(`${core}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } },
      spec: { nodeName: 'sem-node', terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'busybox' }, { name: 'side', image: 'busybox' }] },
    }, {
      phase: 'Running', podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }],
      containerStatuses: [
        { name: 'app', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: ago(30) } } },
        { name: 'side', image: 'busybox', imageID: '', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ago(400), finishedAt: ago(300) } } },
      ],
    });
    await createWithStatus(`${core}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'init' },
      spec: { nodeName: 'sem-node', initContainers: [{ name: 'setup', image: 'busybox' }], containers: [{ name: 'app', image: 'busybox' }] },
    }, {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'setup', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { running: { startedAt: ago(3) } } }],
      containerStatuses: [{ name: 'app', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
    });
    await must('POST', `${core}/services`, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { type: 'NodePort', clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }] },
    });
    await must('POST', `${core}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1', b: '2' } });
    await createWithStatus(`${apps}/deployments`, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } } },
    }, { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 });
    await createWithStatus('/apis/policy/v1/namespaces/sem/poddisruptionbudgets', {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
    }, { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2, expectedPods: 2 });
  });

  it('pods, with the wide columns', async () => {
    expect(rows(await ok('get', 'pods', '-n', NS))).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      ['init', '0/1', 'Init:0/1', '0', expect.stringMatching(/^\d+s$/)],
      ['web', '1/2', 'CrashLoopBackOff', expect.stringMatching(/^3 \(5m\d*s? ago\)$/), expect.stringMatching(/^\d+s$/)],
    ]);
    const wide = rows(await ok('get', 'pod', 'web', '-n', NS, '-o', 'wide'));
    expect(wide[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(wide[1].slice(5)).toEqual(['10.244.0.7', 'sem-node', '<none>', '<none>']);
  });

  it('nodes', async () => {
    const t = rows(await ok('get', 'nodes', 'sem-node', '-o', 'wide'));
    expect(t[0]).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    expect(t[1]).toEqual(['sem-node', 'Ready,SchedulingDisabled', 'control-plane', expect.stringMatching(/^\d+s$/), 'v1.32.0+skiff', '127.0.0.1', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-test', 'containerd://1.6.20']);
  });

  it('services, configmaps, deployments, poddisruptionbudgets, namespaces', async () => {
    expect(rows(await ok('get', 'svc', 'web', '-n', NS, '-o', 'wide'))).toEqual([
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
      ['web', 'NodePort', '10.96.0.50', '<none>', '80:30080/TCP', expect.stringMatching(/^\d+s$/), 'app=web'],
    ]);
    expect(rows(await ok('get', 'cm', 'cfg', '-n', NS))).toEqual([['NAME', 'DATA', 'AGE'], ['cfg', '2', expect.stringMatching(/^\d+s$/)]]);
    expect(rows(await ok('get', 'deploy', '-n', NS, '-o', 'wide'))).toEqual([
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['web', '2/3', '3', '2', expect.stringMatching(/^\d+s$/), 'app', 'busybox', 'app=web'],
    ]);
    expect(rows(await ok('get', 'pdb', '-n', NS))).toEqual([
      ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
      ['web', '2', 'N/A', '0', expect.stringMatching(/^\d+s$/)],
    ]);
    expect(rows(await ok('get', 'ns', NS))).toEqual([['NAME', 'STATUS', 'AGE'], [NS, 'Active', expect.stringMatching(/^\d+s$/)]]);
  });

  it('events, secrets, service accounts, endpoints, replica sets, daemon sets, revisions, jobs, leases, slices, priority classes', async () => {
    const age = expect.stringMatching(/^\d+s$/);
    await must('POST', `${core}/events`, {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: NS },
      reason: 'Pulled', message: 'Container image pulled', type: 'Normal', count: 2,
      firstTimestamp: ago(90), lastTimestamp: ago(30), source: { component: 'kubelet', host: 'sem-node' },
    });
    await must('POST', `${core}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tok' }, type: 'Opaque', data: { a: 'MQ==', b: 'Mg==' } });
    await must('POST', `${core}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' } });
    await must('POST', `${core}/endpoints`, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.244.0.7' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] });
    const template = { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'busybox' }] } };
    await createWithStatus(`${apps}/replicasets`, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'agent-rs' }, spec: { replicas: 2, selector: { matchLabels: { app: 'agent' } }, template } }, { replicas: 2, readyReplicas: 1 });
    await createWithStatus(`${apps}/daemonsets`, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template } }, { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 1, numberMisscheduled: 0 });
    const ds = await must('GET', `${apps}/daemonsets/agent`);
    await must('POST', `${apps}/controllerrevisions`, {
      apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: 1,
      metadata: { name: 'agent-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: (ds.metadata as { uid: string }).uid, controller: true }] },
      data: {},
    });
    await createWithStatus(`/apis/batch/v1/namespaces/${NS}/jobs`, {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' },
      spec: { completions: 2, template: { metadata: { labels: { job: 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'busybox' }] } } },
    }, { succeeded: 1, active: 1, startTime: ago(20) });
    await must('POST', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'leader' }, spec: { holderIdentity: 'host-1_abc', leaseDurationSeconds: 15 } });
    await must('POST', `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abcde', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.0.7'] }, { addresses: ['10.244.0.8'] }],
    });
    await must('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'sem-high' }, value: 1000, preemptionPolicy: 'Never' });

    const cases: Array<[string[], string[], unknown[]]> = [
      [['get', 'events', '-n', NS], ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], [age, 'Normal', 'Pulled', 'pod/web', 'Container image pulled']],
      [['get', 'secret', 'tok', '-n', NS], ['NAME', 'TYPE', 'DATA', 'AGE'], ['tok', 'Opaque', '2', age]],
      [['get', 'sa', 'builder', '-n', NS], ['NAME', 'SECRETS', 'AGE'], ['builder', '0', age]],
      [['get', 'ep', 'web', '-n', NS], ['NAME', 'ENDPOINTS', 'AGE'], ['web', '10.244.0.7:8080', age]],
      [['get', 'rs', 'agent-rs', '-n', NS], ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], ['agent-rs', '2', '2', '1', age]],
      [['get', 'ds', 'agent', '-n', NS], ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'], ['agent', '1', '1', '1', '1', '1', '<none>', age]],
      [['get', 'controllerrevisions', '-n', NS], ['NAME', 'CONTROLLER', 'REVISION', 'AGE'], ['agent-1', 'daemonset.apps/agent', '1', age]],
      [['get', 'jobs', '-n', NS], ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'], ['pi', 'Running', '1/2', age, age]],
      [['get', 'leases', '-n', NS], ['NAME', 'HOLDER', 'AGE'], ['leader', 'host-1_abc', age]],
      [['get', 'endpointslices', '-n', NS], ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'], ['web-abcde', 'IPv4', '8080', '10.244.0.7,10.244.0.8', age]],
      [['get', 'pc', 'sem-high'], ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'], ['sem-high', '1000', 'false', age, 'Never']],
    ];
    for (const [args, header, row] of cases) {
      expect(rows(await ok(...args)), args.join(' ')).toEqual([header, row]);
    }
  });

  it('kubectl logs reaches the kubelet through the API server', async () => {
    expect(await ok('logs', '-n', NS, 'web', '-c', 'app', '--tail=3')).toBe(`log of ${NS}/web/app\nquery tailLines=3\n`);
    const noContainer = await kubectl('logs', '-n', NS, 'web');
    // kubectl picks the first container itself when none is named (and says so).
    expect(noContainer.stdout).toBe(`log of ${NS}/web/app\nquery \n`);
  });

  it('kubectl get --raw reaches the kubelet through nodes/proxy', async () => {
    const answer = JSON.parse(await ok('get', '--raw', '/api/v1/nodes/sem-node/proxy/configz?x=1')) as Record<string, unknown>;
    // The kubelet stand-in echoes what it got: the API server's own request, without the caller's token.
    expect(answer).toEqual({ method: 'GET', url: '/configz?x=1', authorization: null, body: '' });
  });

  it('an exec upgrade is spliced through the API server to the kubelet', async () => {
    const { port } = new URL(api.url);
    const socket = tlsConnect({ host: '127.0.0.1', port: Number(port), ca: api.ca.certPem });
    try {
      await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
      socket.write(
        `POST /api/v1/namespaces/${NS}/pods/web/exec?command=cat&container=app&stdin=true&stdout=true HTTP/1.1\r\n` +
          `Host: 127.0.0.1:${port}\r\nAuthorization: Bearer ${api.token}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
          'X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n',
      );
      let got = Buffer.alloc(0);
      socket.on('data', (c: Buffer) => (got = Buffer.concat([got, c])));
      await waitFor('the 101 from the kubelet', async () => got.includes('\r\n\r\n'));
      expect(got.toString().split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
      const seen = kubelet.upgrades.at(-1)!;
      expect(seen.url).toBe(`/exec/${NS}/web/app?command=cat&input=1&stdin=true&output=1&stdout=true`);
      expect(seen.headers.authorization).toBeUndefined();
      // Bytes after the 101 go both ways untouched (the stand-in echoes them).
      const start = got.length;
      socket.write(Buffer.from([0x80, 0x03, 0x00, 0x01, 0xff]));
      await waitFor('the echo', async () => got.length >= start + 5);
      expect([...got.subarray(start)]).toEqual([0x80, 0x03, 0x00, 0x01, 0xff]);
    } finally {
      socket.destroy();
    }
  });

  it('an eviction blocked by the budget answers 429 and the pod stays', async () => {
    const res = await call('POST', `${core}/pods/web/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web', namespace: NS } });
    expect(res.status).toBe(429);
    expect(res.json).toMatchObject({
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 1 currently' }] },
    });
    await must('GET', `${core}/pods/web`);
  });

  it('kubectl scale goes through the scale subresource', async () => {
    expect(await ok('scale', '-n', NS, 'deploy/web', '--replicas=5')).toMatch(/deployment.apps\/web scaled/);
    const d = await must('GET', `${apps}/deployments/web`);
    expect(d).toMatchObject({ spec: { replicas: 5 } });
    expect(await must('GET', `${apps}/deployments/web/scale`)).toMatchObject({ kind: 'Scale', spec: { replicas: 5 }, status: { replicas: 3, selector: 'app=web' } });
  });
});

describe('admission', () => {
  it('gives a new pod its service account, default tolerations and priority', async () => {
    await must('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'sem-batch' }, value: 7, preemptionPolicy: 'Never' });
    const created = await must('POST', `${core}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'admitted' }, spec: { priorityClassName: 'sem-batch', containers: [{ name: 'app', image: 'busybox' }] } });
    expect(created.spec).toMatchObject({
      serviceAccountName: 'default',
      priority: 7,
      preemptionPolicy: 'Never',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 40 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 50 },
      ],
    });
    const critical = await must('POST', `${core}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'critical' }, spec: { priorityClassName: 'system-node-critical', containers: [{ name: 'app', image: 'busybox' }] } });
    expect(critical.spec).toMatchObject({ priority: 2000001000 });
  });

  it('refuses an unknown priority class and a namespace that does not exist', async () => {
    const unknown = await call('POST', `${core}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nope' }, spec: { priorityClassName: 'nope', containers: [{ name: 'app', image: 'busybox' }] } });
    expect(unknown.status).toBe(403);
    expect(unknown.json).toMatchObject({ reason: 'Forbidden', message: 'pods "nope" is forbidden: no PriorityClass with name nope was found' });
    const missing = await call('POST', '/api/v1/namespaces/absent/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ message: 'namespaces "absent" not found' });
  });
});

describe('delete semantics', () => {
  it('a pod with a finalizer stays until the finalizer is removed', async () => {
    await must('POST', `${core}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });
    await ok('delete', 'pod', 'held', '-n', NS, '--wait=false');
    const held = await must('GET', `${core}/pods/held`);
    expect((held.metadata as { deletionTimestamp?: string }).deletionTimestamp).toBeDefined();
    await ok('patch', 'pod', 'held', '-n', NS, '--type=merge', '-p', '{"metadata":{"finalizers":null}}');
    expect((await call('GET', `${core}/pods/held`)).status).toBe(404);
  });

  it('a bound pod is Terminating until a grace-0 delete', async () => {
    await must('POST', `${core}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'graceful' }, spec: { nodeName: 'sem-node', terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'busybox' }] } });
    await ok('delete', 'pod', 'graceful', '-n', NS, '--wait=false');
    const marked = await must('GET', `${core}/pods/graceful`);
    expect(marked.metadata).toMatchObject({ deletionGracePeriodSeconds: 30 });
    expect(rows(await ok('get', 'pod', 'graceful', '-n', NS))[1][2]).toBe('Terminating');
    // What the kubelet does once the containers stopped.
    const last = await call('DELETE', `${core}/pods/graceful`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
    expect(last.status).toBe(200);
    expect((await call('GET', `${core}/pods/graceful`)).status).toBe(404);
  });

  it('binding twice answers 409', async () => {
    await must('POST', `${core}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unbound' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'unbound' }, target: { apiVersion: 'v1', kind: 'Node', name: 'sem-node' } };
    expect((await call('POST', `${core}/pods/unbound/binding`, binding)).status).toBe(201);
    const again = await call('POST', `${core}/pods/unbound/binding`, { ...binding, target: { kind: 'Node', name: 'other' } });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ reason: 'Conflict', message: 'Operation cannot be fulfilled on pods/binding "unbound": pod unbound is already assigned to node "sem-node"' });
  });

  it('a namespace turns Terminating, refuses new content, and goes when finalized', async () => {
    await must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' }, spec: { finalizers: ['kubernetes'] } });
    await ok('delete', 'ns', 'doomed', '--wait=false');
    expect(rows(await ok('get', 'ns', 'doomed'))[1][1]).toBe('Terminating');
    const refused = await call('POST', '/api/v1/namespaces/doomed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ message: 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated' });
    const ns = await must('GET', '/api/v1/namespaces/doomed');
    await must('PUT', '/api/v1/namespaces/doomed/finalize', { ...ns, spec: { finalizers: [] } });
    await waitFor('namespace doomed gone', async () => (await call('GET', '/api/v1/namespaces/doomed')).status === 404);
  });

  it('the system namespaces cannot be deleted', async () => {
    const r = await kubectl('delete', 'ns', 'kube-system', '--wait=false');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/namespaces "kube-system" is forbidden: this namespace may not be deleted/);
  });
});

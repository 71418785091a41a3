// The kubelet against a real API server (and etcd) and a real containerd in a node namespace:
// node registration, lease and status; pods with init containers, env, a configMap volume and
// two containers on localhost; CrashLoopBackOff, liveness restarts, readiness gating, an OOM
// kill; deletion within the grace period; and a kubelet restart that adopts running pods and
// cleans up pods deleted while it was down.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, Event, Lease, Node, Pod, Service } from '../api/types.js';
import { isAlreadyExists } from '../client/errors.js';
import { createEventRecorder } from '../client/events.js';
import { RestClient, restClientFromKubeconfig } from '../client/rest.js';
import { DEFAULTS, Kubelet, type KubeletConfig } from '../kubelet/kubelet.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { createTestNode, type TestNode } from './harness/node.js';
import { waitFor } from './harness/ports.js';

let api: TestApiServer;
let node: TestNode;
let client: RestClient;
let kubelet: Kubelet;
let rootDir: string;
let config: KubeletConfig;

const NS = 'default';

beforeAll(async () => {
  [api, node] = await Promise.all([startTestApiServer(), createTestNode({ writeCni: false, routeFromRoot: true })]);
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  rootDir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-'));
  config = {
    ...DEFAULTS,
    nodeName: node.name,
    nodeIp: node.nodeIp,
    rootDir,
    runtimeEndpoint: node.endpoint,
    podCidr: node.podCidr,
    cniConfDir: node.cniConfDir,
    clusterDns: ['10.96.0.10'],
    nodeStatusUpdateFrequencyMs: 500,
    nodeStatusReportFrequencyMs: 5_000,
    nodeLeaseRenewIntervalMs: 1_000,
    plegRelistPeriodMs: 250,
    syncFrequencyMs: 5_000,
    restartBackoffBaseMs: 500,
    restartBackoffMaxMs: 2_000,
    manageRoutes: false,
  };
  kubelet = new Kubelet(config, client, createEventRecorder({ client, component: 'kubelet', host: node.name }));
  await kubelet.start();
});

afterAll(async () => {
  // Each step runs even when an earlier one fails or hangs: the node's processes must not outlive the file.
  try {
    await Promise.race([kubelet?.stop(), new Promise((r) => setTimeout(r, 10_000))]);
  } finally {
    try {
      await node?.remove();
    } finally {
      await api?.stop();
      if (rootDir) rmSync(rootDir, { recursive: true, force: true });
    }
  }
});

const pods = () => client.for<Pod>('pods');

async function createPod(name: string, spec: Omit<NonNullable<Pod['spec']>, 'nodeName'>): Promise<Pod> {
  return pods().create(NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { terminationGracePeriodSeconds: 2, ...spec, nodeName: node.name } });
}

async function waitPod(name: string, what: string, check: (p: Pod) => boolean, timeoutMs = 30_000): Promise<Pod> {
  let last: Pod | undefined;
  await waitFor(`${name}: ${what}`, async () => check((last = await pods().get(NS, name))), timeoutMs, 100).catch((err: Error) => {
    throw new Error(`${err.message}\nlast status: ${JSON.stringify(last?.status)}`);
  });
  return last as Pod;
}

const cs = (p: Pod, name: string) => p.status?.containerStatuses?.find((c) => c.name === name);
const containerId = (p: Pod, name: string): string => (cs(p, name)?.containerID ?? '').replace('containerd://', '');

async function deletePod(name: string): Promise<void> {
  await pods().delete(NS, name).catch(() => undefined);
  await waitFor(`${name} gone`, async () => pods().get(NS, name).then(() => false, () => true), 30_000);
}

describe('kubelet', () => {
  it('registers its node with capacity, node info, Ready and a lease', async () => {
    const n = await client.for<Node>('nodes').get(undefined, node.name);
    expect(n.metadata?.labels?.['kubernetes.io/hostname']).toBe(node.name);
    expect(n.status?.addresses).toEqual([
      { type: 'InternalIP', address: node.nodeIp },
      { type: 'Hostname', address: node.name },
    ]);
    expect(n.status?.capacity?.pods).toBe('110');
    expect(Number(n.status?.capacity?.cpu)).toBeGreaterThan(0);
    expect(n.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\/1\.6/);
    expect(n.status?.nodeInfo?.kubeletVersion).toBe('v1.32.0-skiff');
    expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    await waitFor('lease', async () => !!(await client.for<Lease>('leases').get('kube-node-lease', node.name)).spec?.renewTime);
  });

  it('runs a pod with an init container, env, a configMap volume and two containers on localhost', async () => {
    const k8sIp = await ensureKubernetesService();
    await client.for<ConfigMap>('configmaps').create(NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: NS }, data: { 'index.html': 'hello from a configmap\n', color: 'blue' } });
    await createPod('web', {
      initContainers: [{ name: 'setup', image: 'busybox', command: ['sh', '-c', 'echo init ran > /work/init.txt'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      containers: [
        { name: 'httpd', image: 'busybox', command: ['httpd', '-f', '-p', '8080', '-h', '/www'], volumeMounts: [{ name: 'www', mountPath: '/www' }], ports: [{ containerPort: 8080 }] },
        {
          name: 'client',
          image: 'busybox',
          command: ['sleep', '3600'],
          env: [
            { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'color' } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'GREETING', value: 'hi $(POD_NAME)' },
          ],
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
        },
      ],
      volumes: [
        { name: 'www', configMap: { name: 'web-config' } },
        { name: 'work', emptyDir: {} },
      ],
    });
    const p = await waitPod('web', 'Running and Ready', (x) => x.status?.phase === 'Running' && x.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true);
    expect(p.status?.podIP?.startsWith(node.podCidr.split('.').slice(0, 3).join('.'))).toBe(true);
    expect(p.status?.hostIP).toBe(node.nodeIp);
    expect(p.status?.initContainerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
    expect(cs(p, 'httpd')?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs(p, 'client')?.imageID).toBe(`docker.io/library/busybox@${node.registry.images.busybox.manifest.digest}`);
    const clientId = containerId(p, 'client');
    const env = (await kubelet.cri.execSync(clientId, ['sh', '-c', 'echo $COLOR $POD_NAME "$GREETING" $KUBERNETES_SERVICE_HOST; cat /work/init.txt'], 5)).stdout.toString();
    expect(env).toBe(`blue web hi web ${k8sIp}\ninit ran\n`);
    const page = await kubelet.cri.execSync(clientId, ['timeout', '3', 'wget', '-q', '-O', '-', 'http://127.0.0.1:8080/index.html'], 5);
    expect(page.stdout.toString()).toBe('hello from a configmap\n');
    // The pod IP answers from the kubelet's side too (probes go this way).
    expect(await (await fetch(`http://${p.status?.podIP}:8080/index.html`)).text()).toBe('hello from a configmap\n');
    await deletePod('web');
  });

  it('backs off a crashing container (CrashLoopBackOff) with restart count and last state', async () => {
    await createPod('crash', { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo boom; exit 3'] }] });
    const p = await waitPod('crash', 'CrashLoopBackOff after restarts', (x) => (cs(x, 'c')?.restartCount ?? 0) >= 2 && cs(x, 'c')?.state?.waiting?.reason === 'CrashLoopBackOff');
    expect(cs(p, 'c')?.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(p.status?.phase).toBe('Running');
    await waitFor('Started and BackOff events', async () => {
      const reasons = (await client.for<Event>('events').list(NS)).items.filter((e) => e.involvedObject?.name === 'crash').map((e) => e.reason);
      return reasons.includes('Started') && reasons.includes('BackOff');
    });
    await deletePod('crash');
  });

  it('reports ErrImagePull, then ImagePullBackOff, for an image the registry does not have', async () => {
    await createPod('noimage', { containers: [{ name: 'c', image: 'docker.io/library/nope:1.0' }] });
    const first = await waitPod('noimage', 'ErrImagePull', (x) => cs(x, 'c')?.state?.waiting?.reason === 'ErrImagePull');
    expect(cs(first, 'c')?.state?.waiting?.message).toContain('docker.io/library/nope:1.0');
    expect(first.status?.phase).toBe('Pending');
    await waitPod('noimage', 'ImagePullBackOff', (x) => cs(x, 'c')?.state?.waiting?.reason === 'ImagePullBackOff');
    await deletePod('noimage');
  });

  it('restarts a container whose liveness probe fails, and gates Ready on readiness', async () => {
    await createPod('probed', {
      containers: [
        {
          name: 'app',
          image: 'busybox',
          command: ['sh', '-c', 'touch /tmp/healthy; (sleep 2; mkdir -p /www; echo ok > /www/index.html; httpd -p 8080 -h /www) & sleep 4; rm /tmp/healthy; sleep 3600'],
          livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 2 },
          readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
        },
      ],
    });
    const notReady = await waitPod('probed', 'running', (x) => cs(x, 'app')?.state?.running !== undefined);
    expect(cs(notReady, 'app')?.ready).toBe(false);
    await waitPod('probed', 'ready once httpd answers', (x) => cs(x, 'app')?.ready === true);
    const restarted = await waitPod('probed', 'restarted by liveness', (x) => (cs(x, 'app')?.restartCount ?? 0) >= 1, 30_000);
    expect(cs(restarted, 'app')?.lastState?.terminated).toBeDefined();
    await deletePod('probed');
  });

  it('applies the memory limit and reports an OOM kill', async () => {
    await createPod('hog', {
      restartPolicy: 'Never',
      containers: [{ name: 'hog', image: 'busybox', command: ['sh', '-c', 'sleep 1; head -c 64m /dev/zero | tail > /dev/null'], resources: { limits: { memory: '16Mi', cpu: '500m' } } }],
    });
    const running = await waitPod('hog', 'running', (x) => cs(x, 'hog')?.state?.running !== undefined || x.status?.phase === 'Failed');
    const uid = running.metadata?.uid ?? '';
    const p = await waitPod('hog', 'Failed with OOMKilled', (x) => x.status?.phase === 'Failed');
    expect(cs(p, 'hog')?.state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(p.status?.qosClass).toBe('Guaranteed');
    expect(uid).not.toBe('');
    await deletePod('hog');
  });

  it('deletes a pod within its grace period (preStop first) and cleans up its sandbox, cgroup and logs', async () => {
    const hookDir = join(rootDir, 'hook-out');
    await createPod('doomed', {
      terminationGracePeriodSeconds: 3,
      containers: [
        {
          name: 'main',
          image: 'busybox',
          command: ['sh', '-c', 'trap "echo bye; exit 0" TERM; while true; do sleep 0.2; done'],
          lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop ran > /hooks/prestop'] } } },
          volumeMounts: [{ name: 'hooks', mountPath: '/hooks' }],
        },
      ],
      volumes: [{ name: 'hooks', hostPath: { path: hookDir, type: 'DirectoryOrCreate' } }],
    });
    const p = await waitPod('doomed', 'running', (x) => x.status?.phase === 'Running');
    const uid = p.metadata?.uid ?? '';
    const logDir = join(rootDir, 'pods', `${NS}_doomed_${uid}`);
    expect(existsSync(logDir)).toBe(true);
    const t0 = Date.now();
    await pods().delete(NS, 'doomed');
    await waitFor('doomed gone', async () => pods().get(NS, 'doomed').then(() => false, () => true), 10_000, 100);
    expect(Date.now() - t0).toBeLessThan(3_000 + 2_000);
    expect(await kubelet.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': uid } })).toEqual([]);
    expect(existsSync(logDir)).toBe(false);
    expect(existsSync(`/sys/fs/cgroup/memory/skiff/${node.name}/pod${uid}`)).toBe(false);
    expect(readFileSync(join(hookDir, 'prestop'), 'utf8')).toBe('prestop ran\n');
  });

  it('adopts running pods after a restart and cleans up pods deleted while it was down', async () => {
    await createPod('steady', { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] });
    await createPod('orphan', { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] });
    const steady = await waitPod('steady', 'running', (x) => x.status?.phase === 'Running');
    const orphan = await waitPod('orphan', 'running', (x) => x.status?.phase === 'Running');
    const before = containerId(steady, 'main');

    await kubelet.stop();
    await pods().delete(NS, 'orphan', { gracePeriodSeconds: 0 });
    kubelet = new Kubelet(config, client);
    await kubelet.start();

    const orphanUid = orphan.metadata?.uid ?? '';
    await waitFor('orphan cleaned up', async () => (await kubelet.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': orphanUid } })).length === 0, 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    const after = await pods().get(NS, 'steady');
    expect(containerId(after, 'main')).toBe(before);
    expect(cs(after, 'main')?.restartCount).toBe(0);
    await deletePod('steady');
  });
});

/** default/kubernetes, which the kubelet turns into KUBERNETES_SERVICE_* in every container. */
async function ensureKubernetesService(): Promise<string> {
  const services = client.for<Service>('services');
  try {
    await services.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const ip = (await services.get('default', 'kubernetes')).spec?.clusterIP ?? '';
  expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  return ip;
}

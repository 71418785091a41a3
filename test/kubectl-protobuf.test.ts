// kubectl 1.32+ sends its typed commands (`create <kind>`, `run`, `expose`) as Kubernetes
// protobuf. These run the real kubectl (the dispatcher picks 1.32 from skiff's /version)
// and check the objects arrive whole; the verbose log proves the body was protobuf.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';

let api: TestApiServer;
let dir: string;

beforeAll(async () => {
  api = await startTestApiServer();
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-pb-'));
});
afterAll(async () => {
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', [`--kubeconfig=${api.kubeconfigPath}`, `--cache-dir=${join(dir, 'cache')}`, ...args], (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  expect(r.code, `kubectl ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary fields of the returned objects
async function getJson(...args: string[]): Promise<Record<string, any>> {
  return JSON.parse(await ok('get', ...args, '-o', 'json'));
}

describe('kubectl typed commands (protobuf bodies)', () => {
  it('create namespace sends protobuf and the namespace exists', async () => {
    const r = await kubectl('create', 'namespace', 'pb', '-v=8');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Content-Type: application\/vnd\.kubernetes\.protobuf/);
    expect((await getJson('namespace', 'pb')).status.phase).toBe('Active');
  });

  it('create configmap and secret keep their data (bytes as base64)', async () => {
    await ok('-n', 'pb', 'create', 'configmap', 'cfg', '--from-literal=mode=fast', '--from-literal=empty=');
    expect((await getJson('-n', 'pb', 'configmap', 'cfg')).data).toEqual({ mode: 'fast', empty: '' });
    await ok('-n', 'pb', 'create', 'secret', 'generic', 'pw', '--from-literal=password=s3cr3t');
    const secret = await getJson('-n', 'pb', 'secret', 'pw');
    expect(secret.type).toBe('Opaque');
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('s3cr3t');
  });

  it('create deployment carries replicas, selector, template, image and port', async () => {
    await ok('-n', 'pb', 'create', 'deployment', 'web', '--image=busybox', '--replicas=3', '--port=8080', '--', 'httpd', '-f', '-p', '8080');
    const d = await getJson('-n', 'pb', 'deployment', 'web');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector.matchLabels).toEqual({ app: 'web' });
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('busybox');
    expect(c.command).toEqual(['httpd', '-f', '-p', '8080']);
    expect(c.ports[0].containerPort).toBe(8080);
    expect(d.spec.strategy.rollingUpdate.maxSurge).toBe('25%');
  });

  it('run and expose: a pod with env and labels, and a service with an int-or-string target port', async () => {
    await ok('-n', 'pb', 'run', 'one', '--image=busybox', '--env=A=1', '--labels=app=one,tier=x', '--port=80', '--restart=Never', '--', 'sleep', '3600');
    const pod = await getJson('-n', 'pb', 'pod', 'one');
    expect(pod.metadata.labels).toEqual({ app: 'one', tier: 'x' });
    expect(pod.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    expect(pod.spec.restartPolicy).toBe('Never');
    await ok('-n', 'pb', 'expose', 'pod', 'one', '--port=80', '--target-port=http', '--name=one-svc');
    const svc = await getJson('-n', 'pb', 'service', 'one-svc');
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http', protocol: 'TCP' });
    expect(svc.spec.selector).toEqual({ app: 'one', tier: 'x' });
  });

  it('create job, priorityclass and poddisruptionbudget', async () => {
    await ok('-n', 'pb', 'create', 'job', 'once', '--image=busybox', '--', 'true');
    expect((await getJson('-n', 'pb', 'job', 'once')).spec.template.spec.containers[0].command).toEqual(['true']);
    await ok('create', 'priorityclass', 'high', '--value=1000', '--description=important');
    expect(await getJson('priorityclass', 'high')).toMatchObject({ value: 1000, description: 'important' });
    await ok('-n', 'pb', 'create', 'poddisruptionbudget', 'web', '--selector=app=web', '--min-available=50%');
    expect((await getJson('-n', 'pb', 'pdb', 'web')).spec.minAvailable).toBe('50%');
  });
});

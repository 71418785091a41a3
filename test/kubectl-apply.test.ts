// kubectl commands that send strategic merge patches, against a real API server on real etcd:
// client-side apply of a changed manifest, set image/env/resources, cordon/uncordon, taint,
// rollout restart/pause/resume, edit (EDITOR is a sed script), and patch --type strategic.

import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Deployment, Node } from '../api/types.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';

let api: TestApiServer;
let dir: string;

beforeAll(async () => {
  api = await startTestApiServer();
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-apply-'));
});
afterAll(async () => {
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function kubectl(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // --request-timeout: a hung request fails the test instead of leaving kubectl behind.
    const child = spawn('kubectl', [`--kubeconfig=${api.kubeconfigPath}`, `--cache-dir=${join(dir, 'cache')}`, '--request-timeout=20s', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function getDeployment(name: string): Promise<Deployment> {
  return JSON.parse(await ok('get', 'deployment', name, '-o', 'json')) as Deployment;
}

async function getNode(name: string): Promise<Node> {
  return JSON.parse(await ok('get', 'node', name, '-o', 'json')) as Node;
}

interface DeploymentShape {
  image: string;
  labels: Record<string, string>;
  env: { name: string; value: string }[];
  sidecar: boolean;
  /** The `data` volume's source and the rollout strategy: unions kubectl clears with `$retainKeys`. */
  volume: Record<string, unknown>;
  strategy: Record<string, unknown>;
}

function deployment(opts: DeploymentShape): Record<string, unknown> {
  const containers: Record<string, unknown>[] = [
    { name: 'web', image: opts.image, env: opts.env, ports: [{ containerPort: 80 }], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
  ];
  if (opts.sidecar) containers.push({ name: 'sidecar', image: 'busybox:1.36', command: ['sleep', 'infinity'] });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: opts.labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: opts.strategy,
      template: { metadata: { labels: { app: 'web' } }, spec: { containers, volumes: [{ name: 'data', ...opts.volume }] } },
    },
  };
}

function writeManifest(name: string, obj: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, stringify(obj));
  return path;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

describe('strategic merge patch from kubectl', () => {
  it('apply of a changed manifest drops what the manifest dropped and keeps what others set', async () => {
    const v1 = deployment({
      image: 'nginx:1.25',
      labels: { app: 'web' },
      env: [
        { name: 'MODE', value: 'fast' },
        { name: 'DEBUG', value: '1' },
      ],
      sidecar: true,
      volume: { emptyDir: {} },
      // rollingUpdate is defaulted by the server, so it is not in last-applied: only
      // $retainKeys clears it when the manifest switches to Recreate.
      strategy: { type: 'RollingUpdate' },
    });
    expect(await ok('apply', '--validate=false', '-f', writeManifest('v1.yaml', v1))).toMatch(/deployment.apps\/web created/);
    expect((await getDeployment('web')).spec!.strategy!.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: '25%' });
    // A change made by someone else, outside the manifest: apply must keep it.
    await ok('annotate', 'deployment', 'web', 'team=payments');

    const v2 = deployment({
      image: 'nginx:1.26',
      labels: { app: 'web', tier: 'front' },
      env: [{ name: 'MODE', value: 'fast' }],
      sidecar: false,
      volume: { configMap: { name: 'web-data' } },
      strategy: { type: 'Recreate' },
    });
    const r = await kubectl(['apply', '--validate=false', '-f', writeManifest('v2.yaml', v2), '-v=8']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/deployment.apps\/web configured/);
    expect(r.stderr).toMatch(/Content-Type: application\/strategic-merge-patch\+json/);

    const d = await getDeployment('web');
    const containers = d.spec!.template.spec!.containers;
    expect(containers.map((c) => c.name)).toEqual(['web']);
    expect(containers[0]!.image).toBe('nginx:1.26');
    expect(containers[0]!.env).toEqual([{ name: 'MODE', value: 'fast' }]);
    expect(containers[0]!.ports).toEqual([expect.objectContaining({ containerPort: 80 })]);
    expect(d.metadata!.labels).toEqual({ app: 'web', tier: 'front' });
    // $retainKeys: the old volume source and the defaulted rollingUpdate are gone.
    expect(d.spec!.template.spec!.volumes).toEqual([{ name: 'data', configMap: expect.objectContaining({ name: 'web-data' }) }]);
    expect(d.spec!.strategy).toEqual({ type: 'Recreate' });
    expect(d.metadata!.annotations!.team).toBe('payments');
    // kubectl records the manifest with the namespace it defaulted (arrays must match whole).
    expect(JSON.parse(d.metadata!.annotations![LAST_APPLIED]!)).toMatchObject({ ...v2, metadata: { ...(v2.metadata as object), namespace: 'default' } });
    // The same manifest again changes nothing.
    expect(await ok('apply', '--validate=false', '-f', writeManifest('v2.yaml', v2))).toMatch(/deployment.apps\/web unchanged/);
  });

  it('apply of a changed Service merges ports by port and keeps the allocated cluster IP', async () => {
    const service = (ports: Record<string, unknown>[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports } });
    await ok('apply', '--validate=false', '-f', writeManifest('svc1.yaml', service([{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }])));
    const ip = JSON.parse(await ok('get', 'service', 'web', '-o', 'json')).spec.clusterIP as string;
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await ok('apply', '--validate=false', '-f', writeManifest('svc2.yaml', service([{ name: 'http', port: 80, targetPort: 9090 }])));
    const spec = JSON.parse(await ok('get', 'service', 'web', '-o', 'json')).spec as { clusterIP: string; ports: { name: string; port: number; targetPort: number }[] };
    expect(spec.clusterIP).toBe(ip);
    expect(spec.ports.map((p) => [p.name, p.port, p.targetPort])).toEqual([['http', 80, 9090]]);
  });

  it('set image/env/resources, rollout restart/pause/resume, edit with a sed EDITOR', async () => {
    expect(await ok('set', 'image', 'deployment/web', 'web=nginx:1.27')).toMatch(/image updated/);
    let d = await getDeployment('web');
    expect(d.spec!.template.spec!.containers.map((c) => [c.name, c.image])).toEqual([['web', 'nginx:1.27']]);
    expect(d.spec!.template.spec!.containers[0]!.env).toEqual([{ name: 'MODE', value: 'fast' }]);

    expect(await ok('set', 'env', 'deployment/web', 'LEVEL=info')).toMatch(/env updated/);
    expect((await getDeployment('web')).spec!.template.spec!.containers[0]!.env).toEqual([
      { name: 'MODE', value: 'fast' },
      { name: 'LEVEL', value: 'info' },
    ]);
    await ok('set', 'env', 'deployment/web', 'MODE-');
    expect((await getDeployment('web')).spec!.template.spec!.containers[0]!.env).toEqual([{ name: 'LEVEL', value: 'info' }]);
    expect(await ok('set', 'resources', 'deployment/web', '-c', 'web', '--limits=memory=64Mi')).toMatch(/resource requirements updated/);
    expect((await getDeployment('web')).spec!.template.spec!.containers[0]!.resources!.limits).toEqual({ memory: '64Mi' });

    expect(await ok('rollout', 'restart', 'deployment/web')).toMatch(/restarted/);
    expect((await getDeployment('web')).spec!.template.metadata!.annotations!['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-/);
    expect(await ok('rollout', 'pause', 'deployment/web')).toMatch(/paused/);
    expect((await getDeployment('web')).spec!.paused).toBe(true);
    expect(await ok('rollout', 'resume', 'deployment/web')).toMatch(/resumed/);
    expect((await getDeployment('web')).spec!.paused ?? false).toBe(false);

    const editor = join(dir, 'edit.sh');
    writeFileSync(editor, `#!/bin/sh\nsed -i -e 's/replicas: 1$/replicas: 3/' -e 's/image: nginx:1.27/image: nginx:1.28/' "$1"\n`);
    chmodSync(editor, 0o755);
    const edited = await kubectl(['edit', 'deployment', 'web'], { EDITOR: editor, KUBE_EDITOR: editor });
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toMatch(/deployment.apps\/web edited/);
    d = await getDeployment('web');
    expect(d.spec!.replicas).toBe(3);
    expect(d.spec!.template.spec!.containers.map((c) => [c.name, c.image])).toEqual([['web', 'nginx:1.28']]);
    expect(d.metadata!.annotations!.team).toBe('payments');
  });

  it('patch --type strategic adds a container by name and deletes one with $patch: delete', async () => {
    const add = { spec: { template: { spec: { containers: [{ name: 'log', image: 'busybox:1.36', args: ['tail'] }] } } } };
    await ok('patch', 'deployment', 'web', '--type', 'strategic', '-p', JSON.stringify(add));
    let d = await getDeployment('web');
    // Without $setElementOrder Kubernetes puts a new element before the ones only the server has.
    expect(d.spec!.template.spec!.containers.map((c) => c.name)).toEqual(['log', 'web']);
    expect(d.spec!.template.spec!.containers[1]!.image).toBe('nginx:1.28');

    const del = { spec: { template: { spec: { containers: [{ name: 'web', $patch: 'delete' }] } } } };
    await ok('patch', 'deployment', 'web', '--type', 'strategic', '-p', JSON.stringify(del));
    d = await getDeployment('web');
    expect(d.spec!.template.spec!.containers.map((c) => [c.name, c.image])).toEqual([['log', 'busybox:1.36']]);

    const bad = await kubectl(['patch', 'deployment', 'web', '--type', 'strategic', '-p', '{"spec":{"$frobnicate":true}}']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/\$frobnicate/);
  });

  it('cordon/uncordon and taint a Node', async () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } }, spec: { taints: [{ key: 'keep', value: 'me', effect: 'PreferNoSchedule' }] } };
    await ok('create', '-f', writeManifest('node.yaml', node));

    expect(await ok('cordon', 'n1')).toMatch(/cordoned/);
    expect((await getNode('n1')).spec!.unschedulable).toBe(true);
    expect(await ok('uncordon', 'n1')).toMatch(/uncordoned/);
    expect((await getNode('n1')).spec!.unschedulable ?? false).toBe(false);

    expect(await ok('taint', 'nodes', 'n1', 'dedicated=gpu:NoSchedule')).toMatch(/tainted/);
    let taints = (await getNode('n1')).spec!.taints!.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`);
    expect(taints.sort()).toEqual(['dedicated=gpu:NoSchedule', 'keep=me:PreferNoSchedule']);
    expect(await ok('taint', 'nodes', 'n1', 'dedicated:NoSchedule-')).toMatch(/untainted/);
    taints = (await getNode('n1')).spec!.taints!.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`);
    expect(taints).toEqual(['keep=me:PreferNoSchedule']);
  });
});

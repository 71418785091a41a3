// kubectl as an outside client: discovery (api-resources, short names), create -f, get as a
// table / -o yaml / -o json, get -w, describe, label, patch --type merge, delete.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';
import { kubectlFor, type KubectlResult } from './harness/kubectl.js';

let api: TestApiServer;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  api = await startTestApiServer();
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kc = kubectlFor(() => api.kubeconfigPath, () => join(dir, 'cache'));

function kubectlArgs(args: string[]): string[] {
  return kc.argv(args);
}

function kubectl(...args: string[]): Promise<KubectlResult> {
  return kc.run(args);
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

describe('kubectl against skiff', () => {
  it('api-resources lists the served kinds with short names', async () => {
    const out = await ok('api-resources');
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND/);
    expect(lines.find((l) => /^pods\s/.test(l))).toMatch(/^pods\s+po\s+v1\s+true\s+Pod/);
    expect(lines.find((l) => /^deployments\s/.test(l))).toMatch(/deploy\s+apps\/v1\s+true\s+Deployment/);
    expect(lines.find((l) => /^namespaces\s/.test(l))).toMatch(/ns\s+v1\s+false\s+Namespace/);
  });

  it('create -f, get (table, short name, -o yaml, -o json), label, patch --type merge, describe, delete', async () => {
    const manifest = join(dir, 'cm.yaml');
    writeFileSync(manifest, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  labels:\n    app: web\ndata:\n  greeting: hello\n');
    // Default validation: kubectl finds fieldValidation in /openapi/v3 and leaves it to the server.
    expect(await ok('create', '-f', manifest)).toMatch(/configmap\/web-config created/);
    const table = await ok('get', 'cm');
    expect(table).toMatch(/^NAME\s+DATA\s+AGE/);
    expect(table).toMatch(/web-config\s+1\s+\d+s/);
    const yaml = parse(await ok('get', 'configmap', 'web-config', '-o', 'yaml')) as { data: Record<string, string>; metadata: { uid: string } };
    expect(yaml.data).toEqual({ greeting: 'hello' });
    const json = JSON.parse(await ok('get', 'configmaps', 'web-config', '-o', 'json')) as { metadata: { uid: string } };
    expect(json.metadata.uid).toBe(yaml.metadata.uid);
    expect(await ok('label', 'cm', 'web-config', 'tier=frontend')).toMatch(/labeled/);
    expect(await ok('get', 'cm', '-l', 'tier=frontend', '-o', 'name')).toBe('configmap/web-config\n');
    expect(await ok('patch', 'cm', 'web-config', '--type', 'merge', '-p', '{"data":{"greeting":"hi"}}')).toMatch(/patched/);
    expect(await ok('get', 'cm', 'web-config', '-o', 'jsonpath={.data.greeting}')).toBe('hi');
    const described = await ok('describe', 'configmap', 'web-config');
    expect(described).toMatch(/Name:\s+web-config/);
    expect(described).toMatch(/tier=frontend/);
    expect(await ok('delete', 'cm', 'web-config')).toMatch(/configmap "web-config" deleted/);
    const gone = await kubectl('get', 'cm', 'web-config');
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/configmaps "web-config" not found/);
  });

  it('typed create commands send protobuf bodies the server decodes', async () => {
    const r = await kubectl('create', 'configmap', 'typed', '--from-literal=mode=fast', '--from-literal=empty=', '-v=8');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Content-Type: application\/vnd\.kubernetes\.protobuf/);
    expect(JSON.parse(await ok('get', 'cm', 'typed', '-o', 'json')).data).toEqual({ mode: 'fast', empty: '' });
    await ok('create', 'secret', 'generic', 'pw', '--from-literal=password=s3cr3t');
    const secret = JSON.parse(await ok('get', 'secret', 'pw', '-o', 'json')) as { type: string; data: Record<string, string> };
    expect(secret.type).toBe('Opaque');
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('s3cr3t');
    await ok('create', 'serviceaccount', 'robot');
    await ok('create', 'priorityclass', 'high', '--value=1000', '--description=important');
    expect(await ok('get', 'priorityclass', 'high', '-o', 'jsonpath={.value} {.description}')).toBe('1000 important');
  });

  it('get -w prints changes as they happen', async () => {
    const child = spawn('kubectl', kubectlArgs(['get', 'namespaces', '-w', '--no-headers']), { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor('the initial list', () => out.includes('kube-system'));
      await ok('create', 'namespace', 'watched-ns');
      await waitFor('the new namespace in the watch', () => /watched-ns\s+Active/.test(out), 15_000);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

// kubectl apply --server-side against a real API server on real etcd: create, a conflict with
// another manager (and --force-conflicts), a dropped field removed, a conflict with `kubectl
// scale`'s manager, the migration from client-side apply, --show-managed-fields, and
// --dry-run=server.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Deployment, ManagedFieldsEntry } from '../api/types.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { kubectlFor } from './harness/kubectl.js';

let api: TestApiServer;
let dir: string;

beforeAll(async () => {
  api = await startTestApiServer();
  dir = mkdtempSync(join(tmpdir(), 'skiff-ssa-'));
});
afterAll(async () => {
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kc = kubectlFor(() => api.kubeconfigPath, () => join(dir, 'cache'), ['--request-timeout=20s']);

interface Shape {
  name: string;
  replicas?: number;
  image?: string;
  labels?: Record<string, string>;
  env?: Record<string, string>;
}

function manifest(s: Shape): string {
  const file = join(dir, `${s.name}-${Math.random().toString(36).slice(2)}.yaml`);
  const container: Record<string, unknown> = { name: 'web', image: s.image ?? 'nginx:1.27' };
  if (s.env) container.env = Object.entries(s.env).map(([name, value]) => ({ name, value }));
  writeFileSync(
    file,
    stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: s.name, ...(s.labels ? { labels: s.labels } : {}) },
      spec: {
        ...(s.replicas !== undefined ? { replicas: s.replicas } : {}),
        selector: { matchLabels: { app: s.name } },
        template: { metadata: { labels: { app: s.name } }, spec: { containers: [container] } },
      },
    }),
  );
  return file;
}

async function get(name: string, ...extra: string[]): Promise<Deployment> {
  return parse(await kc.ok('get', 'deployment', name, '-o', 'yaml', ...extra)) as Deployment;
}

function managers(d: Deployment): string[] {
  return (d.metadata?.managedFields ?? []).map((m: ManagedFieldsEntry) => `${m.manager}/${m.operation}${m.subresource ? `/${m.subresource}` : ''}`).sort();
}

describe('kubectl apply --server-side', () => {
  it('creates, owns what it applied, and shows managedFields only when asked', async () => {
    const out = await kc.ok('apply', '--server-side', '-f', manifest({ name: 'ssa-create', replicas: 2 }));
    expect(out).toContain('deployment.apps/ssa-create serverside-applied');
    const plain = await get('ssa-create');
    expect(plain.spec?.replicas).toBe(2);
    expect(plain.metadata?.managedFields).toBeUndefined();
    const shown = await get('ssa-create', '--show-managed-fields');
    const entry = shown.metadata!.managedFields!.find((m) => m.manager === 'kubectl')!;
    expect(entry.operation).toBe('Apply');
    expect(entry.fieldsType).toBe('FieldsV1');
    const fields = entry.fieldsV1 as Record<string, Record<string, unknown>>;
    expect(fields['f:spec']!['f:replicas']).toEqual({});
    expect(Object.keys((fields['f:spec']!['f:template'] as Record<string, Record<string, Record<string, unknown>>>)['f:spec']!['f:containers']!)).toEqual(['k:{"name":"web"}']);
  });

  it('a second manager changing replicas conflicts (exit 1, field and manager named); --force-conflicts takes it', async () => {
    await kc.ok('apply', '--server-side', '-f', manifest({ name: 'ssa-conflict', replicas: 2 }));
    const refused = await kc.run(['apply', '--server-side', '--field-manager=other', '-f', manifest({ name: 'ssa-conflict', replicas: 5 })]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect((await get('ssa-conflict')).spec?.replicas).toBe(2);

    await kc.ok('apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', manifest({ name: 'ssa-conflict', replicas: 5 }));
    const forced = await get('ssa-conflict', '--show-managed-fields');
    expect(forced.spec?.replicas).toBe(5);
    const fieldsOf = (m: string) => JSON.stringify(forced.metadata!.managedFields!.find((e) => e.manager === m)?.fieldsV1 ?? {});
    expect(fieldsOf('other')).toContain('"f:replicas"');
    expect(fieldsOf('kubectl')).not.toContain('"f:replicas"');
  });

  it('removes a field dropped from the manifest', async () => {
    await kc.ok('apply', '--server-side', '-f', manifest({ name: 'ssa-drop', labels: { team: 'a', tier: 'web' }, env: { A: '1', B: '2' } }));
    await kc.ok('apply', '--server-side', '-f', manifest({ name: 'ssa-drop', labels: { team: 'a' }, env: { A: '1' } }));
    const d = await get('ssa-drop');
    expect(d.metadata?.labels).toEqual({ team: 'a' });
    expect(d.spec?.template.spec?.containers[0]!.env).toEqual([{ name: 'A', value: '1' }]);
  });

  it('kubectl scale, then an apply of other replicas, conflicts with the scale manager', async () => {
    await kc.ok('apply', '--server-side', '-f', manifest({ name: 'ssa-scale', replicas: 1 }));
    await kc.ok('scale', 'deployment', 'ssa-scale', '--replicas=3');
    const scaled = await get('ssa-scale', '--show-managed-fields');
    expect(managers(scaled)).toContain('kubectl/Update/scale');
    const r = await kc.run(['apply', '--server-side', '-f', manifest({ name: 'ssa-scale', replicas: 1 })]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  });

  it('client-side apply, then server-side apply, migrates without a conflict', async () => {
    await kc.ok('apply', '-f', manifest({ name: 'ssa-migrate', replicas: 1, labels: { a: '1', b: '2' } }));
    expect(managers(await get('ssa-migrate', '--show-managed-fields'))).toEqual(['kubectl-client-side-apply/Update']);
    await kc.ok('apply', '--server-side', '-f', manifest({ name: 'ssa-migrate', replicas: 4, labels: { a: '1' } }));
    const d = await get('ssa-migrate', '--show-managed-fields');
    expect(d.spec?.replicas).toBe(4);
    // The fields client-side apply set became kubectl's, so the dropped label went.
    expect(d.metadata?.labels).toEqual({ a: '1' });
    // kubectl keeps client-side apply's annotation under a manager of its own, as on Kubernetes.
    expect(managers(d)).toEqual(['kubectl-last-applied/Apply', 'kubectl/Apply']);
    // Client-side apply can still be used afterwards: its annotation followed the server-side apply.
    const lastApplied = JSON.parse(d.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration']!) as Deployment;
    expect(lastApplied.spec?.replicas).toBe(4);
    await kc.ok('apply', '-f', manifest({ name: 'ssa-migrate', replicas: 2, labels: { a: '1' } }));
    expect((await get('ssa-migrate')).spec?.replicas).toBe(2);
  });

  it('--dry-run=server creates and changes nothing', async () => {
    const out = await kc.ok('apply', '--server-side', '--dry-run=server', '-f', manifest({ name: 'ssa-dry', replicas: 2 }));
    expect(out).toContain('serverside-applied (server dry run)');
    expect((await kc.run(['get', 'deployment', 'ssa-dry'])).code).toBe(1);
    await kc.ok('apply', '--server-side', '-f', manifest({ name: 'ssa-dry', replicas: 2 }));
    const shown = parse(await kc.ok('apply', '--server-side', '--dry-run=server', '-o', 'yaml', '-f', manifest({ name: 'ssa-dry', replicas: 7 }))) as Deployment;
    expect(shown.spec?.replicas).toBe(7);
    expect((await get('ssa-dry')).spec?.replicas).toBe(2);
  });

  it('a typo in the manifest is refused with its path (fieldValidation=Strict)', async () => {
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-typo' }, data: { a: 'b' }, dat: { c: 'd' } }));
    const r = await kc.run(['apply', '--server-side', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown field "dat"');
  });
});

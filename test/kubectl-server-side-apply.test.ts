// kubectl apply --server-side against a real API server on real etcd: create, a conflict with
// another manager (and --force-conflicts), a dropped field removed, a conflict with `kubectl
// scale`'s manager, the migration from client-side apply, --show-managed-fields,
// --dry-run=server, a custom kind whose list types come from its CRD, and an apply to /status.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
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

  it('a Service and a Pod applied twice: ports are keyed by port and protocol, the default protocol included', async () => {
    const file = join(dir, 'svc-pod.yaml');
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ssa-svc' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } };
    const ports = [{ containerPort: 53, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }];
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ssa-pod' }, spec: { containers: [{ name: 'dns', image: 'busybox', ports }] } };
    writeFileSync(file, `${stringify(svc)}---\n${stringify(pod)}`);
    await kc.ok('apply', '--server-side', '-f', file);
    const again = await kc.run(['apply', '--server-side', '-f', file]);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    const live = JSON.parse(await kc.ok('get', 'service', 'ssa-svc', '-o', 'json')) as { spec: { ports: unknown[] } };
    expect(live.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 8080 }]);
  });

  it('an unchanged re-apply writes nothing, even where defaulting fills in what the manifest leaves out', async () => {
    const file = join(dir, 'same.yaml');
    const env = [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa-same' }, spec: { selector: { matchLabels: { app: 'same' } }, template: { metadata: { labels: { app: 'same' } }, spec: { containers: [{ name: 'c', image: 'busybox', env }] } } } };
    writeFileSync(file, stringify(d));
    await kc.ok('apply', '--server-side', '-f', file);
    const before = await get('ssa-same');
    // managedFields times have one-second resolution: the re-apply lands in a later second.
    await new Promise((r) => setTimeout(r, 1100));
    await kc.ok('apply', '--server-side', '-f', file);
    const after = await get('ssa-same');
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(after.metadata?.generation).toBe(1);
  });

  it('a typo in the manifest is refused with its path (fieldValidation=Strict)', async () => {
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-typo' }, data: { a: 'b' }, dat: { c: 'd' } }));
    const r = await kc.run(['apply', '--server-side', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown field "dat"');
  });

  it('managedFields cleared with [{}]: the first apply conflicts with before-first-apply where it changes values', async () => {
    const cm = (data: Record<string, string>) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-reset' }, data });
    expect((await kc.run(['create', '-f', '-'], { input: cm({ a: '1' }) })).code).toBe(0);
    await kc.ok('patch', 'configmap', 'ssa-reset', '--type=json', '-p', '[{"op":"replace","path":"/metadata/managedFields","value":[{}]}]');
    const cleared = parse(await kc.ok('get', 'configmap', 'ssa-reset', '-o', 'yaml', '--show-managed-fields')) as { metadata: { managedFields?: unknown } };
    expect(cleared.metadata.managedFields).toBeUndefined();
    const r = await kc.run(['apply', '--server-side', '-f', '-'], { input: cm({ a: '2' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('conflict with "before-first-apply" using v1: .data.a');
    // The same value is shared, not a conflict.
    expect((await kc.run(['apply', '--server-side', '-f', '-'], { input: cm({ a: '1' }) })).code).toBe(0);
  });

  it('a custom kind merges by the list types of its CRD schema and conflicts on fields another manager owns', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.ssa.example.com' },
      spec: {
        group: 'ssa.example.com',
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      owner: { type: 'string' },
                      ports: {
                        type: 'array',
                        'x-kubernetes-list-type': 'map',
                        'x-kubernetes-list-map-keys': ['name'],
                        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } },
                      },
                      tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
                    },
                  },
                  status: {
                    type: 'object',
                    properties: {
                      conditions: {
                        type: 'array',
                        'x-kubernetes-list-type': 'map',
                        'x-kubernetes-list-map-keys': ['type'],
                        items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } },
                      },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    const r = await kc.run(['apply', '--server-side', '-f', '-'], { input: stringify(crd) });
    expect(r.code).toBe(0);
    await kc.ok('wait', '--for=condition=Established', '--timeout=10s', 'crd/gadgets.ssa.example.com');
    const gadget = (spec: Record<string, unknown>) => stringify({ apiVersion: 'ssa.example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec });
    const applyAs = (manager: string, spec: Record<string, unknown>) => kc.run(['apply', '--server-side', `--field-manager=${manager}`, '-f', '-'], { input: gadget(spec) });

    expect(await applyAs('team-a', { owner: 'a', ports: [{ name: 'http', port: 80 }], tags: ['blue'] })).toMatchObject({ code: 0, stderr: '' });
    expect(await applyAs('team-b', { ports: [{ name: 'metrics', port: 9090 }], tags: ['green'] })).toMatchObject({ code: 0, stderr: '' });
    const both = JSON.parse(await kc.ok('get', 'gadget', 'g', '-o', 'json')) as { spec: { ports: unknown[]; tags: string[] } };
    expect(both.spec.ports).toEqual([{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }]);
    expect(both.spec.tags).toEqual(['blue', 'green']);

    const refused = await applyAs('team-b', { owner: 'b', ports: [{ name: 'metrics', port: 9090 }] });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('conflict with "team-a": .spec.owner');
    // team-b gave up its tag: only team-a's remains.
    expect(await applyAs('team-b', { ports: [{ name: 'metrics', port: 9090 }] })).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(await kc.ok('get', 'gadget', 'g', '-o', 'json')) as { spec: { tags: string[] } }).spec.tags).toEqual(['blue']);

    // Two controllers each apply their own condition through /status; both stay.
    const status = (type: string) => JSON.stringify({ apiVersion: 'ssa.example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, status: { conditions: [{ type, status: 'True' }] } });
    const statusPath = (manager: string) => `/apis/ssa.example.com/v1/namespaces/default/gadgets/g/status?fieldManager=${manager}`;
    expect((await call('PATCH', statusPath('ready-ctl'), status('Ready'), 'application/apply-patch+yaml')).status).toBe(200);
    const synced = await call('PATCH', statusPath('synced-ctl'), status('Synced'), 'application/apply-patch+yaml');
    expect(synced.status).toBe(200);
    const g = synced.json as { status: { conditions: { type: string }[] }; metadata: { managedFields: ManagedFieldsEntry[] } };
    expect(g.status.conditions.map((c) => c.type)).toEqual(['Ready', 'Synced']);
    expect(g.metadata.managedFields.filter((m) => m.subresource === 'status').map((m) => m.manager).sort()).toEqual(['ready-ctl', 'synced-ctl']);
  });

  it('an apply to /status owns status fields under the status subresource', async () => {
    await kc.ok('apply', '--server-side', '-f', manifest({ name: 'ssa-status', replicas: 1 }));
    const body = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa-status' }, spec: { replicas: 9 }, status: { replicas: 1, observedGeneration: 1 } });
    const res = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/ssa-status/status?fieldManager=status-writer', body, 'application/apply-patch+yaml');
    expect(res.status).toBe(200);
    const d = res.json as Deployment;
    expect(d.status?.observedGeneration).toBe(1);
    // The status subresource changes status only.
    expect(d.spec?.replicas).toBe(1);
    const entry = d.metadata!.managedFields!.find((m) => m.manager === 'status-writer')!;
    expect(entry).toMatchObject({ operation: 'Apply', subresource: 'status' });
    expect(Object.keys(entry.fieldsV1 as object)).toEqual(['f:status']);
    const missing = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/ssa-status/status', body, 'application/apply-patch+yaml');
    expect(missing.status).toBe(422);
  });

  it('an apply to /scale is an apply of spec.replicas: conflicts with its owner, force takes it', async () => {
    await kc.ok('apply', '--server-side', '-f', manifest({ name: 'ssa-hpa', replicas: 2 }));
    const path = '/apis/apps/v1/namespaces/default/deployments/ssa-hpa/scale?fieldManager=autoscaler';
    const scale = (replicas: number) => JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'ssa-hpa' }, spec: { replicas } });
    const refused = await call('PATCH', path, scale(5), 'application/apply-patch+yaml');
    expect(refused.status).toBe(409);
    expect((refused.json as { message: string }).message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    const forced = await call('PATCH', `${path}&force=true`, scale(5), 'application/apply-patch+yaml');
    expect(forced.status).toBe(200);
    expect((forced.json as { spec: { replicas: number } }).spec.replicas).toBe(5);
    const d = await get('ssa-hpa', '--show-managed-fields');
    expect(d.spec?.replicas).toBe(5);
    const entry = d.metadata!.managedFields!.find((m) => m.manager === 'autoscaler')!;
    expect(entry).toMatchObject({ operation: 'Apply', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    const wrongKind = await call('PATCH', path, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1 } }), 'application/apply-patch+yaml');
    expect(wrongKind.status).toBe(400);
  });

  it('other writes record an Update entry for the manager the User-Agent names, and the apply checks the request as upstream', async () => {
    const ua = { 'User-Agent': 'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:replicaset-controller' };
    const cm = (data: Record<string, string>, extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-ua', ...extra }, data });
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm({ a: '1' }), 'application/json', ua);
    expect(created.status).toBe(201);
    const meta = (created.json as { metadata: { resourceVersion: string; managedFields: ManagedFieldsEntry[] } }).metadata;
    expect(meta.managedFields).toEqual([
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: expect.any(String) as string, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } },
    ]);

    const path = '/api/v1/namespaces/default/configmaps/ssa-ua';
    // A resourceVersion in the applied configuration is a precondition.
    const stale = await call('PATCH', `${path}?fieldManager=mine`, cm({ a: '1' }, { resourceVersion: '1' }), 'application/apply-patch+yaml');
    expect(stale.status).toBe(409);
    const current = await call('PATCH', `${path}?fieldManager=mine`, cm({ a: '1', b: '2' }, { resourceVersion: meta.resourceVersion }), 'application/apply-patch+yaml');
    expect(current.status).toBe(200);
    const tooLong = await call('PATCH', `${path}?fieldManager=${'m'.repeat(129)}`, cm({ a: '1' }), 'application/apply-patch+yaml');
    expect(tooLong.status).toBe(422);
    const notAnObject = await call('PATCH', `${path}?fieldManager=mine`, '- a\n- b\n', 'application/apply-patch+yaml');
    expect(notAnObject.status).toBe(400);
    const forceOnMerge = await call('PATCH', `${path}?force=true`, '{"data":{"c":"3"}}', 'application/merge-patch+json');
    expect(forceOnMerge.status).toBe(422);
  });
});

/** One HTTPS request to the test API server as the admin. */
function call(method: string, path: string, body: string, contentType: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, api.url),
      { method, ca: readFileSync(api.caFile), headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': contentType, Accept: 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

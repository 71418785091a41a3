// CustomResourceDefinitions end to end, with kubectl as the client: a CRD applied and
// Established, objects created and listed with printer columns, validated (paths in the 422),
// pruned (and refused under Strict), defaulted, watched, status and scale subresources, two
// versions with one storage version, an API server restart, and the CRD's deletion taking its
// objects with it. One server for all of it, to keep the suite lean.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ResourceType } from '../api/resources.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { kubectlFor } from './harness/kubectl.js';
import { waitFor } from './harness/ports.js';

let api: TestApiServer;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  api = await startTestApiServer();
  dir = mkdtempSync(join(tmpdir(), 'skiff-crd-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kc = kubectlFor(() => api.kubeconfigPath, () => join(dir, 'cache'));

const widgetSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['color'],
      properties: {
        color: { type: 'string', enum: ['red', 'green', 'blue'] },
        replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
        size: { type: 'string', pattern: '^(small|medium|large)$', default: 'medium' },
        port: { 'x-kubernetes-int-or-string': true },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' }, phase: { type: 'string' } } },
  },
};

const version = (name: string, storage: boolean) => ({
  name,
  served: true,
  storage,
  schema: { openAPIV3Schema: widgetSchema },
  subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
  selectableFields: [{ jsonPath: '.spec.color' }],
  additionalPrinterColumns: [
    { name: 'Color', type: 'string', jsonPath: '.spec.color' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    versions: [version('v1', true), version('v1beta1', false)],
  },
};

const widgetsV1: ResourceType = {
  group: 'stable.example.com',
  version: 'v1',
  kind: 'Widget',
  resource: 'widgets',
  singular: 'widget',
  namespaced: true,
  shortNames: ['wd'],
  subresources: ['status', 'scale'],
  categories: [],
  verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
};

const widget = (name: string, spec: Record<string, unknown>, apiVersion = 'stable.example.com/v1') => stringify({ apiVersion, kind: 'Widget', metadata: { name, labels: { app: name } }, spec });

/** The status code of an unauthenticated GET /readyz. */
function readyz(): Promise<number> {
  return new Promise((resolve) => {
    const req = httpsGet(`${api.url}/readyz`, { ca: readFileSync(api.caFile) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });
}

async function apply(manifest: string, ...flags: string[]) {
  return kc.run(['apply', '-f', '-', ...flags], { input: manifest });
}

// What the tests read of an object; kubectl's JSON is trusted to have this shape.
interface Obj {
  apiVersion: string;
  metadata: { generation: number; deletionTimestamp?: string };
  spec: Record<string, unknown>;
  status: Record<string, unknown> & { acceptedNames: { kind: string }; storedVersions: string[]; conditions: Array<{ type: string; status: string }> };
}

async function json(...args: string[]): Promise<Obj> {
  return JSON.parse(await kc.ok(...args, '-o', 'json')) as Obj;
}

describe('CustomResourceDefinitions', () => {
  it('a CRD applied is Established and served at once, in discovery', async () => {
    const r = await apply(stringify(widgetCrd));
    expect(r.stderr).toBe('');
    await kc.ok('wait', '--for=condition=Established', '--timeout=10s', 'crd/widgets.stable.example.com');
    const crd = await json('get', 'crd', 'widgets.stable.example.com');
    expect(crd.status.acceptedNames.kind).toBe('Widget');
    expect(crd.status.storedVersions).toEqual(['v1']);
    expect(await kc.ok('get', 'crds')).toMatch(/^NAME\s+CREATED AT\nwidgets\.stable\.example\.com\s+\d{4}-\d\d-\d\dT/);
    expect(crd.status.conditions.find((c) => c.type === 'NamesAccepted')?.status).toBe('True');
    // The same kubectl cache that just looked up CRDs finds the new kind.
    const listed = await kc.run(['get', 'widgets']);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toMatch(/No resources found in default namespace/);
    const resources = await kc.ok('api-resources', '--api-group=stable.example.com');
    expect(resources).toMatch(/widgets\s+wd\s+stable\.example\.com\/v1\s+true\s+Widget/);
  });

  it('an invalid CRD is refused with the failing paths', async () => {
    const bad = {
      ...widgetCrd,
      metadata: { name: 'gizmos.stable.example.com' },
      spec: { ...widgetCrd.spec, names: { plural: 'gizmos', kind: 'Gizmo' }, versions: [] as unknown[] },
    };
    bad.spec.versions = [{ ...version('v1', true), schema: { openAPIV3Schema: { type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } } } }, version('v2', true)];
    const r = await apply(stringify(bad));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value');
    expect(r.stderr).toContain('must have exactly one version marked as storage version');
  });

  it('objects are created, defaulted and listed with the printer columns', async () => {
    expect((await apply(widget('alpha', { color: 'red', replicas: 2 }))).code).toBe(0);
    expect((await apply(widget('beta', { color: 'blue', port: 'http' }))).code).toBe(0);
    const beta = await json('get', 'widget', 'beta');
    expect(beta.spec).toEqual({ color: 'blue', port: 'http', replicas: 1, size: 'medium' });
    expect(beta.metadata.generation).toBe(1);
    const table = await kc.ok('get', 'wd');
    expect(table.split('\n')[0]).toMatch(/^NAME\s+COLOR\s+REPLICAS\s+AGE$/);
    expect(table).toMatch(/alpha\s+red\s+2\s+\d+s/);
    expect(await kc.ok('get', 'widgets', '-l', 'app=beta', '-o', 'name')).toBe('widget.stable.example.com/beta\n');
    expect(await kc.ok('get', 'widgets', '--field-selector', 'metadata.name=alpha', '-o', 'name')).toBe('widget.stable.example.com/alpha\n');
    expect(await kc.ok('get', 'widgets', '--field-selector', 'spec.color=blue', '-o', 'name')).toBe('widget.stable.example.com/beta\n');
    const unsupported = await kc.run(['get', 'widgets', '--field-selector', 'spec.size=medium']);
    expect(unsupported.stderr).toContain('field label not supported: spec.size');
  });

  it('an invalid object is refused with each failing field path', async () => {
    const r = await apply(widget('bad', { color: 'purple', replicas: 20, size: 'huge', port: 1.5 }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('spec.color: Unsupported value: "purple"');
    expect(r.stderr).toContain('spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10');
    expect(r.stderr).toContain("spec.size: Invalid value: \"huge\": spec.size in body should match '^(small|medium|large)$'");
    expect(r.stderr).toContain('spec.port: Invalid value: "number"');
    const missing = await apply(widget('bad', { replicas: 1 }));
    expect(missing.stderr).toContain('spec.color: Required value');
  });

  it('unknown fields are pruned, kept under preserve-unknown-fields, and refused under Strict', async () => {
    const manifest = widget('gamma', { color: 'green', bogus: 1, extra: { anything: { goes: true } } });
    const strict = await apply(manifest);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('unknown field "spec.bogus"');
    expect((await apply(manifest, '--validate=false')).code).toBe(0);
    const gamma = await json('get', 'widget', 'gamma');
    expect(gamma.spec.bogus).toBeUndefined();
    expect(gamma.spec.extra).toEqual({ anything: { goes: true } });
    // Under preserve-unknown-fields nothing is unknown, Strict included.
    expect((await apply(widget('zeta', { color: 'red', extra: { free: { form: [1, 2] } } }))).stderr).toBe('');
  });

  it('kubectl get -w sees a change', async () => {
    const child = spawn('kubectl', kc.argv(['get', 'widgets', '-w', '--no-headers']), { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor('the initial list', () => /alpha\s+red/.test(out), 15_000);
      await kc.ok('patch', 'widget', 'alpha', '--type=merge', '-p', '{"spec":{"color":"green"}}');
      await waitFor('the change in the watch', () => /alpha\s+green/.test(out), 15_000);
    } finally {
      child.kill('SIGTERM');
    }
    const alpha = await json('get', 'widget', 'alpha');
    expect(alpha.metadata.generation).toBe(2);
  });

  it('patches: JSON patch and server-side apply work, strategic merge patch is 415 as upstream', async () => {
    await kc.ok('patch', 'widget', 'alpha', '--type=json', '-p', '[{"op":"replace","path":"/spec/size","value":"large"}]');
    expect((await json('get', 'widget', 'alpha')).spec.size).toBe('large');
    // kubectl itself refuses strategic merge for custom kinds; the server must too.
    const client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
    await expect(client.resource(widgetsV1).patch('default', 'alpha', 'strategic', { spec: { size: 'small' } })).rejects.toMatchObject({ code: 415 });
    const applied = await apply(widget('epsilon', { color: 'blue', replicas: 3 }), '--server-side', '--field-manager=crd-test');
    expect(applied.stderr).toBe('');
    const epsilon = await json('get', 'widget', 'epsilon', '--show-managed-fields');
    expect(epsilon.spec).toMatchObject({ color: 'blue', replicas: 3, size: 'medium' });
  });

  it('kubectl explain reads the custom schema from OpenAPI', async () => {
    const out = await kc.ok('explain', 'widgets.spec.replicas');
    expect(out).toMatch(/FIELD:\s+replicas\s+<integer>/);
  });

  it('watch over another version, with bookmarks, as informers use it', async () => {
    const client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
    const beta = { ...widgetsV1, version: 'v1beta1' };
    const list = await client.resource(beta).list('default');
    expect(list.items.every((i) => i.apiVersion === 'stable.example.com/v1beta1')).toBe(true);
    const events: Array<{ type: string; apiVersion?: string; name?: string }> = [];
    const abort = new AbortController();
    const watching = client
      .resource(beta)
      .watch('default', { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 10 }, (e) => events.push({ type: e.type, apiVersion: e.object.apiVersion, name: e.object.metadata?.name }), abort.signal)
      .catch(() => undefined);
    try {
      await kc.ok('label', 'widget', 'beta', 'touched=yes');
      await waitFor('the change and a bookmark', () => events.some((e) => e.type === 'MODIFIED') && events.some((e) => e.type === 'BOOKMARK'), 10_000);
    } finally {
      abort.abort();
      await watching;
    }
    expect(events.find((e) => e.type === 'MODIFIED')).toEqual({ type: 'MODIFIED', apiVersion: 'stable.example.com/v1beta1', name: 'beta' });
    expect(events.find((e) => e.type === 'BOOKMARK')?.apiVersion).toBe('stable.example.com/v1beta1');
  });

  it('a cluster-scoped kind without a status subresource: NAME/AGE, generation on every change', async () => {
    const gadgets = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.stable.example.com' },
      spec: {
        group: 'stable.example.com',
        scope: 'Cluster',
        names: { plural: 'gadgets', kind: 'Gadget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-validations': [{ rule: 'has(self.spec)' }] } } }],
      },
    };
    const created = await apply(stringify(gadgets));
    expect(created.code).toBe(0);
    // CEL rules are kept but not evaluated: the writer is told so.
    expect(created.stderr).toContain('Warning: spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations: stored, but skiff does not act on this field');
    await kc.ok('wait', '--for=condition=Established', '--timeout=10s', 'crd/gadgets.stable.example.com');
    expect((await apply(stringify({ apiVersion: 'stable.example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { a: 1 }, status: { phase: 'new' } }))).code).toBe(0);
    expect((await kc.ok('get', 'gadgets')).split('\n')[0]).toMatch(/^NAME\s+AGE$/);
    await kc.ok('patch', 'gadget', 'g1', '--type=merge', '-p', '{"status":{"phase":"old"}}');
    const g1 = await json('get', 'gadget', 'g1');
    expect(g1.status.phase).toBe('old');
    expect(g1.metadata.generation).toBe(2);
  });

  it('a CRD being deleted waits for its objects\' finalizers and refuses new objects meanwhile', async () => {
    await kc.ok('patch', 'gadget', 'g1', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}');
    await kc.ok('delete', 'crd', 'gadgets.stable.example.com', '--wait=false');
    await waitFor('the CRD Terminating', async () => (await json('get', 'crd', 'gadgets.stable.example.com')).status.conditions.some((c) => c.type === 'Terminating' && c.status === 'True'), 10_000);
    await waitFor('the object marked for deletion', async () => (await json('get', 'gadget', 'g1')).metadata.deletionTimestamp !== undefined, 10_000);
    const refused = await apply(stringify({ apiVersion: 'stable.example.com/v1', kind: 'Gadget', metadata: { name: 'g2' } }));
    expect(refused.stderr).toContain('create not allowed while custom resource definition is terminating');
    await kc.ok('patch', 'gadget', 'g1', '--type=merge', '-p', '{"metadata":{"finalizers":null}}');
    await waitFor('the CRD gone', async () => (await kc.run(['get', 'crd', 'gadgets.stable.example.com'])).code !== 0, 10_000);
  });

  it('status subresource: /status changes only status, the main resource ignores status', async () => {
    await kc.ok('patch', 'widget', 'alpha', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":2,"selector":"app=alpha","phase":"Ready"},"spec":{"color":"blue"}}');
    let alpha = await json('get', 'widget', 'alpha');
    expect(alpha.status).toEqual({ replicas: 2, selector: 'app=alpha', phase: 'Ready' });
    expect(alpha.spec.color).toBe('green');
    const generation = alpha.metadata.generation;
    await kc.ok('patch', 'widget', 'alpha', '--type=merge', '-p', '{"status":{"phase":"Hacked"}}');
    alpha = await json('get', 'widget', 'alpha');
    expect(alpha.status.phase).toBe('Ready');
    expect(alpha.metadata.generation).toBe(generation);
    const bad = await kc.run(['patch', 'widget', 'alpha', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":"two"}}']);
    expect(bad.stderr).toContain('status.replicas: Invalid value: "string"');
    const unknown = await kc.run(['patch', 'widget', 'alpha', '--subresource=status', '--type=merge', '-p', '{"status":{"mood":"happy"}}']);
    expect(unknown.stderr).toContain('unknown field "status.mood"');
  });

  it('scale subresource: kubectl scale, and the Scale read through the CRD paths', async () => {
    await kc.ok('scale', 'widget', 'alpha', '--replicas=5');
    const alpha = await json('get', 'widget', 'alpha');
    expect(alpha.spec.replicas).toBe(5);
    const scale = await json('get', 'widget', 'alpha', '--subresource=scale');
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 5 }, status: { replicas: 2, selector: 'app=alpha' } });
    const tooMany = await kc.run(['scale', 'widget', 'alpha', '--replicas=11']);
    expect(tooMany.stderr).toContain('spec.replicas in body should be less than or equal to 10');
  });

  it('two versions share one storage version; apiVersion follows the version asked for', async () => {
    expect((await apply(widget('delta', { color: 'red' }, 'stable.example.com/v1beta1'))).code).toBe(0);
    const asV1 = await json('get', 'widgets.v1.stable.example.com', 'delta');
    expect(asV1.apiVersion).toBe('stable.example.com/v1');
    const asBeta = await json('get', 'widgets.v1beta1.stable.example.com', 'alpha');
    expect(asBeta.apiVersion).toBe('stable.example.com/v1beta1');
    const etcd = new Etcd3({ hosts: api.etcd.endpoint });
    try {
      const stored = JSON.parse((await etcd.get('/registry/stable.example.com/widgets/default/delta').string())!) as { apiVersion: string };
      expect(stored.apiVersion).toBe('stable.example.com/v1');
    } finally {
      etcd.close();
    }
  });

  it('deletecollection deletes the custom objects a selector picks', async () => {
    const client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
    const list = await client.request<{ items: Array<{ metadata: { name: string } }> }>('DELETE', '/apis/stable.example.com/v1/namespaces/default/widgets?labelSelector=app%3Dzeta');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['zeta']);
    expect(await kc.ok('get', 'widgets', '-o', 'name')).not.toContain('zeta');
  });

  it('a default added to the CRD later shows on objects already stored (defaults on read)', async () => {
    await kc.ok('patch', 'crd', 'widgets.stable.example.com', '--type=json', '-p', JSON.stringify([
      { op: 'add', path: '/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/tier', value: { type: 'string', default: 'gold' } },
    ]));
    await waitFor('the new default on an old object', async () => (await json('get', 'widget', 'beta')).spec.tier === 'gold', 10_000);
    // Only the version whose schema has the default shows it.
    expect((await json('get', 'widgets.v1beta1.stable.example.com', 'beta')).spec.tier).toBeUndefined();
  });

  it('an API server restart serves the kind again from etcd before /readyz passes', async () => {
    await api.restart();
    await waitFor('/readyz', async () => (await readyz()) === 200, 15_000);
    expect(await kc.ok('get', 'widgets', '-o', 'name')).toContain('widget.stable.example.com/alpha');
  });

  it('deleting the CRD deletes its objects and stops serving the kind', async () => {
    await kc.ok('delete', 'crd', 'widgets.stable.example.com', '--timeout=20s');
    const etcd = new Etcd3({ hosts: api.etcd.endpoint });
    try {
      expect(await etcd.getAll().prefix('/registry/stable.example.com/widgets/').keys()).toEqual([]);
    } finally {
      etcd.close();
    }
    // A kubectl with cached discovery gets 404 for the list (as from kube-apiserver); a fresh one no longer finds the kind.
    const stale = await kc.run(['get', 'widgets']);
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toContain('NotFound');
    const fresh = kubectlFor(() => api.kubeconfigPath, () => join(dir, 'cache-after-delete'));
    const r = await fresh.run(['get', 'widgets']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/the server doesn't have a resource type "widgets"/);
  });
});

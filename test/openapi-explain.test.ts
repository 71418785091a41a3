// kubectl against the schema-driven surface, on a real API server and etcd: `kubectl explain`
// at several depths and --recursive (from /openapi/v3), a typo'd field refused with its path
// by create and apply (kubectl's default Strict validation), client-side apply twice with a
// container and an env var dropped and a label added (kubectl builds the strategic merge patch
// from the served schemas), explain from /openapi/v2 (protobuf), the Warning for a field skiff
// keeps but does not act on, a CRD kind explained and validated, and the shapes of /openapi/v2
// and /openapi/v3 documents.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Deployment } from '../api/types.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { kubectlFor } from './harness/kubectl.js';

let api: TestApiServer;
let dir: string;
const kubectl = kubectlFor(
  () => api.kubeconfigPath,
  () => join(dir, 'cache'),
  ['--request-timeout=30s'],
);

beforeAll(async () => {
  api = await startTestApiServer();
  dir = mkdtempSync(join(tmpdir(), 'skiff-openapi-explain-'));
});
afterAll(async () => {
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function manifest(name: string, obj: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, stringify(obj));
  return path;
}

/** The lines of `explain` output that name a field and its type (`  port\t<IntOrString> -required-`). */
function fieldLines(out: string): string[] {
  return out.split('\n').filter((l) => /^\s+\S+\t<.*>/.test(l)).map((l) => l.replace(/\t/, ' ').trimEnd());
}

describe('kubectl explain', () => {
  it('explains a kind with its description and top-level fields', async () => {
    const out = await kubectl.ok('explain', 'pods');
    expect(out).toMatch(/KIND:\s+Pod\nVERSION:\s+v1/);
    expect(out).toMatch(/Pod is a collection of containers that can run on a host/);
    expect(fieldLines(out)).toEqual(['  apiVersion <string>', '  kind <string>', '  metadata <ObjectMeta>', '  spec <PodSpec>', '  status <PodStatus>']);
  });

  it('explains a field five levels down, with int-or-string and required fields as upstream', async () => {
    const out = await kubectl.ok('explain', 'pods.spec.containers.livenessProbe.httpGet');
    expect(out).toMatch(/FIELD: httpGet <HTTPGetAction>/);
    expect(out).toMatch(/HTTPGet specifies the http request to perform/);
    expect(fieldLines(out)).toEqual(['  host <string>', '  httpHeaders <[]HTTPHeader>', '  path <string>', '  port <IntOrString> -required-', '  scheme <string>']);
  });

  it('explains maps of quantities and --recursive below a union', async () => {
    expect(fieldLines(await kubectl.ok('explain', 'deployments.spec.template.spec.containers.resources'))).toEqual(
      expect.arrayContaining(['  limits <map[string]Quantity>', '  requests <map[string]Quantity>']),
    );
    const out = await kubectl.ok('explain', 'deployments.spec.strategy', '--recursive');
    expect(out).toMatch(/GROUP:\s+apps\nKIND:\s+Deployment/);
    expect(fieldLines(out)).toEqual(['  rollingUpdate <RollingUpdateDeployment>', '    maxSurge <IntOrString>', '    maxUnavailable <IntOrString>', '  type <string>']);
    expect(out).toMatch(/type\t<string>\n\s+enum: Recreate, RollingUpdate/);
  });

  it('explains from /openapi/v2 too (gnostic protobuf, as client-go reads it)', async () => {
    const out = await kubectl.ok('explain', 'pods.spec.containers.livenessProbe.httpGet', '--output=plaintext-openapiv2');
    expect(out).toMatch(/RESOURCE: httpGet <Object>/);
    expect(out).toMatch(/HTTPGet specifies the http request to perform/);
    expect(out).toMatch(/port\t<string> -required-/);
  });

  it('names a field that does not exist', async () => {
    const r = await kubectl.run(['explain', 'pods.spec.containerz']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/field "containerz" does not exist/);
  });
});

const pod = (container: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'typo' }, spec: { containers: [{ name: 'c', image: 'busybox', ...container }] } });

describe('strict validation through kubectl', () => {
  it.each([['create'], ['apply']])('%s refuses a typo with its path', async (verb) => {
    const r = await kubectl.run([verb, '-f', manifest(`typo-${verb}.yaml`, pod({ imagePulPolicy: 'Always' }))]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/strict decoding error: unknown field "spec\.containers\[0\]\.imagePulPolicy"/);
    expect((await kubectl.run(['get', 'pod', 'typo'])).code).not.toBe(0);
  });

  it('keeps a field skiff does not act on and says so', async () => {
    const r = await kubectl.run(['create', '-f', manifest('selinux.yaml', { ...pod({ securityContext: { seLinuxOptions: { level: 's0:c1' } } }), metadata: { name: 'selinux' } })]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Warning: spec\.containers\[0\]\.securityContext\.seLinuxOptions: stored, but skiff does not act on this field/);
    const stored = JSON.parse(await kubectl.ok('get', 'pod', 'selinux', '-o', 'json')) as { spec: { containers: { securityContext: unknown }[] } };
    expect(stored.spec.containers[0]!.securityContext).toEqual({ seLinuxOptions: { level: 's0:c1' } });
  });
});

describe('client-side apply from the served schemas', () => {
  const app = (opts: { labels: Record<string, string>; sidecar: boolean; env: string[] }) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop', labels: opts.labels },
    spec: {
      selector: { matchLabels: { app: 'shop' } },
      template: {
        metadata: { labels: { app: 'shop' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], env: opts.env.map((name) => ({ name, value: name.toLowerCase() })) },
            ...(opts.sidecar ? [{ name: 'log', image: 'busybox', args: ['tail', '-f', '/dev/null'] }] : []),
          ],
        },
      },
    },
  });

  it('applied twice, drops the container and env var the manifest dropped and adds the label', async () => {
    await kubectl.ok('apply', '-f', manifest('shop-1.yaml', app({ labels: { app: 'shop' }, sidecar: true, env: ['MODE', 'DEBUG'] })));
    // Someone else scales it; apply leaves fields it never set alone.
    await kubectl.ok('scale', 'deployment', 'shop', '--replicas=3');
    const r = await kubectl.run(['apply', '-v=6', '-f', manifest('shop-2.yaml', app({ labels: { app: 'shop', tier: 'front' }, sidecar: false, env: ['MODE'] }))]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/deployment.apps\/shop configured/);
    // The schemas came from /openapi/v3, and the patch was computed from them.
    expect(r.stderr).toMatch(/GET https:\/\/[^ ]+\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    const d = JSON.parse(await kubectl.ok('get', 'deployment', 'shop', '-o', 'json')) as Deployment;
    expect(d.metadata!.labels).toEqual({ app: 'shop', tier: 'front' });
    expect(d.spec!.replicas).toBe(3);
    const containers = d.spec!.template.spec!.containers;
    expect(containers.map((c) => c.name)).toEqual(['web']);
    expect(containers[0]!.env).toEqual([{ name: 'MODE', value: 'mode' }]);
    expect(containers[0]!.ports).toEqual([expect.objectContaining({ containerPort: 80, protocol: 'TCP' })]);
  });
});

describe('a custom kind', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A CronTab runs a command on a schedule.',
              properties: {
                spec: {
                  type: 'object',
                  description: 'What to run and when.',
                  properties: { cronSpec: { type: 'string', description: 'The schedule in cron format.' }, replicas: { type: 'integer' } },
                },
              },
            },
          },
        },
      ],
    },
  };
  const crontab = (spec: Record<string, unknown>) => ({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'nightly' }, spec });

  it('is explained from its CRD schema and validated through the same path as built-in kinds', async () => {
    await kubectl.ok('apply', '-f', manifest('crd.yaml', crd));
    await kubectl.ok('wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=20s');
    const out = await kubectl.ok('explain', 'crontabs.spec');
    expect(out).toMatch(/GROUP:\s+stable.example.com\nKIND:\s+CronTab/);
    expect(out).toMatch(/What to run and when/);
    expect(fieldLines(out)).toEqual(['  cronSpec <string>', '  replicas <integer>']);
    expect(fieldLines(await kubectl.ok('explain', 'crontabs'))).toContain('  metadata <ObjectMeta>');

    const strict = await kubectl.run(['create', '-f', manifest('ct-typo.yaml', crontab({ cronSpec: '0 3 * * *', replicaz: 2 }))]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toMatch(/strict decoding error: unknown field "spec\.replicaz"/);
    // Warn: written without the unknown field, and the writer is told.
    const warn = await kubectl.run(['create', '--validate=warn', '-f', manifest('ct-warn.yaml', crontab({ cronSpec: '0 3 * * *', replicaz: 2 }))]);
    expect(warn.code, warn.stderr).toBe(0);
    expect(warn.stderr).toMatch(/Warning: unknown field "spec\.replicaz"/);
    const stored = JSON.parse(await kubectl.ok('get', 'crontab', 'nightly', '-o', 'json')) as { spec: unknown };
    expect(stored.spec).toEqual({ cronSpec: '0 3 * * *' });
  });
});

describe('documents as kubectl gets them', () => {
  it('/openapi/v2 is swagger 2.0 with definitions and patch extensions', async () => {
    const doc = JSON.parse(await kubectl.ok('get', '--raw', '/openapi/v2')) as { swagger: string; definitions: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.core.v1.PodSpec']!.properties!.containers).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
    expect(doc.definitions['io.k8s.api.apps.v1.Deployment']).toMatchObject({ 'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }] });
  });

  it('/openapi/v3 indexes documents whose URL carries their hash', async () => {
    const index = JSON.parse(await kubectl.ok('get', '--raw', '/openapi/v3')) as { paths: Record<string, { serverRelativeURL: string }> };
    const url = index.paths['apis/apps/v1']!.serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const doc = JSON.parse(await kubectl.ok('get', '--raw', url)) as { openapi: string; components: { schemas: Record<string, unknown> }; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.0.0');
    expect(doc.components.schemas['io.k8s.api.apps.v1.Deployment']).toBeDefined();
    expect(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']).toBeDefined();
  });
});

// fieldValidation against a real API server on real etcd: kubectl (an outside client) with its
// --validate=strict|warn|false on create and on apply's patch, and raw HTTPS bodies with a
// repeated key, unknown fields under update, and the server's default (Warn).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Deployment } from '../api/types.js';
import { testClient } from '../apiserver/testing/https-client.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { kubectlFor } from './harness/kubectl.js';

let api: TestApiServer;
let dir: string;
const kubectl = kubectlFor(() => api.kubeconfigPath, () => join(dir, 'cache'), ['--request-timeout=20s']);
const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  testClient({ url: api.url, ca: api.ca.certPem, token: api.token })(method, path, body, headers);

beforeAll(async () => {
  api = await startTestApiServer();
  dir = mkdtempSync(join(tmpdir(), 'skiff-field-validation-'));
});
afterAll(async () => {
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const TYPO = 'spec.template.spec.containers[0].imagee';

/** A Deployment manifest whose container has `imagee` beside `image`; written to a file for kubectl. */
function manifest(name: string, extra: Record<string, unknown> = { imagee: 'nginx:typo' }): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...extra }] } },
    },
  }));
  return file;
}

async function getDeployment(name: string): Promise<Deployment | undefined> {
  const r = await call('GET', `/apis/apps/v1/namespaces/default/deployments/${name}`);
  return r.status === 200 ? (r.json as Deployment) : undefined;
}

describe('kubectl --validate', () => {
  it('strict (the default) refuses an unknown field with its path and creates nothing', async () => {
    const r = await kubectl.run(['apply', '-f', manifest('strict')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`strict decoding error: unknown field "${TYPO}"`);
    expect(await getDeployment('strict')).toBeUndefined();
  });

  it('warn prints the warning, creates, and drops the unknown field', async () => {
    const r = await kubectl.run(['apply', '--validate=warn', '-f', manifest('warned')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Warning: unknown field "${TYPO}"`);
    const stored = await getDeployment('warned');
    expect(stored?.spec?.template.spec?.containers[0]).not.toHaveProperty('imagee');
    expect(stored?.spec?.template.spec?.containers[0].image).toBe('nginx:1.27');
  });

  it('false creates without a word', async () => {
    const r = await kubectl.run(['apply', '--validate=false', '-f', manifest('ignored')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('unknown field');
    expect((await getDeployment('ignored'))?.spec?.template.spec?.containers[0]).not.toHaveProperty('imagee');
  });

  it('apply of a changed manifest (a patch) is refused when the change brings an unknown field', async () => {
    await kubectl.ok('apply', '-f', manifest('patched', {}));
    const r = await kubectl.run(['apply', '-f', manifest('patched', { image: 'nginx:1.28', imagePullPolicyy: 'Always' })]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown field "spec.template.spec.containers[0].imagePullPolicyy"');
    expect((await getDeployment('patched'))?.spec?.template.spec?.containers[0].image).toBe('nginx:1.27');
  });
});

describe('raw requests', () => {
  const cmPath = '/api/v1/namespaces/default/configmaps';
  const duplicated = (name: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"k":"1","k":"2"}}`;

  it('a repeated key is 400 under Strict, with its cause', async () => {
    const r = await call('POST', `${cmPath}?fieldValidation=Strict`, duplicated('dup-strict'));
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ reason: 'BadRequest', details: { causes: [{ reason: 'FieldValueDuplicate', field: 'data.k' }] } });
    expect(r.json.message).toContain('duplicate field "data.k"');
    expect((await call('GET', `${cmPath}/dup-strict`)).status).toBe(404);
  });

  it('a repeated key in a YAML body is found too', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup-yaml\ndata:\n  k: "1"\n  k: "2"\n';
    const strict = await call('POST', `${cmPath}?fieldValidation=Strict`, yaml, { 'Content-Type': 'application/yaml' });
    expect(strict.status).toBe(400);
    expect(strict.json.details.causes).toEqual([{ reason: 'FieldValueDuplicate', field: 'data.k', message: 'duplicate field "data.k"' }]);
    const ignored = await call('POST', `${cmPath}?fieldValidation=Ignore`, yaml, { 'Content-Type': 'application/yaml' });
    expect(ignored.status).toBe(201);
    expect(ignored.json.data).toEqual({ k: '2' });
  });

  it('a repeated key is a warning under Warn and when no directive is given; the last value wins', async () => {
    for (const [name, query] of [['dup-warn', '?fieldValidation=Warn'], ['dup-default', '']]) {
      const r = await call('POST', `${cmPath}${query}`, duplicated(name));
      expect(r.status).toBe(201);
      expect(r.headers.warning).toBe('299 - "duplicate field \\"data.k\\""');
      expect(r.json.data).toEqual({ k: '2' });
    }
  });

  it('PUT with unknown fields: Strict names every one, Ignore stores the object without them', async () => {
    const created = await call('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'put' }, data: { a: 'b' } });
    expect(created.status).toBe(201);
    const body = { ...created.json, metadata: { ...created.json.metadata, labelz: { x: 'y' } }, dataa: { c: 'd' } };
    const strict = await call('PUT', `${cmPath}/put?fieldValidation=Strict`, body);
    expect(strict.status).toBe(400);
    expect(strict.json.details.causes.map((c: { field: string }) => c.field)).toEqual(['metadata.labelz', 'dataa']);
    const ignored = await call('PUT', `${cmPath}/put?fieldValidation=Ignore`, body);
    expect(ignored.status).toBe(200);
    expect(ignored.headers.warning).toBeUndefined();
    expect(ignored.json).not.toHaveProperty('dataa');
    expect(ignored.json.metadata).not.toHaveProperty('labelz');
  });

  it('an unknown directive is 400', async () => {
    const r = await call('POST', `${cmPath}?fieldValidation=Loud`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'loud' } });
    expect(r.status).toBe(400);
  });
});

// What custom resources cost, in process and through a real API server on real etcd:
//   - the schema work per custom object write (prune, defaults, validation), µs per object;
//   - a CRD from POST to served (first list answered) and to Established, p50 over 5 CRDs;
//   - creates/s at concurrency 16 of 1,000 custom objects (schema-validated, defaulted)
//     beside 1,000 ConfigMaps of about the same size;
//   - a list of 1,000 custom objects in the storage version and in another served version
//     (apiVersion rewritten and defaults applied to every item), p50/p99;
//   - deleting a CRD with 1,000 objects until the CRD is gone.
//
//   npx tsx bench/crd.ts

import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { unknownCustomFields } from '../apiserver/crd/schema/prune.js';
import { applySchemaDefaults } from '../apiserver/crd/schema/defaults.js';
import type { Schema } from '../apiserver/crd/schema/schema.js';
import { validateCustomObject } from '../apiserver/crd/schema/validate.js';
import { startTestApiServer } from '../test/harness/apiserver.js';

const OBJECTS = 1_000;
const CONCURRENCY = 16;

const schema: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['color'],
      properties: {
        color: { type: 'string', enum: ['red', 'green', 'blue'] },
        replicas: { type: 'integer', minimum: 0, maximum: 100, default: 1 },
        size: { type: 'string', pattern: '^(small|medium|large)$', default: 'medium' },
        ports: { type: 'array', maxItems: 16, items: { type: 'object', required: ['port'], properties: { name: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 }, protocol: { type: 'string', default: 'TCP' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 63 } },
      },
    },
    status: { type: 'object', properties: { replicas: { type: 'integer' } } },
  },
};

function crd(plural: string, kind: string): Record<string, unknown> {
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    schema: { openAPIV3Schema: schema },
    subresources: { status: {} },
    additionalPrinterColumns: [{ name: 'Color', type: 'string', jsonPath: '.spec.color' }],
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.bench.example.com` },
    spec: { group: 'bench.example.com', scope: 'Namespaced', names: { plural, kind }, versions: [version('v1', true), version('v1beta1', false)] },
  };
}

function widget(i: number): Record<string, unknown> {
  return {
    apiVersion: 'bench.example.com/v1',
    kind: 'Widget',
    metadata: { name: `w${i}`, labels: { app: 'bench' } },
    spec: { color: 'red', ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], labels: { tier: 'web', team: 'a' } },
  };
}

function configMap(i: number): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, labels: { app: 'bench' } }, data: { color: 'red', ports: 'http:8080,metrics:9090', tier: 'web', team: 'a' } };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function inProcess(): void {
  const rounds = 20_000;
  const objs = Array.from({ length: rounds }, (_, i) => ({ ...widget(i), spec: { ...(widget(i).spec as object), bogus: 1 } }) as Record<string, unknown>);
  const start = performance.now();
  for (const obj of objs) {
    unknownCustomFields(schema, obj, { prune: true });
    applySchemaDefaults(schema, obj);
    if (validateCustomObject(schema, obj).length > 0) throw new Error('bench object invalid');
  }
  const us = ((performance.now() - start) * 1000) / rounds;
  console.log(`schema work per custom object write (prune + defaults + validate): ${us.toFixed(1)} µs`);
}

async function main(): Promise<void> {
  inProcess();
  const api = await startTestApiServer();
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: readFileSync(api.caFile) });
  const call = (method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(`${api.url}${path}`, { method, agent, headers: { Authorization: `Bearer ${api.token}`, ...(payload ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  const must = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.text;
  };
  const until = async (what: () => Promise<boolean>) => {
    const start = performance.now();
    while (!(await what())) {
      if (performance.now() - start > 30_000) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 5));
    }
    return performance.now() - start;
  };
  try {
    // CRD to served / Established.
    const served: number[] = [];
    const established: number[] = [];
    for (let i = 0; i < 5; i++) {
      const plural = i === 0 ? 'widgets' : `gadgets${i}`;
      const start = performance.now();
      await must('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd(plural, i === 0 ? 'Widget' : `Gadget${i}`));
      await until(async () => (await call('GET', `/apis/bench.example.com/v1/namespaces/default/${plural}`)).status === 200);
      served.push(performance.now() - start);
      await until(async () => {
        const got = JSON.parse(await must('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${plural}.bench.example.com`)) as { status?: { conditions?: Array<{ type: string; status: string }> } };
        return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
      });
      established.push(performance.now() - start);
    }
    served.sort((a, b) => a - b);
    established.sort((a, b) => a - b);
    console.log(`CRD POST -> kind served: p50 ${percentile(served, 0.5).toFixed(0)} ms (max ${served[served.length - 1].toFixed(0)} ms); -> Established: p50 ${percentile(established, 0.5).toFixed(0)} ms`);

    // Creates/s.
    const createAll = async (path: string, make: (i: number) => unknown) => {
      let next = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < OBJECTS; i = next++) await must('POST', path, make(i));
        }),
      );
      return OBJECTS / ((performance.now() - start) / 1000);
    };
    const cms = await createAll('/api/v1/namespaces/default/configmaps', configMap);
    const widgets = await createAll('/apis/bench.example.com/v1/namespaces/default/widgets', widget);
    console.log(`creates/s at concurrency ${CONCURRENCY} (${OBJECTS} each): ConfigMaps ${cms.toFixed(0)}, custom objects ${widgets.toFixed(0)} (${((widgets / cms - 1) * 100).toFixed(0)}%)`);

    // Lists in two versions.
    for (const version of ['v1', 'v1beta1']) {
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const start = performance.now();
        const text = await must('GET', `/apis/bench.example.com/${version}/namespaces/default/widgets`);
        times.push(performance.now() - start);
        if (i === 0 && (JSON.parse(text) as { items: unknown[] }).items.length !== OBJECTS) throw new Error('list is short');
      }
      times.sort((a, b) => a - b);
      console.log(`list of ${OBJECTS} custom objects as ${version}${version === 'v1' ? ' (storage)' : ' (converted)'}: p50 ${percentile(times, 0.5).toFixed(1)} ms, p99 ${percentile(times, 0.99).toFixed(1)} ms`);
    }

    // Deleting the CRD takes its objects.
    const start = performance.now();
    await must('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.bench.example.com');
    await until(async () => (await call('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.bench.example.com')).status === 404);
    console.log(`delete a CRD with ${OBJECTS} objects until it is gone: ${(performance.now() - start).toFixed(0)} ms`);
  } finally {
    agent.destroy();
    await api.stop();
  }
}

await main();

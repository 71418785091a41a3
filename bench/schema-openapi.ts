// What the schema catalog and the OpenAPI documents cost the API server: loading and
// decorating the generated definitions (once per process, at start), rendering the v3 document
// of a group-version and the v2 document (once per change of served kinds: a CRD established
// or removed; v2 also as protobuf), and the per-write unknown-field walk of a pod, built-in and custom.
//
//   npx tsx bench/schema-openapi.ts

import { ResourceRegistry } from '../api/resources.js';
import { builtinDefinitions } from '../api/schema/definitions.js';
import { builtinSchemaCatalog } from '../api/schema/catalog.js';
import { unknownFieldsIn } from '../api/schema/unknown-fields.js';
import { OpenAPIDocuments } from '../apiserver/openapi/documents.js';

function time<T>(run: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function perOp(name: string, n: number, run: () => unknown): void {
  for (let i = 0; i < 1000; i++) run();
  const { ms } = time(() => {
    for (let i = 0; i < n; i++) run();
  });
  console.log(`${name.padEnd(58)} ${((1000 * ms) / n).toFixed(2)} µs/op`);
}

const load = time(() => builtinDefinitions());
console.log(`${'load + decorate the generated definitions'.padEnd(58)} ${load.ms.toFixed(1)} ms (${load.value.size} definitions)`);

const registry = new ResourceRegistry();
const catalog = builtinSchemaCatalog();

const renders: [string, (docs: OpenAPIDocuments) => { body: string | Buffer }][] = [
  ['render /openapi/v3/api/v1', (d) => d.groupVersion('api/v1')!],
  ['render /openapi/v3/apis/apps/v1', (d) => d.groupVersion('apis/apps/v1')!],
  ['render /openapi/v3 index (every group-version)', (d) => d.index()],
  ['render /openapi/v2', (d) => d.swagger()],
  ['render /openapi/v2 as gnostic protobuf (JSON render included)', (d) => d.swaggerProtobuf()],
];
for (const [name, render] of renders) {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const docs = new OpenAPIDocuments(registry, catalog);
    const r = time(() => render(docs));
    samples.push(r.ms);
    bytes = r.value.body.length;
  }
  samples.sort((a, b) => a - b);
  console.log(`${name.padEnd(58)} ${samples[2]!.toFixed(1)} ms median of 5 (${(bytes / 1024).toFixed(0)} KiB)`);
}
const cached = new OpenAPIDocuments(registry, catalog);
cached.groupVersion('apis/apps/v1');
perOp('served again, nothing changed (apis/apps/v1)', 10_000, () => cached.groupVersion('apis/apps/v1'));

const container = (i: number) => ({
  name: `web-${i}`,
  image: 'nginx:1.27',
  ports: [{ name: 'http', containerPort: 80 }],
  env: [{ name: 'MODE', value: 'production' }],
  resources: { requests: { cpu: '100m', memory: '64Mi' } },
  readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
});
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [container(1), container(2)] } };
const podSchema = catalog.schemaOf('', 'v1', 'Pod');
perOp('unknown-field walk of a 2-container pod (built-in)', 100_000, () => unknownFieldsIn(catalog, podSchema, pod));

catalog.setCustom('example.com', 'v1', 'Widget', {
  type: 'object',
  properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } } } } },
});
const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', labels: { a: 'b' } }, spec: { size: 3, ports: [{ port: 1 }, { port: 2 }] } };
const widgetSchema = catalog.schemaOf('example.com', 'v1', 'Widget');
perOp('unknown-field walk of a custom object', 100_000, () => unknownFieldsIn(catalog, widgetSchema, widget));

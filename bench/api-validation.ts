// Validations per second of a typical Deployment and Pod: the work the API server does on
// every create and update (defaulting, then validation; and the update form with the stored
// object). Run: npx tsx bench/api-validation.ts

import { applyDefaults } from '../api/defaults.js';
import { BUILTIN_RESOURCES, type ResourceType } from '../api/resources.js';
import type { Deployment, KubeObject, Pod } from '../api/types.js';
import { validateObject } from '../api/validation.js';

const typeOf = (kind: string): ResourceType => BUILTIN_RESOURCES.find((t) => t.kind === kind)!;

const podSpec = {
  containers: [
    {
      name: 'web',
      image: 'nginx:1.27',
      ports: [{ name: 'http', containerPort: 80 }],
      env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'MODE', value: 'production' }],
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 20 },
      volumeMounts: [{ name: 'cache', mountPath: '/var/cache/nginx' }, { name: 'config', mountPath: '/etc/nginx/conf.d' }],
    },
  ],
  volumes: [{ name: 'cache', emptyDir: {} }, { name: 'config', configMap: { name: 'nginx' } }],
  tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
};

const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '3' } },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'frontend' } }, spec: podSpec } },
};

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-5d8f7c9b4-x2k7q', namespace: 'default', labels: { app: 'web', 'pod-template-hash': '5d8f7c9b4' } },
  spec: structuredClone(podSpec),
};

function measure(label: string, run: () => void, seconds = 2): void {
  for (let i = 0; i < 2000; i++) run(); // warm up the JIT
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(seconds * 1e9);
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 500; i++) run();
    n += 500;
    now = process.hrtime.bigint();
  }
  const secs = Number(now - start) / 1e9;
  const perSec = n / secs;
  console.log(`${label.padEnd(44)} ${Math.round(perSec).toLocaleString('en-US').padStart(10)} /s   ${((secs / n) * 1e6).toFixed(1).padStart(6)} µs each`);
}

function scenario(kind: string, manifest: KubeObject): void {
  const type = typeOf(kind);
  const stored = structuredClone(manifest);
  applyDefaults(type, stored);
  const problems = validateObject(type, stored);
  if (problems.length > 0) throw new Error(`benchmark manifest is invalid: ${JSON.stringify(problems)}`);
  measure(`${kind}: validate (defaulted object)`, () => validateObject(type, stored));
  measure(`${kind}: copy + default + validate (create)`, () => {
    const obj = structuredClone(manifest);
    applyDefaults(type, obj);
    validateObject(type, obj);
  });
  measure(`${kind}: copy + default + validate (update)`, () => {
    const obj = structuredClone(manifest);
    applyDefaults(type, obj);
    validateObject(type, obj, stored);
  });
}

console.log(`node ${process.version}`);
scenario('Deployment', deployment);
scenario('Pod', pod);

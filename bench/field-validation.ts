// Cost of fieldValidation on every write: the unknown-field walk over a typical Pod (a clean
// one, and one with a typo'd field dropped by prune) and the repeated-key scan of its JSON body.
// Run: npx tsx bench/field-validation.ts

import { unknownFields } from '../api/schema-model.js';
import { BUILTIN_RESOURCES } from '../api/resources.js';
import { duplicateJsonKeys } from '../apiserver/body.js';

const pods = BUILTIN_RESOURCES.find((t) => t.kind === 'Pod')!;

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-5d8f7c9b4-x2x9q', namespace: 'default', labels: { app: 'web', 'pod-template-hash': '5d8f7c9b4' }, annotations: { 'example.com/owner': 'team-a' } },
  spec: {
    containers: [1, 2].map((i) => ({
      name: `web-${i}`,
      image: 'nginx:1.27',
      ports: [{ name: 'http', containerPort: 80 + i }],
      env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'MODE', value: 'production' }],
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 20 },
      volumeMounts: [{ name: 'cache', mountPath: '/var/cache/nginx' }, { name: 'config', mountPath: '/etc/nginx/conf.d' }],
    })),
    volumes: [{ name: 'cache', emptyDir: {} }, { name: 'config', configMap: { name: 'nginx' } }],
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }] } },
  },
};
const body = JSON.stringify(pod);

function measure(name: string, n: number, run: () => unknown): void {
  for (let i = 0; i < 2000; i++) run(); // warm up (and fill the shape cache)
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) run();
  const us = Number(process.hrtime.bigint() - start) / 1000 / n;
  console.log(`${name.padEnd(48)} ${us.toFixed(2)} µs/op  (${n} ops)`);
}

console.log(`Pod body: ${body.length} bytes, 2 containers`);
measure('unknownFields(pod), clean', 100_000, () => unknownFields(pods, pod));
measure('unknownFields(pod with a typo, prune)', 100_000, () => {
  const copy = structuredClone(pod) as typeof pod & { spec: { containers: Array<Record<string, unknown>> } };
  copy.spec.containers[1].imagee = 'x';
  return unknownFields(pods, copy, { prune: true });
});
measure('structuredClone(pod) alone (baseline of the line above)', 100_000, () => structuredClone(pod));
measure('duplicateJsonKeys(body)', 100_000, () => duplicateJsonKeys(body));
measure('JSON.parse(body) (for scale)', 100_000, () => JSON.parse(body));

// Writes kubeconfig files in kubectl's format, with the CA and client certificate embedded so
// the file works wherever it is copied.

import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigSpec {
  clusterName: string;
  server: string;
  caFile: string;
  user: string;
  certFile: string;
  keyFile: string;
  namespace?: string;
}

const b64 = (file: string) => readFileSync(file).toString('base64');

export function writeKubeconfig(path: string, spec: KubeconfigSpec): void {
  const context = `${spec.user}@${spec.clusterName}`;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: spec.clusterName, cluster: { server: spec.server, 'certificate-authority-data': b64(spec.caFile) } }],
    users: [{ name: spec.user, user: { 'client-certificate-data': b64(spec.certFile), 'client-key-data': b64(spec.keyFile) } }],
    contexts: [{ name: context, context: { cluster: spec.clusterName, user: spec.user, ...(spec.namespace ? { namespace: spec.namespace } : {}) } }],
    'current-context': context,
    preferences: {},
  };
  writeFileSync(path, stringify(doc), { mode: 0o600 });
}

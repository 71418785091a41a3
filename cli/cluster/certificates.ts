// The cluster's certificates (DESIGN.md, "Security model"): one CA in the data dir, and from
// it the API server's serving certificate, a client certificate per user (admin) and per
// component, and the kubelets' serving certificates. Files are reused on every `up`, so the
// cluster keeps its identity across restarts.

import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { issueClientCert, loadOrCreateCA, loadOrCreateServingCert, writePair, type KeyPair } from '../../client/pki.js';

export interface ClusterCertificates {
  caFile: string;
  ca: KeyPair;
  apiserver: { certFile: string; keyFile: string };
  /** The API server's client certificate for talking to kubelets. */
  apiserverKubeletClient: { certFile: string; keyFile: string };
}

/** Names and addresses clients use to reach the API server: loopback, the lab gateway, the `kubernetes` Service. */
export function apiserverHosts(gateway: string, kubernetesServiceIP: string): string[] {
  return [
    '127.0.0.1',
    'localhost',
    gateway,
    kubernetesServiceIP,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ];
}

export async function ensureClusterCertificates(pkiDir: string, hosts: string[]): Promise<ClusterCertificates> {
  const ca = await loadOrCreateCA(pkiDir, 'ca', 'skiff-ca');
  await loadOrCreateServingCert(pkiDir, 'apiserver', ca, { commonName: 'kube-apiserver', hosts });
  const kubeletClient = await ensureClientCert(pkiDir, 'apiserver-kubelet-client', ca, 'kube-apiserver-kubelet-client', ['system:masters']);
  return {
    caFile: join(pkiDir, 'ca.crt'),
    ca,
    apiserver: { certFile: join(pkiDir, 'apiserver.crt'), keyFile: join(pkiDir, 'apiserver.key') },
    apiserverKubeletClient: kubeletClient,
  };
}

/** A client certificate kept as `base.crt`/`base.key`, issued once. */
export async function ensureClientCert(
  pkiDir: string,
  base: string,
  ca: KeyPair,
  user: string,
  groups: string[],
): Promise<{ certFile: string; keyFile: string }> {
  const certFile = join(pkiDir, `${base}.crt`);
  const keyFile = join(pkiDir, `${base}.key`);
  if (existsSync(certFile) && existsSync(keyFile)) return { certFile, keyFile };
  return writePair(pkiDir, base, await issueClientCert(ca, { user, groups }));
}

// A real node (its own containerd in a network namespace) with an in-process kubelet serving
// its HTTPS API, registered with a test API server: what tests of the kubelet's server and of
// exec through it need. The kubelet trusts client certificates from its own CA; `clientCert`
// is the one the API server would use. `stop()` runs every step even when one fails or hangs.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCA, issueClientCert, type KeyPair } from '../../client/pki.js';
import { restClientFromKubeconfig, type RestClient } from '../../client/rest.js';
import { DEFAULTS, Kubelet, type KubeletConfig } from '../../kubelet/kubelet.js';
import { startTestApiServer, type TestApiServer } from './apiserver.js';
import { createTestNode, type TestNode } from './node.js';

export interface ServingKubelet {
  api: TestApiServer;
  node: TestNode;
  client: RestClient;
  kubelet: Kubelet;
  clientCert: KeyPair;
  stop(): Promise<void>;
}

/** Starts it all; `config` overrides the kubelet's test timings (restart backoff, ...). */
export async function startServingKubelet(config: Partial<KubeletConfig> = {}): Promise<ServingKubelet> {
  const [api, node, ca] = await Promise.all([startTestApiServer(), createTestNode({ writeCni: false, routeFromRoot: true }), createCA('kubelet-client-ca')]);
  const rootDir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-'));
  const client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  const kubelet = new Kubelet(
    {
      ...DEFAULTS,
      nodeName: node.name,
      nodeIp: node.nodeIp,
      rootDir,
      runtimeEndpoint: node.endpoint,
      podCidr: node.podCidr,
      cniConfDir: node.cniConfDir,
      port: 0,
      plegRelistPeriodMs: 250,
      nodeStatusUpdateFrequencyMs: 500,
      nodeLeaseRenewIntervalMs: 1000,
      manageRoutes: false,
      serve: { address: '127.0.0.1', clientCaPem: ca.certPem },
      ...config,
    },
    client,
  );
  const stop = async (): Promise<void> => {
    // The node's processes must not outlive the test file, whatever fails first.
    try {
      await Promise.race([kubelet.stop(), new Promise((r) => setTimeout(r, 10_000))]);
    } finally {
      try {
        await node.remove();
      } finally {
        await api.stop();
        rmSync(rootDir, { recursive: true, force: true });
      }
    }
  };
  try {
    await kubelet.start();
    const clientCert = await issueClientCert(ca, { user: 'kube-apiserver-kubelet-client' });
    return { api, node, client, kubelet, clientCert, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

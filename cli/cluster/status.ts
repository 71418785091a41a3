// `skiff status`: each component's process, health and address, and the nodes with their state.

import { existsSync, readdirSync } from 'node:fs';
import type { Node } from '../../api/types.js';
import { restClientFromKubeconfig } from '../../client/rest.js';
import { clusterLayout } from './layout.js';
import { DEFAULT_SETTINGS, registryAddress } from './components.js';
import { DEFAULT_NETWORK, labNode } from './network.js';

/** Components serving /healthz over plain HTTP on loopback. */
const HEALTH_PORTS: Record<string, number> = { scheduler: 10259, 'controller-manager': 10257 };
import { getHttp } from './health.js';
import { runningProcess } from './processes.js';

export interface ComponentStatus {
  name: string;
  pid?: number;
  running: boolean;
  health: string;
  address?: string;
  version?: string;
}

export interface NodeStatusLine {
  name: string;
  ready: string;
  address: string;
  version: string;
}

export async function clusterStatus(dataDir: string): Promise<{ components: ComponentStatus[]; nodes: NodeStatusLine[]; dataDir: string }> {
  const layout = clusterLayout(dataDir);
  const s = DEFAULT_SETTINGS;
  const names = existsSync(layout.run) ? readdirSync(layout.run).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -4)) : [];
  const caFile = `${layout.pki}/ca.crt`;
  const components: ComponentStatus[] = [];
  for (const name of names.sort()) {
    const rec = runningProcess(layout.pidOf(name));
    const c: ComponentStatus = { name, pid: rec?.pid, running: rec !== undefined, health: rec ? 'unknown' : 'stopped' };
    if (rec && name === 'etcd') {
      c.address = `http://127.0.0.1:${s.etcdClientPort}`;
      c.health = await probe(`${c.address}/health`);
      c.version = await getHttp(`${c.address}/version`).then((r) => (JSON.parse(r.body) as { etcdserver?: string }).etcdserver, () => undefined);
    } else if (rec && name === 'apiserver') {
      c.address = `https://127.0.0.1:${s.apiserverPort}`;
      c.health = await probe(`${c.address}/readyz`, caFile);
      c.version = await getHttp(`${c.address}/version`, { caFile }).then((r) => (JSON.parse(r.body) as { gitVersion?: string }).gitVersion, () => undefined);
    } else if (rec && HEALTH_PORTS[name]) {
      c.address = `http://127.0.0.1:${HEALTH_PORTS[name]}`;
      c.health = await probe(`${c.address}/healthz`);
    } else if (rec && name === 'registry') {
      c.address = `http://${registryAddress(DEFAULT_NETWORK.gateway)}`;
      c.health = await probe(`${c.address}/v2/`);
    } else if (rec && name.startsWith('kubelet-')) {
      const node = labNode(DEFAULT_NETWORK, Number(name.split('-').pop()), name.slice('kubelet-'.length));
      c.address = `https://${node.address}:10250`;
      c.health = await probe(`${c.address}/healthz`, caFile);
    } else if (rec) {
      c.health = 'running';
    }
    components.push(c);
  }
  return { components, nodes: await nodeLines(layout.kubeconfig), dataDir };
}

async function probe(url: string, caFile?: string): Promise<string> {
  try {
    const r = await getHttp(url, { caFile });
    return r.status === 200 ? 'healthy' : `unhealthy (${r.status}: ${r.body.trim().slice(0, 80)})`;
  } catch (err) {
    return `unreachable (${err instanceof Error ? err.message : String(err)})`;
  }
}

async function nodeLines(kubeconfig: string): Promise<NodeStatusLine[]> {
  if (!existsSync(kubeconfig)) return [];
  try {
    const client = restClientFromKubeconfig({ kubeconfig }, { maxRetries: 0, timeoutMs: 3000 });
    const list = await client.for<Node>('nodes').list(undefined);
    return list.items.map((n) => {
      const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
      return {
        name: n.metadata?.name ?? '',
        ready: ready ? `${ready.status === 'True' ? 'Ready' : 'NotReady'}${ready.status !== 'True' && ready.reason ? ` (${ready.reason})` : ''}` : 'Unknown',
        address: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
        version: n.status?.nodeInfo?.kubeletVersion ?? '',
      };
    });
  } catch {
    return [];
  }
}

// `skiff status`: each component's process, health and address, and the nodes with their state.

import { existsSync, readdirSync } from 'node:fs';
import { clusterLayout } from './layout.js';
import { DEFAULT_SETTINGS } from './components.js';
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

export async function clusterStatus(dataDir: string): Promise<{ components: ComponentStatus[]; dataDir: string }> {
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
    }
    components.push(c);
  }
  return { components, dataDir };
}

async function probe(url: string, caFile?: string): Promise<string> {
  try {
    const r = await getHttp(url, { caFile });
    return r.status === 200 ? 'healthy' : `unhealthy (${r.status}: ${r.body.trim().slice(0, 80)})`;
  } catch (err) {
    return `unreachable (${err instanceof Error ? err.message : String(err)})`;
  }
}

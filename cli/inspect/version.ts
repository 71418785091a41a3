// `skiff version`: the client's version and the server's (`/version`), as kubectl prints them.

import { stringify } from 'yaml';
import { loadClientConfig } from '../../client/kubeconfig.js';
import { RestClient } from '../../client/rest.js';
import type { ConnectionFlags } from '../resources/connection.js';

export const CLIENT_VERSION = '0.1.0';
/** The Kubernetes API level this client speaks (what its requests and printers follow). */
export const KUBE_API_LEVEL = { major: '1', minor: '32' };

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  platform?: string;
  [key: string]: unknown;
}

export interface VersionFlags extends ConnectionFlags {
  client?: boolean;
  output?: string;
}

export function clientVersion(): ServerVersion {
  return { ...KUBE_API_LEVEL, gitVersion: `v${KUBE_API_LEVEL.major}.${KUBE_API_LEVEL.minor}.0+skiff-${CLIENT_VERSION}`, platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}` };
}

export function formatVersion(client: ServerVersion, server: ServerVersion | undefined, output: string | undefined): string {
  const data = { clientVersion: client, ...(server ? { serverVersion: server } : {}) };
  if (output === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  if (output === 'yaml') return stringify(data);
  if (output) throw new Error(`unknown output format "${output}"; use json or yaml`);
  return `Client Version: ${client.gitVersion}\n${server ? `Server Version: ${server.gitVersion}\n` : ''}`;
}

export async function runVersion(flags: VersionFlags): Promise<number> {
  const client = clientVersion();
  if (flags.client) {
    process.stdout.write(formatVersion(client, undefined, flags.output));
    return 0;
  }
  const config = loadClientConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  const rest = new RestClient(config, { userAgent: `skiff-cli/${CLIENT_VERSION}`, maxRetries: 1 });
  try {
    const server = await rest.send<ServerVersion>('GET', '/version', undefined);
    process.stdout.write(formatVersion(client, server, flags.output));
    return 0;
  } catch (err) {
    process.stdout.write(formatVersion(client, undefined, flags.output));
    throw new Error(`cannot reach the API server at ${config.server} for its version: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    rest.close();
  }
}

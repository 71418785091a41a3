// The flags every resource command shares, as kubectl spells them, and the client they make.

import type { Command } from 'commander';
import type { ResourceRegistry, ResourceType } from '../../api/resources.js';
import { loadClientConfig, type ClientConfig } from '../../client/kubeconfig.js';
import { RestClient } from '../../client/rest.js';
import { discoverRegistry } from '../../client/discovery.js';

export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
}

export interface Connection {
  client: RestClient;
  registry: ResourceRegistry;
  /** `-n`, else the context's namespace, else `default`. */
  namespace: string;
  /** Whether `-n` was given (apply refuses a manifest of another namespace then). */
  namespaceExplicit: boolean;
}

export function addConnectionFlags(cmd: Command, opts: { allNamespaces?: boolean } = {}): Command {
  cmd
    .option('--kubeconfig <file>', 'the kubeconfig file to use (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use (default: its current-context)')
    .option('-n, --namespace <ns>', "the namespace (default: the context's, else default)");
  if (opts.allNamespaces) cmd.option('-A, --all-namespaces', 'every namespace', false);
  return cmd;
}

/** A client for the kubeconfig's context and the kinds its server serves (from discovery). */
export async function connect(flags: ConnectionFlags): Promise<Connection> {
  let config: ClientConfig;
  try {
    config = loadClientConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(message.includes('no configuration found') ? `${message}; for a local cluster run \`npx skiff up\` and export the KUBECONFIG it prints` : message);
  }
  const warn = (message: string) => process.stderr.write(`Warning: ${message}\n`);
  const client = new RestClient(config, { userAgent: 'skiff-cli/0.1.0', maxRetries: 2, onWarning: warn });
  let registry: ResourceRegistry;
  try {
    registry = await discoverRegistry(client);
  } catch (err) {
    client.close();
    throw new Error(`cannot reach the API server at ${config.server} (context "${config.contextName}"): ${err instanceof Error ? err.message : String(err)}`);
  }
  return { client, registry, namespace: flags.namespace || config.namespace, namespaceExplicit: Boolean(flags.namespace) };
}

/** `deployment.apps` or `pod`: how kubectl names a kind in its messages. */
export function kindName(t: ResourceType): string {
  return t.group ? `${t.singular}.${t.group}` : t.singular;
}

/** `deployments.apps` or `pods`: the resource as the server names it in errors. */
export function resourceName(t: ResourceType): string {
  return t.group ? `${t.resource}.${t.group}` : t.resource;
}

/** The served kinds, for "unknown kind" messages: `pods (po), deployments.apps (deploy), ...`. */
export function knownKinds(registry: ResourceRegistry): string {
  return registry
    .all()
    .map((t) => `${resourceName(t)}${t.shortNames.length ? ` (${t.shortNames.join(', ')})` : ''}`)
    .sort()
    .join(', ');
}

export function unknownKind(name: string, registry: ResourceRegistry): Error {
  return new Error(`the server doesn't have a resource type "${name}"; the kinds it serves are: ${knownKinds(registry)}`);
}

/** Resolves what the user typed, or throws naming the kinds there are. */
export function resolveKind(name: string, registry: ResourceRegistry): ResourceType {
  const t = registry.resolve(name);
  if (!t) throw unknownKind(name, registry);
  return t;
}

/**
 * Like resolveKind, but a category (`all`) stands for its kinds, as in `kubectl get all`;
 * only the preferred version of each kind (the first the registry holds) is taken.
 */
export function resolveKinds(name: string, registry: ResourceRegistry): ResourceType[] {
  const t = registry.resolve(name);
  if (t) return [t];
  const seen = new Set<string>();
  const members = registry.all().filter((k) => {
    const key = `${k.group}/${k.resource}`;
    if (!k.categories.includes(name.toLowerCase()) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (!members.length) throw unknownKind(name, registry);
  return members;
}

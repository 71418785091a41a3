// Where on a node's kubelet a pod's logs, exec, attach and port-forward live, and which
// container a request means. Pure: the pod in, a kubelet path and query out.

import type { Pod } from '../../api/types.js';
import { errors } from '../errors.js';

/** The container a request names, or the pod's only container; 400 with upstream's wording otherwise. */
export function resolveContainer(pod: Pod, requested: string | null | undefined): string {
  const name = pod.metadata?.name ?? '';
  const containers = pod.spec?.containers ?? [];
  if (requested) {
    const all = [...containers, ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
    if (!all.some((c) => c.name === requested)) throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (containers.length === 1) return containers[0].name;
  if (containers.length === 0) throw errors.badRequest(`no containers in pod ${name}`);
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`;
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length > 0) message += ` or one of the init containers: [${inits.map((c) => c.name).join(' ')}]`;
  throw errors.badRequest(message);
}

/** The node the pod runs on; 400 while it has none. */
export function podNode(pod: Pod): string {
  const node = pod.spec?.nodeName;
  if (!node) throw errors.badRequest(`pod ${pod.metadata?.name ?? ''} does not have a host assigned`);
  return node;
}

function seg(s: string): string {
  return encodeURIComponent(s);
}

/** PodLogOptions the kubelet understands, passed on as sent. */
const LOG_PARAMS = ['follow', 'previous', 'timestamps', 'sinceSeconds', 'sinceTime', 'tailLines', 'limitBytes', 'stream'];

export function logPath(pod: Pod, container: string, query: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const key of LOG_PARAMS) {
    const v = query.get(key);
    if (v !== null && v !== '') out.set(key, v);
  }
  for (const key of ['sinceSeconds', 'tailLines', 'limitBytes']) {
    const v = out.get(key);
    if (v !== null && !/^\d+$/.test(v)) throw errors.badRequest(`${key}: Invalid value: "${v}": must be a non-negative integer`);
  }
  const qs = out.toString();
  return `/containerLogs/${seg(pod.metadata?.namespace ?? '')}/${seg(pod.metadata?.name ?? '')}/${seg(container)}${qs ? `?${qs}` : ''}`;
}

function truthy(v: string | null): boolean {
  return v === 'true' || v === '1';
}

/**
 * The stream flags of an exec or attach. Sent twice over: under the kubelet API's own names
 * (`input`/`output`/`error`/`tty` = 1, as kube-apiserver sends them) and under the names
 * clients use (`stdin`/`stdout`/`stderr`), so a kubelet reading either understands the request.
 * With a TTY there is no separate stderr (the runtime refuses both).
 */
function streamParams(query: URLSearchParams, out: URLSearchParams): void {
  const tty = truthy(query.get('tty'));
  const flags: Array<[string, string, boolean]> = [
    ['stdin', 'input', truthy(query.get('stdin'))],
    ['stdout', 'output', truthy(query.get('stdout'))],
    ['stderr', 'error', truthy(query.get('stderr')) && !tty],
    ['tty', 'tty', tty],
  ];
  for (const [client, kubelet, on] of flags) {
    if (!on) continue;
    out.set(kubelet, '1');
    if (client !== kubelet) out.set(client, 'true');
  }
  if (!flags.some(([, , on], i) => on && i < 3)) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
}

export function execPath(pod: Pod, container: string, query: URLSearchParams): string {
  const commands = query.getAll('command');
  if (commands.length === 0) throw errors.badRequest('you must specify at least 1 command');
  const out = new URLSearchParams();
  for (const c of commands) out.append('command', c);
  streamParams(query, out);
  return `/exec/${seg(pod.metadata?.namespace ?? '')}/${seg(pod.metadata?.name ?? '')}/${seg(container)}?${out.toString()}`;
}

export function attachPath(pod: Pod, container: string, query: URLSearchParams): string {
  const out = new URLSearchParams();
  streamParams(query, out);
  return `/attach/${seg(pod.metadata?.namespace ?? '')}/${seg(pod.metadata?.name ?? '')}/${seg(container)}?${out.toString()}`;
}

/** Ports travel in the SPDY stream headers; a `ports` query (WebSocket clients) is passed on. */
export function portForwardPath(pod: Pod, query: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const p of query.getAll('ports')) out.append('ports', p);
  const qs = out.toString();
  return `/portForward/${seg(pod.metadata?.namespace ?? '')}/${seg(pod.metadata?.name ?? '')}${qs ? `?${qs}` : ''}`;
}

/** `/api/v1/nodes/{name}/proxy/{rest}?q` → `/{rest}?q` on that node's kubelet. */
export function nodeProxyPath(requestUrl: string, nodeName: string): string {
  const url = new URL(requestUrl, 'http://placeholder');
  const marker = `/nodes/${encodeURIComponent(nodeName)}/proxy`;
  const at = url.pathname.indexOf(marker);
  if (at < 0) throw errors.badRequest(`not a node proxy path: ${url.pathname}`);
  const rest = url.pathname.slice(at + marker.length) || '/';
  return `${rest.startsWith('/') ? rest : `/${rest}`}${url.search}`;
}

// The REST client: ApiClient over HTTP/1.1 (node:https with a keep-alive agent), paths built
// from the resource table, JSON bodies, failures as typed ApiStatusErrors. Retries follow
// client-go: a 429 is retried whatever the verb (the server refused it unprocessed), waiting
// Retry-After; 5xx and connection failures are retried with exponential backoff and jitter
// for reads, and for writes only when the request never reached the server. There is no
// client-side rate limit unless `qps` is set: the server protects itself with 429s.

import http from 'node:http';
import https from 'node:https';
import { readFileSync, statSync } from 'node:fs';
import { BUILTIN_RESOURCES, ResourceRegistry, resourcePath, type ResourceType } from '../api/resources.js';
import type { KubeList, KubeObject, WatchEvent } from '../api/types.js';
import { ApiStatusError, errorFromStatus } from './errors.js';
import type { ApiClient, DeleteOptions, ListOptions, PatchType, ResourceClient, WatchOptions, WriteOptions } from './interfaces.js';
import { loadClientConfig, type ClientConfig, type LoadOptions } from './kubeconfig.js';
import { clientLogger } from './client-log.js';
import type { Logger } from './log.js';
import { backoffDelay, sleep, TokenBucket } from './rate-limiter.js';
import { errorFromWatchEvent, WatchLineDecoder } from './watch.js';

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface RestClientOptions {
  /** Client-side limit in requests per second; none by default. */
  qps?: number;
  burst?: number;
  /** Retries after the first attempt (429, 5xx, connection errors). Default 5. */
  maxRetries?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. Default 100 ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Per-request timeout for everything but watches. Default 30 s. */
  timeoutMs?: number;
  userAgent?: string;
  /** Resolves resource names in `for()`; the built-in kinds by default. */
  registry?: ResourceRegistry;
  /** A watch silent this long past its timeoutSeconds is taken for dead. Default 30 s. */
  watchIdleGraceMs?: number;
  /**
   * Called with each `Warning` header text (`299 - "..."` → the quoted message), as kubectl
   * prints them; by default they are logged at debug.
   */
  onWarning?: (message: string) => void;
  /** Sockets per server; watches hold one each. Default 128. */
  maxSockets?: number;
  logger?: Logger;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Failures that prove the request never left: safe to retry even a write. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** A connection-level failure, with whether the request may have reached the server. */
class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly maybeSent: boolean,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export class RestClient implements ApiClient {
  readonly config: ClientConfig;
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly bucket?: TokenBucket;
  private readonly registry: ResourceRegistry;
  private readonly log: Logger;
  private token?: { value: string; readAt: number };

  constructor(
    config: ClientConfig,
    private readonly opts: RestClientOptions = {},
  ) {
    this.config = config;
    this.base = new URL(config.server);
    // Every connection a burst opened stays for the next burst (the server closes idle ones
    // after its keep-alive timeout): closing all but a few after each burst made a controller
    // creating pods in growing batches pay a TLS handshake per request of every batch.
    const maxSockets = opts.maxSockets ?? 128;
    const agentOpts = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({
            ...agentOpts,
            ca: config.ca,
            cert: config.cert,
            key: config.key,
            rejectUnauthorized: !config.insecureSkipTLSVerify,
            servername: config.tlsServerName,
            ALPNProtocols: ['http/1.1'],
          })
        : new http.Agent(agentOpts);
    if (opts.qps) this.bucket = new TokenBucket(opts.qps, opts.burst ?? Math.max(1, Math.ceil(opts.qps * 2)));
    this.registry = opts.registry ?? new ResourceRegistry(BUILTIN_RESOURCES);
    this.log = opts.logger ?? clientLogger().child({ part: 'rest-client' });
  }

  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    return new RestResourceClient<T>(this, type);
  }

  for<T extends KubeObject = KubeObject>(resourceName: string): ResourceClient<T> {
    const type = this.registry.resolve(resourceName);
    if (!type) throw new Error(`the server doesn't have a resource type "${resourceName}"`);
    return this.resource<T>(type);
  }

  async bindPod(namespace: string, podName: string, nodeName: string, podUid?: string): Promise<void> {
    const pods = this.registry.get('', 'v1', 'pods')!;
    await this.request('POST', resourcePath(pods, namespace, podName, 'binding'), {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: podName, namespace, ...(podUid ? { uid: podUid } : {}) },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    });
  }

  async evictPod(namespace: string, podName: string, opts?: DeleteOptions): Promise<void> {
    const pods = this.registry.get('', 'v1', 'pods')!;
    await this.request('POST', resourcePath(pods, namespace, podName, 'eviction'), {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: podName, namespace },
      ...(opts ? { deleteOptions: { apiVersion: 'v1', kind: 'DeleteOptions', ...opts } } : {}),
    });
  }

  request<R = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<R> {
    return this.send<R>(method, path, body, { headers });
  }

  /** One API call with retries; the parsed JSON answer, or undefined for an empty body. */
  async send<R = unknown>(method: string, path: string, body: unknown, ro: RequestOptions = {}): Promise<R> {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const maxRetries = this.opts.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      let wait: number;
      try {
        const res = await this.once(method, path, payload, ro);
        for (const w of warningMessages(res.headers.warning)) {
          if (this.opts.onWarning) this.opts.onWarning(w);
          else this.log.debug({ method, path, warning: w }, 'server warning');
        }
        if (res.status >= 200 && res.status < 300) return parseBody(res) as R;
        const err = errorFromStatus(res.status, parseBody(res));
        const retryAfter = retryAfterMs(res.headers['retry-after']);
        const retriable = res.status === 429 || (res.status >= 500 && IDEMPOTENT.has(method)) || (res.status === 503 && retryAfter !== undefined);
        if (!retriable || attempt >= maxRetries) throw err;
        wait = retryAfter ?? this.backoff(attempt);
        this.log.debug({ method, path, status: res.status, attempt, wait }, 'request: retrying');
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        if (ro.signal?.aborted) throw ro.signal.reason;
        const retriable = IDEMPOTENT.has(method) || !err.maybeSent;
        if (!retriable || attempt >= maxRetries) throw err;
        wait = this.backoff(attempt);
        this.log.debug({ method, path, err: err.message, attempt, wait }, 'request: retrying after connection failure');
      }
      await sleep(wait, ro.signal);
    }
  }

  private backoff(attempt: number): number {
    return backoffDelay(attempt, this.opts.backoffMs ?? 100, this.opts.maxBackoffMs ?? 5000);
  }

  /** The request options every call shares: agent, auth, headers. */
  private async requestOptions(method: string, path: string, ro: RequestOptions, contentType?: string): Promise<http.RequestOptions> {
    if (this.bucket) await this.bucket.take(ro.signal);
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [k, v] of Object.entries(ro.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.opts.userAgent ?? 'skiff-client/0.1.0',
      ...(contentType ? { 'Content-Type': contentType } : {}),
      ...ro.headers,
    };
    const token = this.bearerToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    return { method, protocol: url.protocol, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers, agent: this.agent };
  }

  /** The static token, or the token file re-read at most once a minute (tokens get rotated). */
  private bearerToken(): string | undefined {
    if (this.config.token) return this.config.token;
    const file = this.config.tokenFile;
    if (!file) return undefined;
    if (!this.token || Date.now() - this.token.readAt > 60_000) {
      statSync(file);
      this.token = { value: readFileSync(file, 'utf8').trim(), readAt: Date.now() };
    }
    return this.token.value;
  }

  /** One attempt: the whole response, or a TransportError. */
  private async once(method: string, path: string, payload: Buffer | undefined, ro: RequestOptions): Promise<RawResponse> {
    const contentType = payload ? (ro.headers?.['Content-Type'] ?? 'application/json') : undefined;
    const options = await this.requestOptions(method, path, ro, contentType);
    // A known length rather than chunked encoding: every server (and proxy) accepts it.
    if (payload) (options.headers as Record<string, string>)['Content-Length'] = String(payload.length);
    const mod = this.base.protocol === 'https:' ? https : http;
    return new Promise<RawResponse>((resolve, reject) => {
      let responded = false;
      const req = mod.request({ ...options, signal: ro.signal, timeout: this.opts.timeoutMs ?? 30_000 }, (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (err) => reject(new TransportError(`${method} ${path}: response: ${err.message}`, (err as NodeJS.ErrnoException).code, true)));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`timed out after ${this.opts.timeoutMs ?? 30_000} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (ro.signal?.aborted) {
          reject(ro.signal.reason);
          return;
        }
        // A kept-alive socket the server closed fails on first write: the server never saw it.
        const neverSent = NOT_SENT.has(err.code ?? '') || (req.reusedSocket && err.code === 'ECONNRESET' && !responded);
        reject(new TransportError(`${method} ${path}: ${err.message}`, err.code, !neverSent));
      });
      req.end(payload);
    });
  }

  /**
   * One watch request: events to `onEvent` in order until the server ends the stream
   * (resolve), `signal` aborts (resolve), or the stream fails (reject; 410 as GoneError).
   */
  async watchStream<T extends KubeObject>(path: string, query: RequestOptions['query'], onEvent: (ev: WatchEvent<T>) => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const options = await this.requestOptions('GET', path, { query: { ...query, watch: 1 }, signal });
    const mod = this.base.protocol === 'https:' ? https : http;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onAbort = () => {
        req.destroy();
        finish();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const req = mod.request(options, (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => finish(errorFromStatus(status, parseBody({ status, headers: res.headers, body: Buffer.concat(chunks) }))));
          res.on('error', (err) => finish(err));
          return;
        }
        const decoder = new WatchLineDecoder<T>();
        const dispatch = (events: WatchEvent<T>[]) => {
          for (const ev of events) {
            if (settled) return;
            if (ev.type === 'ERROR') throw errorFromWatchEvent(ev as WatchEvent);
            onEvent(ev);
          }
        };
        res.on('data', (chunk: Buffer) => {
          try {
            dispatch(decoder.push(chunk));
          } catch (err) {
            req.destroy();
            finish(err);
          }
        });
        res.on('end', () => {
          try {
            dispatch(decoder.end());
            finish();
          } catch (err) {
            finish(err);
          }
        });
        res.on('error', (err) => finish(signal?.aborted ? undefined : new TransportError(`watch ${path}: ${err.message}`, (err as NodeJS.ErrnoException).code, true)));
        res.on('aborted', () => finish(signal?.aborted ? undefined : new TransportError(`watch ${path}: the server closed the stream mid-event`, 'ECONNRESET', true)));
      });
      req.on('error', (err: NodeJS.ErrnoException) => finish(signal?.aborted ? undefined : new TransportError(`watch ${path}: ${err.message}`, err.code, true)));
      // The server ends a watch after timeoutSeconds; silence well past that means the
      // connection died without a FIN (a peer that vanished), so give up on it.
      const serverTimeout = Number(query?.timeoutSeconds);
      if (serverTimeout > 0) {
        const idleMs = serverTimeout * 1000 + (this.opts.watchIdleGraceMs ?? 30_000);
        req.setTimeout(idleMs, () => req.destroy(Object.assign(new Error(`no data for ${idleMs} ms`), { code: 'ETIMEDOUT' })));
      }
      req.end();
    });
  }

  /** Closes idle kept-alive sockets (open watches end when their signals abort). */
  close(): void {
    this.agent.destroy();
  }
}

class RestResourceClient<T extends KubeObject> implements ResourceClient<T> {
  constructor(
    private readonly rest: RestClient,
    readonly type: ResourceType,
  ) {}

  private path(namespace: string | undefined, name?: string, sub?: string): string {
    return resourcePath(this.type, this.type.namespaced ? namespace : undefined, name, sub);
  }

  private objPath(obj: T, sub?: string): string {
    const name = obj.metadata?.name;
    if (!name) throw new ApiStatusError(400, 'BadRequest', `${this.type.kind}: metadata.name is required`);
    return this.path(obj.metadata?.namespace, name, sub);
  }

  get(namespace: string | undefined, name: string): Promise<T> {
    return this.rest.send<T>('GET', this.path(namespace, name), undefined);
  }

  list(namespace: string | undefined, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.rest.send<KubeList<T>>('GET', this.path(namespace), undefined, {
      query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: opts.limit, continue: opts.continue, resourceVersion: opts.resourceVersion },
    });
  }

  create(namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T> {
    return this.rest.send<T>('POST', this.path(namespace ?? obj.metadata?.namespace), obj, { query: writeQuery(opts) });
  }

  update(obj: T, opts?: WriteOptions): Promise<T> {
    return this.rest.send<T>('PUT', this.objPath(obj), obj, { query: writeQuery(opts) });
  }

  updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    return this.rest.send<T>('PUT', this.objPath(obj, 'status'), obj, { query: writeQuery(opts) });
  }

  patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions & { subresource?: string; force?: boolean } = {}): Promise<T> {
    const query = { ...writeQuery(opts), ...(type === 'apply' ? { fieldManager: opts.fieldManager ?? 'skiff', force: opts.force ? 'true' : undefined } : {}) };
    // Apply bodies are YAML; JSON is YAML, so the object goes as JSON text.
    return this.rest.send<T>('PATCH', this.path(namespace, name, opts.subresource), typeof patch === 'string' ? patch : JSON.stringify(patch), {
      query,
      headers: { 'Content-Type': PATCH_CONTENT_TYPES[type] },
    });
  }

  async delete(namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<void> {
    await this.rest.send('DELETE', this.path(namespace, name), opts ? { apiVersion: 'v1', kind: 'DeleteOptions', ...opts } : undefined);
  }

  watch(namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, signal?: AbortSignal): Promise<void> {
    return this.rest.watchStream<T>(
      this.path(namespace),
      {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        resourceVersion: opts.resourceVersion,
        allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
        timeoutSeconds: opts.timeoutSeconds,
      },
      onEvent,
      signal,
    );
  }
}

function writeQuery(opts: WriteOptions | undefined): RequestOptions['query'] {
  return { dryRun: opts?.dryRun ? 'All' : undefined, fieldManager: opts?.fieldManager };
}

function parseBody(res: RawResponse): unknown {
  if (res.body.length === 0) return undefined;
  const text = res.body.toString('utf8');
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * The messages of `Warning: 299 - "text"` headers (RFC 7234 form, as the API server sends
 * them; node joins repeated headers with ', ').
 */
export function warningMessages(header: string | string[] | undefined): string[] {
  if (!header) return [];
  const text = Array.isArray(header) ? header.join(', ') : header;
  const out: string[] = [];
  for (const m of text.matchAll(/\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g)) out.push(m[1].replace(/\\(.)/g, '$1'));
  return out;
}

/** Retry-After in seconds (what the API server sends) or as an HTTP date. */
export function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A RestClient for a kubeconfig's context: `restClientFromKubeconfig({ kubeconfig, context })`. */
export function restClientFromKubeconfig(load: LoadOptions = {}, opts: RestClientOptions = {}): RestClient {
  return new RestClient(loadClientConfig(load), opts);
}

// The Greeting controller, shaped as every Kubernetes controller is: informers on Greetings
// and on the ConfigMaps it owns only enqueue keys; workers take a key from the rate-limited
// queue and call reconcile(key), which reads the informers' caches, makes the ConfigMap match
// the Greeting, records Events, and reports through the Greeting's /status last. Everything is
// level-triggered: a restart converges again from what it lists.

import { isDeepStrictEqual } from 'node:util';
import { controllerRef, getCondition, objectKey, setCondition, splitKey } from '../../api/meta.js';
import type { ResourceType } from '../../api/resources.js';
import type { ConfigMap } from '../../api/types.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/errors.js';
import { createInformer } from '../../client/informer.js';
import type { ApiClient, EventRecorder, Informer, WorkQueue } from '../../client/interfaces.js';
import type { Logger } from '../../client/log.js';
import { createWorkQueue } from '../../client/workqueue.js';
import { configMapNameFor, configMapUpToDate, desiredConfigMap, GREETINGS, type Greeting, type GreetingCondition } from './greeting.js';

const CONFIG_MAPS: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  subresources: [],
  categories: [],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
};

/** ConfigMaps this controller made carry this label (the informer watches only those). */
const OWNED_LABEL = 'examples.skiff.dev/greeting';

export interface GreetingControllerOptions {
  client: ApiClient;
  recorder: EventRecorder;
  log: Logger;
  /** Watch one namespace; all when absent. */
  namespace?: string;
  workers?: number;
  /** Every Greeting is reconciled again this often (repairs anything a missed event left); 0: never. */
  resyncPeriodMs?: number;
}

export class GreetingController {
  readonly queue: WorkQueue<string>;
  private readonly greetings: Informer<Greeting>;
  private readonly configMaps: Informer<ConfigMap>;

  constructor(private readonly opts: GreetingControllerOptions) {
    const { client, namespace, log } = opts;
    this.queue = createWorkQueue<string>({ name: 'greetings' });
    this.greetings = createInformer<Greeting>(client, GREETINGS, { namespace, resyncPeriodMs: opts.resyncPeriodMs, logger: log });
    this.configMaps = createInformer<ConfigMap>(client, CONFIG_MAPS, { namespace, labelSelector: OWNED_LABEL, logger: log });
    const enqueue = (g: Greeting) => this.queue.add(objectKey(g));
    this.greetings.addEventHandler({ onAdd: enqueue, onUpdate: (_old, g) => enqueue(g), onDelete: enqueue });
    // A change to (or the loss of) an owned ConfigMap wakes its Greeting.
    const wakeOwner = (cm: ConfigMap) => {
      const ref = controllerRef(cm);
      if (ref?.kind === GREETINGS.kind && ref.apiVersion === `${GREETINGS.group}/${GREETINGS.version}`) this.queue.add(`${cm.metadata?.namespace}/${ref.name}`);
    };
    this.configMaps.addEventHandler({ onAdd: wakeOwner, onUpdate: (_old, cm) => wakeOwner(cm), onDelete: wakeOwner });
  }

  /** Runs until `signal` aborts: informers, then workers; then drains what is in flight. */
  async run(signal: AbortSignal): Promise<void> {
    this.greetings.start();
    this.configMaps.start();
    try {
      await Promise.all([this.greetings.waitForSync(signal), this.configMaps.waitForSync(signal)]);
      if (signal.aborted) return;
      this.opts.log.info('greeting controller started');
      signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
      await Promise.all(Array.from({ length: this.opts.workers ?? 2 }, () => this.worker()));
    } finally {
      this.queue.shutDown();
      this.greetings.stop();
      this.configMaps.stop();
    }
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.reconcile(key);
        this.queue.forget(key);
      } catch (err) {
        // A conflict means our cache was behind: try again soon, with backoff.
        this.opts.log.debug({ key, err: (err as Error).message, conflict: isConflict(err) }, 'reconcile failed; requeued');
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** Makes the Greeting's ConfigMap match it and reports the outcome on its status. */
  async reconcile(key: string): Promise<void> {
    const greeting = this.greetings.lister.get(key);
    // Gone or going: the ConfigMap's owner reference lets the garbage collector remove it.
    if (!greeting || greeting.metadata?.deletionTimestamp) return;
    const { namespace } = splitKey(key);
    const desired = desiredConfigMap(greeting);
    const configMaps = this.opts.client.resource<ConfigMap>(CONFIG_MAPS);
    const name = configMapNameFor(greeting);
    const current = this.configMaps.lister.get(`${namespace}/${name}`) ?? (await this.getUnlabelled(namespace, name));

    let ready: GreetingCondition;
    if (!current) {
      try {
        await configMaps.create(namespace, desired);
        this.opts.recorder.event(greeting, 'Normal', 'ConfigMapCreated', `Created ConfigMap ${name}`);
      } catch (err) {
        // Made by an earlier pass our cache has not seen yet: the next event reconciles it.
        if (!isAlreadyExists(err)) throw err;
      }
      ready = { type: 'Ready', status: 'True', reason: 'ConfigMapReady', message: `ConfigMap ${name} holds the greeting` };
    } else if (controllerRef(current)?.uid !== greeting.metadata?.uid) {
      // Someone else's ConfigMap: never take it over.
      ready = { type: 'Ready', status: 'False', reason: 'ConfigMapConflict', message: `ConfigMap ${name} exists and is not controlled by this Greeting` };
      if (getCondition(greeting.status?.conditions, 'Ready')?.reason !== 'ConfigMapConflict') this.opts.recorder.event(greeting, 'Warning', 'ConfigMapConflict', ready.message!);
    } else {
      if (!configMapUpToDate(current, desired)) {
        await configMaps.update({ ...current, metadata: { ...current.metadata, labels: { ...current.metadata?.labels, ...desired.metadata?.labels } }, data: { ...current.data, ...desired.data } });
        this.opts.recorder.event(greeting, 'Normal', 'ConfigMapUpdated', `Updated ConfigMap ${name}`);
      }
      ready = { type: 'Ready', status: 'True', reason: 'ConfigMapReady', message: `ConfigMap ${name} holds the greeting` };
    }
    await this.reportStatus(greeting, ready, ready.status === 'True' ? name : undefined);
  }

  /** A ConfigMap of that name without our label is invisible to the informer; ask the server. */
  private async getUnlabelled(namespace: string | undefined, name: string): Promise<ConfigMap | undefined> {
    try {
      return await this.opts.client.resource<ConfigMap>(CONFIG_MAPS).get(namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Writes status through /status, only when it changes. */
  private async reportStatus(greeting: Greeting, ready: GreetingCondition, configMapName: string | undefined): Promise<void> {
    const status: NonNullable<Greeting['status']> = {
      ...(configMapName ? { configMapName } : {}),
      observedGeneration: greeting.metadata?.generation,
      conditions: setCondition(greeting.status?.conditions, ready),
    };
    if (isDeepStrictEqual(status, greeting.status ?? {})) return;
    await this.opts.client.resource<Greeting>(GREETINGS).updateStatus({ ...greeting, status });
  }
}

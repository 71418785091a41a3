// The Store as the HTTP layer sees it once custom kinds exist: objects of a custom kind are
// written in the CRD's storage version and read in the version the request names, with the
// schema's defaults applied on read (conversion strategy None: only apiVersion changes, as
// upstream). Built-in kinds pass straight through.

import type { ResourceType } from '../../api/resources.js';
import { apiVersionOf } from '../../api/resources.js';
import type { KubeList, KubeObject, WatchEvent } from '../../api/types.js';
import type { GetOptions, ListOptions, Preconditions, RawWatchEvent, SerializedList, Store, WatchOptions, WatchStream } from '../storage/store.js';
import type { CustomKinds, CustomVersion } from './custom-kind.js';
import { applySchemaDefaults } from './schema/defaults.js';

/** `obj` as the served version shows it (changed in place and returned). */
export function toServed(obj: KubeObject, type: ResourceType, version: CustomVersion | undefined): KubeObject {
  obj.apiVersion = apiVersionOf(type);
  if (version?.defaults) applySchemaDefaults(version.schema, obj);
  return obj;
}

export class CustomResourceStore implements Store {
  constructor(
    private readonly inner: Store,
    private readonly kinds: CustomKinds,
  ) {}

  /** The conversion for `type`, or undefined for built-in kinds. */
  private served(type: ResourceType): ((obj: KubeObject) => KubeObject) | undefined {
    const found = this.kinds.lookup(type);
    if (!found) return undefined;
    return (obj) => toServed(obj, type, found.version);
  }

  private storage(type: ResourceType): ((obj: KubeObject) => KubeObject) | undefined {
    const found = this.kinds.lookup(type);
    if (!found) return undefined;
    const apiVersion = found.kind.storageApiVersion;
    return (obj) => {
      obj.apiVersion = apiVersion;
      return obj;
    };
  }

  async create(type: ResourceType, obj: KubeObject): Promise<KubeObject> {
    const out = this.served(type);
    if (!out) return this.inner.create(type, obj);
    return out(await this.inner.create(type, this.storage(type)!(obj)));
  }

  async get(type: ResourceType, namespace: string | undefined, name: string, opts?: GetOptions): Promise<KubeObject> {
    const obj = await this.inner.get(type, namespace, name, opts);
    return this.served(type)?.(obj) ?? obj;
  }

  async list(type: ResourceType, opts: ListOptions): Promise<KubeList> {
    const list = await this.inner.list(type, opts);
    const out = this.served(type);
    if (out) list.items = list.items.map(out);
    return list;
  }

  async listSerialized(type: ResourceType, opts: ListOptions): Promise<SerializedList> {
    const out = this.served(type);
    if (!this.inner.listSerialized) {
      const list = await this.list(type, opts);
      return { apiVersion: list.apiVersion, kind: list.kind, metadata: list.metadata, items: list.items.map((i) => JSON.stringify(i)) };
    }
    const list = await this.inner.listSerialized(type, opts);
    if (out) list.items = list.items.map((raw) => JSON.stringify(out(JSON.parse(raw) as KubeObject)));
    return list;
  }

  async update(type: ResourceType, obj: KubeObject, preconditions?: Preconditions): Promise<KubeObject> {
    const out = this.served(type);
    if (!out) return this.inner.update(type, obj, preconditions);
    return out(await this.inner.update(type, this.storage(type)!(obj), preconditions));
  }

  async guaranteedUpdate(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
  ): Promise<KubeObject> {
    const out = this.served(type);
    if (!out) return this.inner.guaranteedUpdate(type, namespace, name, mutate);
    const toStorage = this.storage(type)!;
    return out(await this.inner.guaranteedUpdate(type, namespace, name, async (current) => toStorage(await mutate(out(current)))));
  }

  async delete(type: ResourceType, namespace: string | undefined, name: string, preconditions?: Preconditions): Promise<KubeObject> {
    const obj = await this.inner.delete(type, namespace, name, preconditions);
    return this.served(type)?.(obj) ?? obj;
  }

  async watch(type: ResourceType, opts: WatchOptions): Promise<WatchStream> {
    const stream = await this.inner.watch(type, opts);
    const out = this.served(type);
    return out ? convertedStream(stream, apiVersionOf(type), out) : stream;
  }

  currentRevision(): Promise<string> {
    return this.inner.currentRevision();
  }

  healthy(): boolean {
    return this.inner.healthy();
  }

  release(type: ResourceType): void {
    this.inner.release?.(type);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The stream with each object in the served version; bookmarks carry its apiVersion, errors pass as they are. */
function convertedStream(stream: WatchStream, apiVersion: string, out: (obj: KubeObject) => KubeObject): WatchStream {
  const convert = (e: WatchEvent): WatchEvent => {
    if (e.type === 'ERROR') return e;
    if (e.type === 'BOOKMARK') return { type: e.type, object: { ...e.object, apiVersion } };
    return { type: e.type, object: out(e.object) };
  };
  const converted: WatchStream = {
    close: () => stream.close(),
    async *[Symbol.asyncIterator]() {
      for await (const e of stream) yield convert(e);
    },
  };
  const raw = stream.rawEvents?.bind(stream);
  if (raw) {
    converted.rawEvents = async function* (): AsyncIterable<RawWatchEvent> {
      for await (const e of raw()) {
        if (e.type === 'ERROR') {
          yield e;
          continue;
        }
        const { object } = convert({ type: e.type, object: JSON.parse(e.object) as KubeObject });
        yield { type: e.type, object: JSON.stringify(object) };
      }
    };
  }
  return converted;
}

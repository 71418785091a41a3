// Response bodies from pre-serialized objects: the watch cache keeps each object as JSON
// text, and lists and watch events are assembled around those strings without parsing them.

import type { KubeList, WatchEvent } from '../../api/types.js';
import type { RawWatchEvent, SerializedList } from './store.js';

/** One watch event line's JSON (without the newline). */
export function serializeWatchEvent(e: RawWatchEvent): string {
  return `{"type":"${e.type}","object":${e.object}}`;
}

const lines = new WeakMap<RawWatchEvent, string>();

/**
 * One watch event's line (JSON and newline), built once however many watchers are sent the
 * same event object: the cache hands every unfiltered watcher the one RawWatchEvent.
 */
export function watchEventLine(e: RawWatchEvent): string {
  let line = lines.get(e);
  if (line === undefined) {
    line = `${serializeWatchEvent(e)}\n`;
    lines.set(e, line);
  }
  return line;
}

export function parseWatchEvent(e: RawWatchEvent): WatchEvent {
  return { type: e.type, object: JSON.parse(e.object) as WatchEvent['object'] };
}

/** The list's JSON body. */
export function serializeList(list: SerializedList): string {
  const head = JSON.stringify({ apiVersion: list.apiVersion, kind: list.kind, metadata: list.metadata });
  return `${head.slice(0, -1)},"items":[${list.items.join(',')}]}`;
}

export function parseList(list: SerializedList): KubeList {
  return { apiVersion: list.apiVersion, kind: list.kind, metadata: list.metadata, items: list.items.map((i) => JSON.parse(i) as KubeList['items'][number]) };
}

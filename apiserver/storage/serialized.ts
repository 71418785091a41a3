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

/** The list's JSON body as one string. */
export function serializeList(list: SerializedList): string {
  return [...serializeListPieces(list)].join('');
}

/**
 * The list's JSON body in pieces of about `pieceChars` characters (each item whole), so a
 * list of 10,000 objects is written out without ever being one 10 MB string and buffer.
 */
export function* serializeListPieces(list: SerializedList, pieceChars = 64 * 1024): Generator<string> {
  const head = JSON.stringify({ apiVersion: list.apiVersion, kind: list.kind, metadata: list.metadata });
  let piece = `${head.slice(0, -1)},"items":[`;
  for (let i = 0; i < list.items.length; i++) {
    piece += i === 0 ? list.items[i] : `,${list.items[i]}`;
    if (piece.length >= pieceChars) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}]}`;
}

export function parseList(list: SerializedList): KubeList {
  return { apiVersion: list.apiVersion, kind: list.kind, metadata: list.metadata, items: list.items.map((i) => JSON.parse(i) as KubeList['items'][number]) };
}

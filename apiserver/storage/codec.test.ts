import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { decodeObject, encodeObject, serializeAt } from './codec.js';

const pod: KubeObject = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', namespace: 'n', resourceVersion: '3' } };

describe('codec', () => {
  it('stores apiVersion, kind, metadata first and no resourceVersion', () => {
    const stored = encodeObject({ ...pod, spec: { nodeName: 'a' } } as KubeObject).toString();
    expect(stored).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"n"},"spec":{"nodeName":"a"}}');
  });

  it.each([
    ['our layout', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{}}'],
    ['empty metadata', '{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{}}'],
    ['no apiVersion/kind', '{"metadata":{"name":"p"}}'],
    ['another layout', '{"spec":{"template":{"metadata":{"name":"t"}}},"metadata":{"name":"p"},"kind":"Deployment"}'],
    ['escaped kind', '{"apiVersion":"v1","kind":"P\\"od","metadata":{"name":"p"}}'],
    ['no metadata', '{"apiVersion":"v1","kind":"Pod"}'],
    ['a stored resourceVersion', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","resourceVersion":"1"}}'],
  ])('sets the resourceVersion on %s exactly as parsing would', (_name, stored) => {
    const out = JSON.parse(serializeAt(stored, 42)) as KubeObject;
    const expected = JSON.parse(stored) as KubeObject;
    expect(out).toEqual({ ...expected, metadata: { ...expected.metadata, resourceVersion: '42' } });
    expect(decodeObject(Buffer.from(stored), '42')).toEqual(out);
  });

  it.each([
    ['non-ASCII text before and after the splice', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ü', annotations: { note: 'naïve — 日本' } }, data: { k: '€' } }],
    ['an empty metadata', { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }],
    ['a long object', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { k: 'x'.repeat(5000) } }],
  ])('splices into the stored bytes with %s, as parsing would', (_name, obj) => {
    const stored = encodeObject(obj as KubeObject);
    const text = serializeAt(stored, 7);
    expect(text.startsWith('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"resourceVersion":"7"')).toBe(true);
    expect(JSON.parse(text)).toEqual({ ...obj, metadata: { ...obj.metadata, resourceVersion: '7' } });
    expect(serializeAt(stored.toString(), 7)).toBe(text);
  });

  it('round-trips an object, the resourceVersion coming from the revision', () => {
    expect(decodeObject(encodeObject(pod), 9)).toEqual({ ...pod, metadata: { ...pod.metadata, resourceVersion: '9' } });
  });
});

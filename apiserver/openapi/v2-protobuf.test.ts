import { describe, expect, it } from 'vitest';
import { readMessage, type WireField } from '../protobuf/wire.js';
import { encodeOpenAPIV2 } from './v2-protobuf.js';

/** The fields of a message with one number, as sub-messages or text. */
const all = (fields: WireField[], n: number) => fields.filter((f) => f.field === n).map((f) => (f.value.wire === 'bytes' ? f.value.value : new Uint8Array()));
const one = (fields: WireField[], n: number) => all(fields, n)[0]!;
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const msg = (b: Uint8Array) => readMessage(b);

/** NamedX entries (name = 1, value = 2) of a repeated field, by name. */
function named(fields: WireField[], n: number): Map<string, WireField[]> {
  return new Map(all(fields, n).map((b) => [text(one(msg(b), 1)), msg(one(msg(b), 2))]));
}

const doc = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: 'v1.32.0' },
  paths: {
    '/api/v1/namespaces/{namespace}/pods/{name}': {
      parameters: [{ name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true, description: 'name of the Pod' }],
      patch: {
        operationId: 'patchCoreV1NamespacedPod',
        consumes: ['application/strategic-merge-patch+json'],
        parameters: [
          { name: 'fieldValidation', in: 'query', type: 'string', uniqueItems: true, description: 'how' },
          { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } },
        ],
        responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.core.v1.Pod' } } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Pod' },
      },
    },
  },
  definitions: {
    'io.k8s.api.core.v1.PodSpec': {
      description: 'PodSpec is a description of a pod.',
      type: 'object',
      required: ['containers'],
      properties: {
        containers: { type: 'array', items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' }, 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
        nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
        priority: { type: 'integer', format: 'int32', minimum: -5 },
        free: { type: 'object', additionalProperties: false },
      },
    },
  },
};

describe('encodeOpenAPIV2', () => {
  const top = readMessage(encodeOpenAPIV2(doc));

  it('writes the document fields with gnostic numbers', () => {
    expect(text(one(top, 1))).toBe('2.0');
    expect(text(one(msg(one(top, 2)), 1))).toBe('Kubernetes');
  });

  it('writes definitions as named schemas with types, refs, maps and vendor extensions as YAML', () => {
    const spec = named(msg(one(top, 9)), 1).get('io.k8s.api.core.v1.PodSpec')!;
    expect(text(one(spec, 4))).toBe('PodSpec is a description of a pod.');
    expect(text(one(msg(one(spec, 22)), 1))).toBe('object');
    expect(all(spec, 19).map(text)).toEqual(['containers']);
    const props = named(msg(one(spec, 25)), 1);
    expect([...props.keys()]).toEqual(['containers', 'nodeSelector', 'priority', 'free']);
    const containers = props.get('containers')!;
    expect(text(one(msg(one(msg(one(containers, 23)), 1)), 1))).toBe('#/definitions/io.k8s.api.core.v1.Container');
    const ext = named(containers, 31);
    expect([...ext.keys()]).toEqual(['x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy']);
    // NamedAny's value is gnostic's Any: the YAML text in field 2.
    expect(all(containers, 31).map((b) => text(one(msg(one(msg(b), 2)), 2)))).toEqual(['"name"', '"merge"']);
    const values = msg(one(msg(one(props.get('nodeSelector')!, 21)), 1));
    expect(text(one(msg(one(values, 22)), 1))).toBe('string');
    const priority = props.get('priority')!;
    expect(text(one(priority, 2))).toBe('int32');
    const min = priority.find((f) => f.field === 9)!.value;
    expect(min.wire).toBe('fixed64');
    expect(Buffer.from((min as { value: Uint8Array }).value).readDoubleLE()).toBe(-5);
    // additionalProperties: false is written (a oneof member is present even when false).
    const free = msg(one(props.get('free')!, 21));
    expect(free).toEqual([{ field: 2, value: { wire: 'varint', value: 0n } }]);
  });

  it('writes paths with operations, query, path and body parameters, and responses', () => {
    const item = named(msg(one(top, 8)), 2).get('/api/v1/namespaces/{namespace}/pods/{name}')!;
    const pathParam = msg(one(msg(one(msg(one(item, 9)), 1)), 2));
    const pathSub = msg(one(pathParam, 4));
    expect(text(one(pathSub, 4))).toBe('name');
    expect(text(one(pathSub, 5))).toBe('string');
    const patch = msg(one(item, 8));
    expect(text(one(patch, 5))).toBe('patchCoreV1NamespacedPod');
    const [query, body] = all(patch, 8).map((b) => msg(one(msg(b), 1)));
    expect(text(one(msg(one(msg(one(query!, 2)), 3)), 4))).toBe('fieldValidation');
    const bodyParam = msg(one(body!, 1));
    expect(text(one(bodyParam, 2))).toBe('body');
    expect(text(one(msg(one(bodyParam, 5)), 1))).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    const ok = named(msg(one(patch, 9)), 1).get('200')!;
    const response = msg(one(ok, 1));
    expect(text(one(msg(one(msg(one(response, 2)), 1)), 1))).toBe('#/definitions/io.k8s.api.core.v1.Pod');
    expect(named(patch, 13).has('x-kubernetes-group-version-kind')).toBe(true);
  });
});

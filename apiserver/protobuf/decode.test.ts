import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { decodeProtobufObject } from './decode.js';

// A small protobuf writer for the fixtures: each field is [number, value] where value is a
// string (length-delimited), a number/bigint (varint) or a nested list of fields.
type Field = [number, string | number | bigint | boolean | Field[] | Uint8Array];

function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

function encode(fields: Field[]): Uint8Array {
  const out: number[] = [];
  for (const [num, value] of fields) {
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
      out.push(...varint(BigInt(num) << 3n), ...varint(BigInt(typeof value === 'boolean' ? Number(value) : value)));
    } else {
      const body = typeof value === 'string' ? new TextEncoder().encode(value) : value instanceof Uint8Array ? value : encode(value);
      out.push(...varint((BigInt(num) << 3n) | 2n), ...varint(BigInt(body.length)), ...body);
    }
  }
  return Uint8Array.from(out);
}

function envelope(apiVersion: string, kind: string, raw: Field[]): Buffer {
  return Buffer.concat([Buffer.from('k8s\0', 'binary'), encode([[1, [[1, apiVersion], [2, kind]]], [2, encode(raw)], [3, ''], [4, '']])]);
}

// What gogo writes for an ObjectMeta with only a name: every non-pointer field, zero-valued.
const meta = (name: string, extra: Field[] = []): Field => [1, [[1, name], [2, ''], [3, ''], [4, ''], [5, ''], [6, ''], [7, 0], [8, []], ...extra]];

describe('decodeProtobufObject', () => {
  it.each([
    ['namespace', envelope('v1', 'Namespace', [meta('ns1'), [2, []], [3, [[1, '']]]]), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } }],
    [
      'configmap with labels and data',
      envelope('v1', 'ConfigMap', [meta('cm', [[11, [[1, 'app'], [2, 'web']]], [11, [[1, 'tier'], [2, 'fe']]]]), [2, [[1, 'a'], [2, 'b']]], [2, [[1, 'c'], [2, '']]]]),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { app: 'web', tier: 'fe' } }, data: { a: 'b', c: '' } },
    ],
    ['secret bytes as base64', envelope('v1', 'Secret', [meta('s'), [2, [[1, 'k'], [2, 'v']]], [3, 'Opaque']]), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'dg==' }, type: 'Opaque' }],
    ['priority class keeps value 0', envelope('scheduling.k8s.io/v1', 'PriorityClass', [meta('pc'), [2, 0], [3, false]]), { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'pc' }, value: 0 }],
    ['negative int32', envelope('scheduling.k8s.io/v1', 'PriorityClass', [meta('neg'), [2, -5n]]), { metadata: { name: 'neg' }, value: -5 }],
    [
      'eviction with delete options',
      envelope('policy/v1', 'Eviction', [meta('pod-1', [[3, 'default']]), [2, [[1, 0], [2, [[1, 'uid-1']]], [4, 'Background']]]]),
      { kind: 'Eviction', metadata: { name: 'pod-1', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid: 'uid-1' }, propagationPolicy: 'Background' } },
    ],
    [
      'deployment with int-or-string, quantities and an ignored status',
      envelope('apps/v1', 'Deployment', [
        meta('web', [[11, [[1, 'app'], [2, 'web']]]]),
        [
          2,
          [
            [1, 3],
            [2, [[1, [[1, 'app'], [2, 'web']]]]],
            [3, [meta(''), [2, [[2, [[1, 'c'], [2, 'busybox'], [3, 'httpd'], [3, '-f'], [6, [[3, 8080], [4, 'TCP']]], [8, [[1, [[1, 'cpu'], [2, [[1, '500m']]]]]]]]]]]]],
            [4, [[1, 'RollingUpdate'], [2, [[1, [[1, 0], [2, 1]]], [2, [[1, 1], [3, '25%']]]]]]],
          ],
        ],
        [3, [[1, 5]]],
      ]),
      {
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web' } },
          template: { spec: { containers: [{ name: 'c', image: 'busybox', command: ['httpd', '-f'], ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: { limits: { cpu: '500m' } } }] } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
        },
      },
    ],
    ['creation time', envelope('v1', 'ConfigMap', [[1, [[1, 't'], [8, [[1, 1767225600]]]]]]), { metadata: { name: 't', creationTimestamp: '2026-01-01T00:00:00Z' } }],
  ])('%s', (_name, body, want) => {
    expect(decodeProtobufObject(body)).toMatchObject(want);
  });

  it.each([
    ['a kind without a schema', envelope('apps/v1', 'DaemonSet', [meta('d')]), 415, /DaemonSet \(apps\/v1\) cannot be sent as application\/vnd.kubernetes.protobuf/],
    ['a pod field outside the subset', envelope('v1', 'Pod', [meta('p'), [2, [[14, [[1, 'x']]]]]]), 415, /field 14 of Pod.spec/],
    ['an unknown field with content', envelope('v1', 'ConfigMap', [meta('x'), [9, 'surprise']]), 415, /field 9 of ConfigMap/],
    ['no magic', Buffer.from('{"a":1}'), 400, /k8s\\0 prefix/],
    ['truncated', Buffer.concat([Buffer.from('k8s\0', 'binary'), Buffer.from([0x0a, 0x30, 0x0a])]), 400, /truncated/],
    ['random bytes', Buffer.concat([Buffer.from('k8s\0', 'binary'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]), 400, /protobuf body/],
  ])('%s → %s', (_name, body, code, message) => {
    let err: unknown;
    try {
      decodeProtobufObject(body);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(code);
    expect((err as ApiError).message).toMatch(message);
  });
});

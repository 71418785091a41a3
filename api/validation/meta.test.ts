import { describe, expect, it } from 'vitest';
import { causes, messages } from './testing.js';

const cm = (metadata: object) => ({ metadata, data: { a: 'b' } });

describe('object metadata', () => {
  it.each<[string, string, object, string[]]>([
    ['valid', 'ConfigMap', { name: 'app-config', namespace: 'default' }, []],
    ['no name', 'ConfigMap', { namespace: 'default' }, ['metadata.name FieldValueRequired']],
    ['generateName instead', 'ConfigMap', { generateName: 'app-', namespace: 'default' }, []],
    ['bad generateName', 'ConfigMap', { generateName: 'App_', namespace: 'default' }, ['metadata.generateName FieldValueInvalid']],
    ['subdomain name', 'ConfigMap', { name: 'app.config-1', namespace: 'default' }, []],
    ['uppercase name', 'ConfigMap', { name: 'AppConfig', namespace: 'default' }, ['metadata.name FieldValueInvalid']],
    ['name too long', 'ConfigMap', { name: 'a'.repeat(254), namespace: 'default' }, ['metadata.name FieldValueInvalid']],
    ['name too long and malformed', 'ConfigMap', { name: `${'a'.repeat(253)}-`, namespace: 'default' }, ['metadata.name FieldValueInvalid', 'metadata.name FieldValueInvalid']],
    ['no namespace', 'ConfigMap', { name: 'x' }, ['metadata.namespace FieldValueRequired']],
    ['bad namespace', 'ConfigMap', { name: 'x', namespace: 'Team.A' }, ['metadata.namespace FieldValueInvalid']],
    ['namespace on a cluster kind', 'Node', { name: 'x', namespace: 'default' }, ['metadata.namespace FieldValueForbidden']],
    ['namespace names are labels', 'Namespace', { name: 'team.a' }, ['metadata.name FieldValueInvalid']],
    ['service names start with a letter', 'Service', { name: '9web', namespace: 'd' }, ['metadata.name FieldValueInvalid', 'spec.ports FieldValueRequired']],
    ['pod names may have dots', 'Pod', { name: 'web.1', namespace: 'd' }, ['spec.containers FieldValueRequired']],
    ['node names are subdomains', 'Node', { name: 'node-1.lab' }, []],
    ['label key', 'ConfigMap', { name: 'x', namespace: 'd', labels: { 'bad key': 'v' } }, ['metadata.labels FieldValueInvalid']],
    ['label value', 'ConfigMap', { name: 'x', namespace: 'd', labels: { k: 'v'.repeat(64) } }, ['metadata.labels FieldValueInvalid']],
    ['prefixed label', 'ConfigMap', { name: 'x', namespace: 'd', labels: { 'app.kubernetes.io/name': 'web' } }, []],
    ['annotation key', 'ConfigMap', { name: 'x', namespace: 'd', annotations: { 'a/b/c': 'v' } }, ['metadata.annotations FieldValueInvalid']],
    ['annotation value may be anything', 'ConfigMap', { name: 'x', namespace: 'd', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"a": 1}\n' } }, []],
    ['annotations too large', 'ConfigMap', { name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(300_000) } }, ['metadata.annotations FieldValueTooLong']],
    [
      'two controllers',
      'ConfigMap',
      {
        name: 'x',
        namespace: 'd',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
        ],
      },
      ['metadata.ownerReferences FieldValueInvalid'],
    ],
    ['owner without uid', 'ConfigMap', { name: 'x', namespace: 'd', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '' }] }, ['metadata.ownerReferences[0].uid FieldValueInvalid']],
    ['finalizer syntax', 'ConfigMap', { name: 'x', namespace: 'd', finalizers: ['example.com/cleanup', 'no way'] }, ['metadata.finalizers[1] FieldValueInvalid']],
  ])('%s', (_name, kind, metadata, expected) => {
    const obj = kind === 'ConfigMap' ? cm(metadata) : { metadata };
    expect(causes(kind, obj)).toEqual(expected);
  });

  it('words name errors as Kubernetes does', () => {
    expect(messages('ConfigMap', cm({ name: 'AppConfig', namespace: 'd' }))).toEqual([
      `metadata.name: Invalid value: "AppConfig": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
    expect(messages('ConfigMap', cm({ namespace: 'd' }))).toEqual(['metadata.name: Required value: name or generateName is required']);
    expect(messages('ConfigMap', cm({ name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(300_000) } }))).toEqual([
      'metadata.annotations: Too long: must have at most 262144 bytes',
    ]);
  });

  it.each<[string, object, string[]]>([
    ['labels may change', { name: 'x', namespace: 'd', uid: 'u', labels: { a: 'b' } }, []],
    ['name is immutable', { name: 'y', namespace: 'd', uid: 'u' }, ['metadata.name FieldValueInvalid']],
    ['namespace is immutable', { name: 'x', namespace: 'e', uid: 'u' }, ['metadata.namespace FieldValueInvalid']],
    ['uid is immutable', { name: 'x', namespace: 'd', uid: 'v' }, ['metadata.uid FieldValueInvalid']],
  ])('update: %s', (_name, metadata, expected) => {
    expect(causes('ConfigMap', cm(metadata), cm({ name: 'x', namespace: 'd', uid: 'u' }))).toEqual(expected);
  });
});

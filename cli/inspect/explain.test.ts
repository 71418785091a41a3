import { describe, expect, it } from 'vitest';
import { explain, typeGuess, wrap, type OpenAPIDocument } from './explain.js';

const doc: OpenAPIDocument = {
  components: {
    schemas: {
      'io.k8s.api.apps.v1.Deployment': {
        type: 'object',
        description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
        properties: {
          apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
          metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: 'Standard object metadata.' },
          spec: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }], description: 'Specification of the desired behavior of the Deployment.' },
        },
        'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
      },
      'io.k8s.api.apps.v1.DeploymentSpec': {
        type: 'object',
        description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
        required: ['selector'],
        properties: {
          replicas: { type: 'integer', description: 'Number of desired pods.' },
          selector: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector' }], description: 'Label selector for pods.' },
          strategy: { type: 'object', properties: { type: { type: 'string', enum: ['Recreate', 'RollingUpdate'], description: 'Type of deployment.' } } },
          paused: { type: 'boolean' },
        },
      },
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        type: 'object',
        description: 'ObjectMeta is metadata that all persisted resources must have.',
        properties: { labels: { type: 'object', additionalProperties: { type: 'string' } }, name: { type: 'string' } },
      },
      'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
        type: 'object',
        description: 'A label selector.',
        properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } },
      },
    },
  },
};
const deploy = { group: 'apps', version: 'v1', kind: 'Deployment' };

describe('explain (kubectl plaintext layout)', () => {
  it('a kind: header, description, fields with types and descriptions', () => {
    expect(explain(doc, deploy, [], false)).toBe(
      'GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n' +
        'DESCRIPTION:\n    Deployment enables declarative updates for Pods and ReplicaSets.\n    \n' +
        'FIELDS:\n' +
        '  apiVersion\t<string>\n    APIVersion defines the versioned schema of this representation of an object.\n\n' +
        '  metadata\t<ObjectMeta>\n    Standard object metadata.\n\n' +
        '  spec\t<DeploymentSpec>\n    Specification of the desired behavior of the Deployment.\n\n\n',
    );
  });
  it('a field through a $ref, with required marks and enums', () => {
    const out = explain(doc, deploy, ['spec'], false);
    expect(out).toContain('FIELD: spec <DeploymentSpec>\n\n\nDESCRIPTION:\n    Specification of the desired behavior of the Deployment.\n    DeploymentSpec is the specification');
    expect(out).toContain('  selector\t<LabelSelector> -required-\n');
    expect(out).toContain('  strategy\t<Object>\n');
    expect(out).toContain('  paused\t<boolean>\n    <no description>\n');
  });
  it('a leaf field and a long enum view', () => {
    expect(explain(doc, deploy, ['spec', 'strategy', 'type'], false)).toBe(
      'GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: type <string>\nENUM:\n    Recreate\n    RollingUpdate\n\nDESCRIPTION:\n    Type of deployment.\n    \n\n',
    );
  });
  it('recursive lists nested fields by indentation', () => {
    const out = explain(doc, deploy, ['metadata'], true);
    expect(out).toContain('FIELDS:\n  labels\t<map[string]string>\n  name\t<string>\n');
    expect(explain(doc, deploy, [], true)).toContain('  spec\t<DeploymentSpec>\n    paused\t<boolean>\n    replicas\t<integer>\n    selector\t<LabelSelector> -required-\n      matchLabels\t<map[string]string>\n    strategy\t<Object>\n      type\t<string>\n      enum: Recreate, RollingUpdate\n');
  });
  it('says which field does not exist, and when the server has no schema', () => {
    expect(() => explain(doc, deploy, ['spec', 'replicaz'], false)).toThrow('field "replicaz" does not exist in Deployment.spec.replicaz');
    expect(() => explain(doc, { group: '', version: 'v1', kind: 'Pod' }, [], false)).toThrow('no schema for Pod (v1)');
  });
  it('type guesses and wrapping', () => {
    expect(typeGuess(doc, { type: 'array', items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }] } })).toBe('[]DeploymentSpec');
    expect(wrap('aaa bbb ccc', 7)).toBe('aaa bbb\nccc');
    expect(wrap('averyveryverylongword x', 5)).toBe('averyveryverylongword\nx');
  });
});

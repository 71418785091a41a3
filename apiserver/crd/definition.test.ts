import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import { describe, expect, it } from 'vitest';
import { defaultDefinition, validateDefinition } from './definition.js';

function crd(change: (c: CustomResourceDefinition) => void = () => undefined): CustomResourceDefinition {
  const c: CustomResourceDefinition = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
    },
  };
  change(c);
  return c;
}

const problems = (c: CustomResourceDefinition, old?: CustomResourceDefinition) => validateDefinition(c, old).map((p) => `${p.field} ${p.reason}`);

describe('validateDefinition', () => {
  const cases: Array<{ name: string; crd: CustomResourceDefinition; want: string[] }> = [
    { name: 'a valid CRD', crd: crd(), want: [] },
    { name: 'the name must be plural.group', crd: crd((c) => (c.metadata!.name = 'widget.example.com')), want: ['metadata.name FieldValueInvalid'] },
    { name: 'the group needs a dot', crd: crd((c) => ((c.spec.group = 'example'), (c.metadata!.name = 'widgets.example'))), want: ['spec.group FieldValueInvalid'] },
    { name: 'a plural that is no DNS label', crd: crd((c) => ((c.spec.names.plural = 'Widgets'), (c.metadata!.name = 'Widgets.example.com'))), want: ['spec.names.plural FieldValueInvalid'] },
    { name: 'kind is required', crd: crd((c) => (c.spec.names.kind = '')), want: ['spec.names.kind FieldValueRequired'] },
    { name: 'kind and listKind differ', crd: crd((c) => (c.spec.names.listKind = 'Widget')), want: ['spec.names.listKind FieldValueInvalid'] },
    { name: 'short names are DNS labels', crd: crd((c) => (c.spec.names.shortNames = ['w_d'])), want: ['spec.names.shortNames[0] FieldValueInvalid'] },
    { name: 'scope', crd: crd((c) => (c.spec.scope = 'Global')), want: ['spec.scope FieldValueNotSupported'] },
    { name: 'no versions', crd: crd((c) => (c.spec.versions = [])), want: ['spec.versions FieldValueRequired'] },
    {
      name: 'two storage versions',
      crd: crd((c) => c.spec.versions.push({ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } })),
      want: ['spec.versions FieldValueInvalid'],
    },
    {
      name: 'no storage version',
      crd: crd((c) => (c.spec.versions[0].storage = false)),
      want: ['spec.versions FieldValueInvalid'],
    },
    {
      name: 'duplicate version names',
      crd: crd((c) => c.spec.versions.push({ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } })),
      want: ['spec.versions[1].name FieldValueDuplicate'],
    },
    { name: 'a schema is required', crd: crd((c) => delete c.spec.versions[0].schema), want: ['spec.versions[0].schema.openAPIV3Schema FieldValueRequired'] },
    {
      name: 'the schema must be structural',
      crd: crd((c) => (c.spec.versions[0].schema = { openAPIV3Schema: { type: 'object', properties: { spec: {} } } })),
      want: ['spec.versions[0].schema.openAPIV3Schema.properties[spec].type FieldValueRequired'],
    },
    {
      name: 'scale paths under .spec and .status',
      crd: crd((c) => (c.spec.versions[0].subresources = { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: 'selector' } })),
      want: ['spec.versions[0].subresources.scale.specReplicasPath FieldValueInvalid', 'spec.versions[0].subresources.scale.labelSelectorPath FieldValueInvalid'],
    },
    {
      name: 'printer columns need a known type and a JSONPath that parses',
      crd: crd((c) => (c.spec.versions[0].additionalPrinterColumns = [{ name: 'X', type: 'float', jsonPath: '.spec.x' }, { name: 'Y', type: 'string', jsonPath: '.spec[?(@.a)]' }])),
      want: ['spec.versions[0].additionalPrinterColumns[0].type FieldValueNotSupported', 'spec.versions[0].additionalPrinterColumns[1].jsonPath FieldValueInvalid'],
    },
    { name: 'only conversion None', crd: crd((c) => (c.spec.conversion = { strategy: 'Webhook' })), want: ['spec.conversion.strategy FieldValueNotSupported'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(problems(c.crd)).toEqual(c.want);
    });
  }

  it('on update: group and scope are immutable, stored versions stay listed', () => {
    const old = crd((c) => (c.status = { storedVersions: ['v1'], acceptedNames: { plural: 'widgets', kind: 'Widget' } }));
    const next = crd((c) => {
      c.spec.scope = 'Cluster';
      c.spec.versions = [{ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }];
    });
    expect(problems(next, old)).toEqual(['spec.scope FieldValueInvalid', 'status.storedVersions[0] FieldValueInvalid']);
  });

  it('survives fields of the wrong JSON type', () => {
    const broken = { metadata: { name: 'x' }, spec: { group: 5, names: 'widgets', versions: 'v1', scope: 1 } } as unknown as CustomResourceDefinition;
    expect(problems(broken)).toEqual(['spec.group FieldValueRequired', 'spec.names FieldValueRequired', 'spec.scope FieldValueNotSupported', 'spec.versions FieldValueRequired']);
  });
});

describe('defaultDefinition', () => {
  it('fills singular, listKind and conversion as upstream does', () => {
    const c = crd();
    defaultDefinition(c);
    expect(c.spec.names).toEqual({ plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' });
    expect(c.spec.conversion).toEqual({ strategy: 'None' });
  });
});

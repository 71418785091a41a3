import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import { describe, expect, it } from 'vitest';
import { namesConflict } from './controller.js';

function crd(name: string, group: string, names: CustomResourceDefinition['spec']['names'], accepted = true): CustomResourceDefinition {
  return {
    metadata: { name },
    spec: { group, scope: 'Namespaced', names, versions: [] },
    ...(accepted ? { status: { acceptedNames: names, storedVersions: [] } } : {}),
  };
}

describe('namesConflict', () => {
  const existing = crd('widgets.example.com', 'example.com', { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] });
  const cases: Array<{ name: string; next: CustomResourceDefinition; others?: CustomResourceDefinition[]; want?: string }> = [
    { name: 'distinct names', next: crd('gadgets.example.com', 'example.com', { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' }) },
    { name: 'same plural', next: crd('widgets.example.com-2', 'example.com', { plural: 'widgets', kind: 'Other' }), want: 'PluralConflict' },
    { name: 'plural is another short name', next: crd('wd.example.com', 'example.com', { plural: 'wd', kind: 'Other' }), want: 'PluralConflict' },
    { name: 'singular taken', next: crd('gizmos.example.com', 'example.com', { plural: 'gizmos', singular: 'widget', kind: 'Gizmo' }), want: 'SingularConflict' },
    { name: 'short name taken', next: crd('gizmos.example.com', 'example.com', { plural: 'gizmos', kind: 'Gizmo', shortNames: ['widgets'] }), want: 'ShortNamesConflict' },
    { name: 'kind taken', next: crd('gizmos.example.com', 'example.com', { plural: 'gizmos', kind: 'Widget' }), want: 'KindConflict' },
    { name: 'another group is free to reuse names', next: crd('widgets.other.com', 'other.com', { plural: 'widgets', kind: 'Widget' }) },
    { name: 'a CRD never conflicts with itself', next: existing },
    {
      name: 'names not yet accepted do not block',
      next: crd('widgets2.example.com', 'example.com', { plural: 'gizmos', kind: 'Gizmo' }),
      others: [crd('gizmos.example.com', 'example.com', { plural: 'gizmos', kind: 'Gizmo' }, false)],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(namesConflict(c.next, c.others ?? [existing])?.reason).toBe(c.want);
    });
  }

  it('built-in kinds of the group always win', () => {
    const builtins = [{ group: 'apps', resource: 'deployments', kind: 'Deployment' }];
    expect(namesConflict(crd('deployments.apps', 'apps', { plural: 'deployments', kind: 'MyDeployment' }), [], builtins)?.reason).toBe('PluralConflict');
    expect(namesConflict(crd('mydeps.apps', 'apps', { plural: 'mydeps', kind: 'Deployment' }), [], builtins)?.reason).toBe('KindConflict');
    expect(namesConflict(crd('deployments.example.com', 'example.com', { plural: 'deployments', kind: 'Deployment' }), [], builtins)).toBeUndefined();
  });
});

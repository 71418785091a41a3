import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';
import { BUILTIN_RESOURCES } from '../resources.js';
import { builtinSchemaCatalog, customDefinitionName } from './catalog.js';
import { ext, subschema } from './schema.js';

const catalog = builtinSchemaCatalog();

/** The schema at a dotted path below a kind (lists step into their items). */
function at(group: string, version: string, kind: string, path: string): JSONSchemaProps {
  let node: JSONSchemaProps | undefined = catalog.schemaOf(group, version, kind);
  for (const step of path.split('.')) {
    if (!node) break;
    let here = catalog.resolve(node);
    if (here.type === 'array') here = catalog.resolve(subschema(here.items)!);
    node = here.properties?.[step];
  }
  if (!node) throw new Error(`no schema at ${kind}.${path}`);
  return node;
}

describe('generated definitions', () => {
  it('are what scripts/gen-schemas.mjs writes today', () => {
    // Fails when kubernetes-types or client-node moved on, or someone edited the JSON by hand.
    expect(() => execFileSync('node', ['scripts/gen-schemas.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);
});

describe('builtinSchemaCatalog', () => {
  const extras = [
    ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'],
    ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinitionList'],
    ['autoscaling', 'v1', 'Scale'],
    ['policy', 'v1', 'Eviction'],
    ['', 'v1', 'Status'],
    ['apps', 'v1', 'DeleteOptions'],
  ] as const;
  it.each([...BUILTIN_RESOURCES.flatMap((t) => [[t.group, t.version, t.kind], [t.group, t.version, `${t.kind}List`]] as const), ...extras])(
    'knows %s/%s %s',
    (group, version, kind) => {
      const schema = catalog.schemaOf(group, version, kind);
      expect(schema?.type).toBe('object');
      expect(schema?.['x-kubernetes-group-version-kind']).toContainEqual({ group, version, kind });
    },
  );

  it.each([
    // path, type, format
    ['spec.containers.ports.containerPort', 'integer', 'int32'],
    ['spec.activeDeadlineSeconds', 'integer', 'int64'],
    ['metadata.creationTimestamp', 'string', 'date-time'],
    ['spec.containers.livenessProbe.httpGet.path', 'string', undefined],
    ['spec.hostNetwork', 'boolean', undefined],
  ])('types Pod %s as %s/%s', (path, type, format) => {
    const s = catalog.resolve(at('', 'v1', 'Pod', path));
    expect(s.type).toBe(type);
    expect(s.format).toBe(format);
  });

  it.each([
    ['Pod', 'spec.containers.ports.protocol', ['SCTP', 'TCP', 'UDP']],
    ['Pod', 'spec.restartPolicy', ['Always', 'Never', 'OnFailure']],
    ['Deployment', 'spec.strategy.type', ['Recreate', 'RollingUpdate']],
    ['Pod', 'metadata.name', undefined],
  ])('%s.%s has enum %j', (kind, path, values) => {
    expect(catalog.resolve(at(kind === 'Deployment' ? 'apps' : '', 'v1', kind, path)).enum).toEqual(values);
  });

  it('marks int-or-string and quantities', () => {
    expect(ext(catalog.resolve(at('', 'v1', 'Pod', 'spec.containers.livenessProbe.httpGet.port')))['x-kubernetes-int-or-string']).toBe(true);
    const limits = catalog.resolve(at('', 'v1', 'Pod', 'spec.containers.resources.limits'));
    expect(ext(catalog.resolve(subschema(limits.additionalProperties)!))['x-kubernetes-int-or-string']).toBe(true);
  });

  it.each([
    // kind, path, strategy, merge key, list type, map keys
    ['Pod', 'spec.containers', 'merge', 'name', 'map', ['name']],
    ['Pod', 'spec.containers.ports', 'merge', 'containerPort', 'map', ['containerPort', 'protocol']],
    ['Pod', 'spec.containers.env', 'merge', 'name', 'map', ['name']],
    ['Pod', 'spec.volumes', 'merge,retainKeys', 'name', 'map', ['name']],
    ['Pod', 'metadata.finalizers', 'merge', undefined, 'set', undefined],
    ['Pod', 'metadata.ownerReferences', 'merge', 'uid', 'map', ['uid']],
    ['Deployment', 'spec.template.spec.initContainers', 'merge', 'name', 'map', ['name']],
    ['Deployment', 'spec.strategy', 'retainKeys', undefined, undefined, undefined],
    ['Service', 'spec.ports', 'merge', 'port', 'map', ['port', 'protocol']],
    ['Node', 'spec.taints', undefined, undefined, undefined, undefined],
  ])('%s.%s: strategy %s, key %s, list %s %j', (kind, path, strategy, key, listType, mapKeys) => {
    const group = kind === 'Deployment' ? 'apps' : '';
    const s = ext(at(group, 'v1', kind, path));
    expect(s['x-kubernetes-patch-strategy']).toBe(strategy);
    expect(s['x-kubernetes-patch-merge-key']).toBe(key);
    expect(s['x-kubernetes-list-type']).toBe(listType);
    expect(s['x-kubernetes-list-map-keys']).toEqual(mapKeys);
  });

  it('resolve is the identity without a $ref and throws on a dangling one', () => {
    const plain = { type: 'string' };
    expect(catalog.resolve(plain)).toBe(plain);
    expect(() => catalog.resolve({ $ref: '#/components/schemas/io.k8s.api.core.v1.Nope' })).toThrow(/unresolvable/);
  });
});

describe('custom kinds', () => {
  it('are added with apiVersion, kind and metadata, and bump the generation', () => {
    const c = builtinSchemaCatalog();
    const before = c.generation;
    c.setCustom('stable.example.com', 'v1', 'CronTab', { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } } });
    expect(c.generation).toBe(before + 1);
    expect(c.definitionName('stable.example.com', 'v1', 'CronTab')).toBe('com.example.stable.v1.CronTab');
    const s = c.schemaOf('stable.example.com', 'v1', 'CronTab')!;
    expect(Object.keys(s.properties ?? {}).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(c.resolve(s.properties!.metadata).properties?.name?.type).toBe('string');
    c.removeCustom('stable.example.com', 'v1', 'CronTab');
    expect(c.schemaOf('stable.example.com', 'v1', 'CronTab')).toBeUndefined();
    expect(c.generation).toBe(before + 2);
    // One catalog's custom kinds are its own.
    expect(builtinSchemaCatalog().generation).toBe(0);
  });

  it('never shadow a built-in kind', () => {
    expect(() => builtinSchemaCatalog().setCustom('apps', 'v1', 'Deployment', { type: 'object' })).toThrow(/built-in/);
  });

  it.each([
    ['stable.example.com', 'v1', 'CronTab', 'com.example.stable.v1.CronTab'],
    ['widgets.skiff.dev', 'v1beta1', 'Widget', 'dev.skiff.widgets.v1beta1.Widget'],
  ])('%s/%s %s is named %s', (g, v, k, name) => {
    expect(customDefinitionName(g, v, k)).toBe(name);
  });
});

// A minimal OpenAPI v3 surface: the index at `/openapi/v3` and one document per group-version
// listing each kind's object path with its PATCH operation and the `fieldValidation` query
// parameter. kubectl reads exactly that to decide that the server validates fields itself
// (it then sends `fieldValidation=Strict` instead of validating against schemas), so
// `kubectl create -f` works without `--validate=false`. Schemas are not published (yet):
// `kubectl explain` and client-side apply's schema lookups find none.

import { createHash } from 'node:crypto';
import { groupVersionPath, type ResourceRegistry, type ResourceType } from '../api/resources.js';
import { KUBE_MAJOR, KUBE_MINOR } from './version.js';

/** `api/v1` or `apis/apps/v1`: the key kubectl uses in the index. */
function gvKey(t: Pick<ResourceType, 'group' | 'version'>): string {
  return groupVersionPath(t).slice(1);
}

function objectPath(t: ResourceType): string {
  const base = groupVersionPath(t);
  return t.namespaced ? `${base}/namespaces/{namespace}/${t.resource}/{name}` : `${base}/${t.resource}/{name}`;
}

const FIELD_VALIDATION = {
  name: 'fieldValidation',
  in: 'query',
  description: 'How the server treats unknown or duplicate fields: Ignore, Warn or Strict.',
  schema: { type: 'string', uniqueItems: true },
};

/** The document for one group-version; undefined when it is not served. */
export function openAPIGroupVersion(registry: ResourceRegistry, gvPath: string): Record<string, unknown> | undefined {
  const types = registry.all().filter((t) => gvKey(t) === gvPath);
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    if (!t.verbs.includes('patch')) continue;
    paths[objectPath(t)] = {
      patch: {
        description: `partially update the specified ${t.kind}`,
        operationId: `patch${t.kind}`,
        parameters: [FIELD_VALIDATION],
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: `v${KUBE_MAJOR}.${KUBE_MINOR}.0` },
    paths,
    components: { schemas: {} },
  };
}

/** Content hash kubectl uses to cache a document for good. */
export function documentHash(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 128).toUpperCase();
}

export function openAPIIndex(registry: ResourceRegistry): Record<string, unknown> {
  const keys = [...new Set(registry.all().map(gvKey))].sort();
  const paths: Record<string, unknown> = {};
  for (const key of keys) {
    const doc = openAPIGroupVersion(registry, key);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${documentHash(doc)}` };
  }
  return { paths };
}

// Discovery documents, built from the live ResourceRegistry on every request (kinds added at
// run time show up at once): `/api`, `/apis`, `/apis/{g}`, `/api/v1`, `/apis/{g}/{v}`, and
// the aggregated form (apidiscovery.k8s.io v2 / v2beta1) kubectl asks for first.

import { createHash } from 'node:crypto';
import { apiVersionOf, type ResourceRegistry, type ResourceType } from '../api/resources.js';

interface GroupKind {
  group: string;
  version: string;
  kind: string;
}

/** What each subresource answers with and which verbs it takes, as upstream serves them. */
function subresourceShape(t: ResourceType, sub: string): { kind: GroupKind; verbs: string[] } {
  const self = { group: t.group, version: t.version, kind: t.kind };
  switch (sub) {
    case 'status':
      return { kind: self, verbs: ['get', 'patch', 'update'] };
    case 'scale':
      return { kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] };
    case 'binding':
      return { kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] };
    case 'eviction':
      return { kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] };
    case 'finalize':
      return { kind: self, verbs: ['update'] };
    case 'log':
      return { kind: self, verbs: ['get'] };
    case 'exec':
      return { kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] };
    case 'attach':
      return { kind: { group: '', version: 'v1', kind: 'PodAttachOptions' }, verbs: ['create', 'get'] };
    case 'portforward':
      return { kind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' }, verbs: ['create', 'get'] };
    case 'proxy':
      return { kind: { group: '', version: 'v1', kind: `${t.kind}ProxyOptions` }, verbs: ['create', 'delete', 'get', 'patch', 'update'] };
    default:
      return { kind: self, verbs: ['get'] };
  }
}

/** The served group-versions, core first, then groups in name order. */
function groupVersions(registry: ResourceRegistry): Array<{ group: string; version: string; types: ResourceType[] }> {
  const byGv = new Map<string, { group: string; version: string; types: ResourceType[] }>();
  for (const t of registry.all()) {
    const key = apiVersionOf(t);
    const gv = byGv.get(key) ?? { group: t.group, version: t.version, types: [] };
    gv.types.push(t);
    byGv.set(key, gv);
  }
  return [...byGv.values()].sort((a, b) => (a.group === b.group ? a.version.localeCompare(b.version) : a.group === '' ? -1 : b.group === '' ? 1 : a.group.localeCompare(b.group)));
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string, versions: string[]): Record<string, unknown> {
  const entries = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: entries, preferredVersion: entries[0] };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  const groups = new Map<string, string[]>();
  for (const gv of groupVersions(registry)) {
    if (gv.group === '') continue;
    groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv.version]);
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups].map(([g, vs]) => apiGroup(g, vs)) };
}

/** `/apis/{group}`; undefined when the group is not served. */
export function apiGroupDoc(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const versions = groupVersions(registry).filter((gv) => gv.group === group && group !== '').map((gv) => gv.version);
  return versions.length === 0 ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

/** `/api/v1` or `/apis/{g}/{v}`; undefined when the group-version is not served. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const gv = groupVersions(registry).find((g) => g.group === group && g.version === version);
  if (!gv) return undefined;
  const resources: Array<Record<string, unknown>> = [];
  for (const t of gv.types) {
    resources.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length > 0 ? { categories: t.categories } : {}),
    });
    for (const sub of t.subresources) {
      const shape = subresourceShape(t, sub);
      resources.push({
        name: `${t.resource}/${sub}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(shape.kind.group !== t.group || shape.kind.version !== t.version ? { group: shape.kind.group, version: shape.kind.version } : {}),
        kind: shape.kind.kind,
        verbs: shape.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(gv), resources };
}

export type AggregatedVersion = 'v2' | 'v2beta1';

/** A strong ETag of a discovery document's text (quoted hex, as kube-apiserver sends it). */
export function discoveryETag(body: string): string {
  return `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
}

/** Which aggregated discovery version the Accept header asks for first, if any. */
export function wantsAggregated(accept: string | undefined): AggregatedVersion | undefined {
  for (const entry of (accept ?? '').split(',')) {
    const [type, ...params] = entry.split(';').map((s) => s.trim());
    const p = new Map(params.map((kv) => kv.split('=').map((s) => s.trim()) as [string, string]));
    if (type === 'application/json' && p.get('g') === 'apidiscovery.k8s.io' && p.get('as') === 'APIGroupDiscoveryList') {
      const v = p.get('v');
      if (v === 'v2' || v === 'v2beta1') return v;
    }
  }
  return undefined;
}

export function aggregatedContentType(v: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;
}

/** The aggregated list for the core group (`/api`) or for all named groups (`/apis`). */
export function aggregatedDiscovery(registry: ResourceRegistry, core: boolean, v: AggregatedVersion): Record<string, unknown> {
  const byGroup = new Map<string, Array<{ group: string; version: string; types: ResourceType[] }>>();
  for (const gv of groupVersions(registry)) {
    if ((gv.group === '') !== core) continue;
    byGroup.set(gv.group, [...(byGroup.get(gv.group) ?? []), gv]);
  }
  const items = [...byGroup].map(([group, gvs]) => ({
    metadata: group === '' ? { creationTimestamp: null } : { name: group, creationTimestamp: null },
    versions: gvs.map((gv) => ({
      version: gv.version,
      freshness: 'Current',
      resources: gv.types.map((t) => ({
        resource: t.resource,
        responseKind: { group: t.group, version: t.version, kind: t.kind },
        scope: t.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: t.singular,
        verbs: t.verbs,
        ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
        ...(t.categories.length > 0 ? { categories: t.categories } : {}),
        ...(t.subresources.length > 0
          ? {
              subresources: t.subresources.map((sub) => {
                const shape = subresourceShape(t, sub);
                return { subresource: sub, responseKind: shape.kind, verbs: shape.verbs };
              }),
            }
          : {}),
      })),
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items };
}

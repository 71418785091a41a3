// The kinds the server serves, from its discovery documents (as kubectl learns them), so
// custom resources resolve like built-in ones: the CLI resolves names through it and says
// which kinds exist; the garbage collector watches every kind it finds.

import { parseApiVersion, ResourceRegistry, type ResourceType } from '../api/resources.js';
import type { ApiClient } from './interfaces.js';

interface APIResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface APIResourceList {
  groupVersion: string;
  resources: APIResource[];
}

interface APIGroupList {
  groups: { name: string; versions: { groupVersion: string }[]; preferredVersion?: { groupVersion: string } }[];
}

/** The kinds of one group-version's resource list; `pods/status` style entries become subresources. */
export function typesFromResourceList(list: APIResourceList): ResourceType[] {
  const { group, version } = parseApiVersion(list.groupVersion);
  const top = list.resources.filter((r) => !r.name.includes('/'));
  return top.map((r) => ({
    group,
    version,
    kind: r.kind,
    resource: r.name,
    singular: r.singularName || r.kind.toLowerCase(),
    namespaced: r.namespaced,
    shortNames: r.shortNames ?? [],
    subresources: list.resources.filter((s) => s.name.startsWith(`${r.name}/`)).map((s) => s.name.slice(r.name.length + 1)),
    categories: r.categories ?? [],
    verbs: r.verbs ?? [],
  }));
}

/** A registry of everything the server serves; each group's preferred version first. */
export async function discoverRegistry(client: Pick<ApiClient, 'request'>): Promise<ResourceRegistry> {
  const [core, groups] = await Promise.all([client.request<APIResourceList>('GET', '/api/v1'), client.request<APIGroupList>('GET', '/apis')]);
  const groupVersions = groups.groups.flatMap((g) => {
    const preferred = g.preferredVersion?.groupVersion;
    const rest = g.versions.map((v) => v.groupVersion).filter((gv) => gv !== preferred);
    return preferred ? [preferred, ...rest] : rest;
  });
  const lists = await Promise.all(groupVersions.map((gv) => client.request<APIResourceList>('GET', `/apis/${gv}`)));
  return new ResourceRegistry([core, ...lists].flatMap(typesFromResourceList));
}

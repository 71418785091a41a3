// The kinds skiff serves, described once. The API server routes and answers discovery
// from this table; the client builds paths from it; the CLI resolves names and short names
// through it. Custom resources (CRDs) are added to a live registry at run time.

export interface ResourceType {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Plural lower-case name used in paths: `pods`, `deployments`. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  /** Subresources served under `{resource}/{name}/{sub}`. */
  subresources: string[];
  categories: string[];
  verbs: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function kind(
  group: string,
  version: string,
  kindName: string,
  resource: string,
  opts: { namespaced?: boolean; shortNames?: string[]; subresources?: string[]; categories?: string[]; verbs?: string[] } = {},
): ResourceType {
  return {
    group,
    version,
    kind: kindName,
    resource,
    singular: kindName.toLowerCase(),
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    subresources: opts.subresources ?? [],
    categories: opts.categories ?? [],
    verbs: opts.verbs ?? ALL_VERBS,
  };
}

export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  kind('', 'v1', 'Namespace', 'namespaces', { namespaced: false, shortNames: ['ns'], subresources: ['status', 'finalize'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  kind('', 'v1', 'Pod', 'pods', { shortNames: ['po'], categories: ['all'], subresources: ['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward'] }),
  kind('', 'v1', 'Node', 'nodes', { namespaced: false, shortNames: ['no'], subresources: ['status', 'proxy'] }),
  kind('', 'v1', 'Service', 'services', { shortNames: ['svc'], categories: ['all'], subresources: ['status'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] }),
  kind('', 'v1', 'Endpoints', 'endpoints', { shortNames: ['ep'] }),
  kind('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  kind('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  kind('', 'v1', 'Secret', 'secrets'),
  kind('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  kind('apps', 'v1', 'Deployment', 'deployments', { shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'] }),
  kind('apps', 'v1', 'ReplicaSet', 'replicasets', { shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'] }),
  kind('apps', 'v1', 'DaemonSet', 'daemonsets', { shortNames: ['ds'], categories: ['all'], subresources: ['status'] }),
  kind('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
  kind('batch', 'v1', 'Job', 'jobs', { categories: ['all'], subresources: ['status'] }),
  kind('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  kind('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices'),
  kind('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', { shortNames: ['pdb'], subresources: ['status'] }),
  kind('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', { namespaced: false, shortNames: ['pc'] }),
  kind('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', { namespaced: false, shortNames: ['crd', 'crds'], subresources: ['status'] }),
];

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}

/** Splits `apps/v1` into group and version; `v1` is the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The URL prefix of a group-version: `/api/v1` or `/apis/apps/v1`. */
export function groupVersionPath(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group === '' ? `/api/${t.version}` : `/apis/${t.group}/${t.version}`;
}

/**
 * The path of a collection or an object: `/api/v1/namespaces/ns/pods[/name[/sub]]`.
 * Cluster-scoped resources ignore `namespace`; a namespaced resource without one is the
 * all-namespaces collection.
 */
export function resourcePath(t: ResourceType, namespace?: string, name?: string, subresource?: string): string {
  let path = groupVersionPath(t);
  if (t.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${t.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** The etcd key of an object: `/registry/{resource}/{namespace}/{name}`, cluster-scoped without namespace. */
export function storageKey(t: ResourceType, namespace: string | undefined, name: string): string {
  return t.namespaced ? `/registry/${storagePrefixName(t)}/${namespace}/${name}` : `/registry/${storagePrefixName(t)}/${name}`;
}

/** The etcd prefix of a collection, ending in `/`. */
export function storagePrefix(t: ResourceType, namespace?: string): string {
  const base = `/registry/${storagePrefixName(t)}/`;
  return t.namespaced && namespace ? `${base}${namespace}/` : base;
}

/** Core kinds keep their plain name; other groups are qualified so two groups' `foos` never share keys. */
function storagePrefixName(t: ResourceType): string {
  const builtinGroup = t.group === '' || BUILTIN_RESOURCES.some((b) => b.group === t.group);
  return builtinGroup ? t.resource : `${t.group}/${t.resource}`;
}

/**
 * A lookup over the served kinds, by kind, by resource name, by short name. The API server
 * keeps one and adds CRD-defined kinds to it; clients build one from discovery or use the
 * built-in table.
 */
export class ResourceRegistry {
  private readonly types = new Map<string, ResourceType>();

  constructor(initial: readonly ResourceType[] = BUILTIN_RESOURCES) {
    for (const t of initial) this.add(t);
  }

  add(t: ResourceType): void {
    this.types.set(registryKey(t.group, t.version, t.resource), t);
  }

  remove(group: string, version: string, resource: string): void {
    this.types.delete(registryKey(group, version, resource));
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  get(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.get(registryKey(group, version, resource));
  }

  byKind(apiVersion: string, kindName: string): ResourceType | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    return this.all().find((t) => t.group === group && t.version === version && t.kind === kindName);
  }

  /**
   * Resolves what a user types (`po`, `pods`, `pod`, `deployments.apps`, `Deployment`) to a
   * served kind; prefers the core group, as kubectl does.
   */
  resolve(name: string): ResourceType | undefined {
    const lower = name.toLowerCase();
    const dot = lower.indexOf('.');
    const base = dot < 0 ? lower : lower.slice(0, dot);
    const group = dot < 0 ? undefined : lower.slice(dot + 1);
    const matches = this.all().filter(
      (t) =>
        (group === undefined || t.group === group) &&
        (t.resource === base || t.singular === base || t.kind.toLowerCase() === base || t.shortNames.includes(base)),
    );
    return matches.find((t) => t.group === '') ?? matches[0];
  }
}

function registryKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

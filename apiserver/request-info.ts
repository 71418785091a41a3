// Reads a resource request's path against the served kinds: which kind, namespace, object and
// subresource it addresses. Routing is by lookup in the live ResourceRegistry rather than one
// express route per kind, so kinds added at run time (CRDs) are served without re-routing.

import type { ResourceRegistry, ResourceType } from '../api/resources.js';
import { ApiError } from './errors.js';

export interface ResourceRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Came through the legacy `/watch/` prefix. */
  watchPrefix: boolean;
}

function notFound(path: string, why: string): ApiError {
  return new ApiError(404, 'NotFound', `the server could not find the requested resource (${why}: ${path})`, {});
}

/**
 * Parses `/api/v1/...` and `/apis/{g}/{v}/...` into a ResourceRequest; undefined for paths
 * that are not resource paths at all (discovery roots are handled before this).
 * Throws a 404 ApiError naming what was not found.
 */
export function parseResourcePath(path: string, registry: ResourceRegistry): ResourceRequest | undefined {
  const parts = path.split('/').filter((p) => p !== '').map(decodeSegment);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    rest = parts.slice(1);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    rest = parts.slice(2);
  } else {
    return undefined;
  }
  const version = rest[0];
  let segs = rest.slice(1);
  let watchPrefix = false;
  if (segs[0] === 'watch') {
    watchPrefix = true;
    segs = segs.slice(1);
  }

  // `namespaces/{ns}/{resource}...` addresses a namespaced kind unless it is the namespace
  // object itself (`namespaces/{ns}` or `namespaces/{ns}/status|finalize`).
  let namespace: string | undefined;
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    const inner = registry.get(group, version, segs[2]);
    if (inner?.namespaced) {
      namespace = segs[1];
      segs = segs.slice(2);
    }
  }

  const [resource, name, subresource, ...extra] = segs;
  if (!resource) return undefined;
  const type = registry.get(group, version, resource);
  if (!type) {
    const gv = group ? `${group}/${version}` : version;
    throw notFound(path, `no resource "${resource}" in ${gv}`);
  }
  if (extra.length > 0 && !allowsTrailingPath(type, subresource)) throw notFound(path, 'unexpected path segments');
  if (subresource !== undefined && !type.subresources.includes(subresource)) {
    throw notFound(path, `no subresource "${subresource}" of ${type.resource}`);
  }
  if (subresource !== undefined && watchPrefix) throw notFound(path, 'subresources cannot be watched');
  return { type, namespace, name, subresource, watchPrefix };
}

/** `nodes/{name}/proxy/{rest...}` carries a path of its own. */
function allowsTrailingPath(type: ResourceType, subresource: string | undefined): boolean {
  return subresource === 'proxy';
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ApiError(400, 'BadRequest', `malformed path segment "${s}"`);
  }
}

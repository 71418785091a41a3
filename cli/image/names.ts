// Image names as Docker reads them: a short name gets the default registry (docker.io), a
// one-part docker.io path gets `library/`, and a missing tag is `latest`.

/** Registries the cluster registry mirrors for every node's containerd. */
export const MIRRORED_REGISTRIES = ['docker.io', 'registry.k8s.io'];

export interface ImageName {
  /** Registry host, e.g. `docker.io`. */
  domain: string;
  /** Repository path inside it, e.g. `library/web`. */
  path: string;
  tag: string;
}

// Lower-case path components separated by `/`, each `a-z0-9` joined by `.`, `_`, `__` or dashes.
const PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** Parses and normalises `name` (`web:v1` → docker.io / library/web / v1); throws on a malformed name. */
export function parseImageName(name: string): ImageName {
  if (name.includes('@')) throw new Error(`image name ${JSON.stringify(name)}: digest references cannot be loaded; give a tag`);
  const slash = name.indexOf('/');
  const first = slash > 0 ? name.slice(0, slash) : '';
  const hasDomain = first !== '' && (/[.:]/.test(first) || first === 'localhost');
  let domain = hasDomain ? first : 'docker.io';
  if (domain === 'index.docker.io') domain = 'docker.io';
  const rest = hasDomain ? name.slice(slash + 1) : name;
  const colon = rest.lastIndexOf(':');
  const tagged = colon > rest.lastIndexOf('/');
  let path = tagged ? rest.slice(0, colon) : rest;
  const tag = tagged ? rest.slice(colon + 1) : 'latest';
  if (!PATH.test(path)) throw new Error(`image name ${JSON.stringify(name)}: repository ${JSON.stringify(path)} is not valid (lower-case letters, digits, separators)`);
  if (!TAG.test(tag)) throw new Error(`image name ${JSON.stringify(name)}: tag ${JSON.stringify(tag)} is not valid`);
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return { domain, path, tag };
}

export function formatImageName(n: ImageName): string {
  return `${n.domain}/${n.path}:${n.tag}`;
}

/** The fully-qualified form of `name`, as containerd records it. */
export function normaliseImageName(name: string): string {
  return formatImageName(parseImageName(name));
}

/** Whether nodes can pull `n` through the cluster registry (it mirrors only some registries). */
export function isMirrored(n: ImageName): boolean {
  return MIRRORED_REGISTRIES.includes(n.domain);
}

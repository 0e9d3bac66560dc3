/**
 * Image references as ECS and Kubernetes report them. A digest (`sha256:<64 hex>`) names what
 * actually runs; a tag does not, so everything is keyed and scanned by digest.
 */
const digestPattern = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && digestPattern.test(value);
}

/** `repo:tag`, `repo@sha256:..`, `repo:tag@sha256:..` -> `repo` (a registry port is not a tag). */
export function repositoryOf(image: string): string {
  let name = image.trim();
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  return name;
}

/** The digest written into a reference (`repo@sha256:...`), if any. */
export function digestInReference(image: string): string | null {
  const match = /@(sha256:[0-9a-f]{64})$/.exec(image.trim());
  return match ? match[1]! : null;
}

/**
 * A Kubernetes `imageID`: `docker-pullable://repo@sha256:..`, `docker.io/library/nginx@sha256:..`, or
 * a bare `sha256:..` (containerd's image config ID for locally built images: not pullable, so it is
 * not a repository digest and the image counts as unpinned).
 */
export function parseImageId(imageId: string | undefined | null): { repository: string; digest: string } | null {
  if (!imageId) return null;
  const stripped = imageId.replace(/^[a-z-]+:\/\//, '');
  const digest = digestInReference(stripped);
  if (digest === null) return null;
  return { repository: repositoryOf(stripped), digest };
}

export function pinnedReference(repository: string, digest: string): string {
  return `${repository}@${digest}`;
}

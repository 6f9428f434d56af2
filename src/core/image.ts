/**
 * Container image references, parsed with the grammar of the distribution project
 * (github.com/distribution/reference): `[domain[:port]/]path[:tag][@digest]`.
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/** The parts of an image reference. */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses `image`, or returns undefined when it is not a valid reference. */
export function parseImage(image: string): ImageReference | undefined {
  const match = REFERENCE.exec(image);
  if (!match || match[1].length > 255) return undefined;
  return { repository: match[1], tag: match[2], digest: match[3] };
}

/**
 * `IfNotPresent` for an image pinned by digest or by a tag other than `latest`: the node's cache is
 * then as good as the registry, and a registry outage does not stop pods from starting.
 * `Always` otherwise, as Kubernetes itself defaults for `:latest` and untagged images.
 */
export function pinsVersion(ref: ImageReference): boolean {
  return ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== 'latest');
}

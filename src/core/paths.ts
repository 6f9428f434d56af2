/**
 * URL paths as the routers take them. The rules are the HTTPRoute CRD's for Exact and PathPrefix
 * matches (its CEL validations of `matches[].path`, identical in Gateway API v1.2.1 and v1.6.1),
 * the strictest of the routers: a path they accept is accepted by Istio too.
 */

/** The longest path an HTTPRoute match holds. */
export const MAX_PATH = 1024;
const PATH_CHARACTERS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/** Why `path` is not a valid Exact or PathPrefix path, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with "/"';
  if (path.length > MAX_PATH) return `must be at most ${MAX_PATH} characters`;
  if (!PATH_CHARACTERS.test(path)) return "may only contain letters, digits, -._~!$&'()*+,;=:@/ and %-escapes (%XX)";
  if (['//', '/./', '/../', '%2f', '%2F', '#'].some((bad) => path.includes(bad))) return 'must not contain "//", "/./", "/../", "%2f" or "#"';
  if (path.endsWith('/.') || path.endsWith('/..')) return 'must not end with "/." or "/.."';
  return undefined;
}

/**
 * Why the API server refuses `path` in an Ingress of `pathType`, or undefined
 * (pkg/apis/networking/validation validateIngressPath: every path absolute; Exact and Prefix
 * without the sequences "//", "/./", "/../", "%2f", "%2F" and not ending in "/." or "/..").
 */
export function ingressPathProblem(path: string, pathType: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with "/"';
  if (pathType !== 'Exact' && pathType !== 'Prefix') return undefined;
  const sequence = ['//', '/./', '/../', '%2f', '%2F'].find((bad) => path.includes(bad));
  if (sequence) return `contains ${JSON.stringify(sequence)}, which the API server refuses in ${pathType} Ingress paths`;
  const suffix = ['/..', '/.'].find((bad) => path.endsWith(bad));
  if (suffix) return `ends with ${JSON.stringify(suffix)}, which the API server refuses in ${pathType} Ingress paths`;
  return undefined;
}

/** True when a request to `path` is inside prefix `prefix`, element-wise (`/api` covers `/api/x`, not `/apix`). */
export function withinPrefix(path: string, prefix: string): boolean {
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return prefix === '/' || path === prefix || path.startsWith(base);
}

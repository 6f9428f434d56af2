import { CLUSTER_ANNOTATION } from '../core/cluster';

/**
 * Reading synthesized or hand-written manifests (plain JSON from YAML) defensively: a field that
 * is missing or of another shape reads as empty, never as a prototype member.
 */

/** The value at `path`, through own keys only; undefined when any step is missing. */
export function get(object: unknown, ...path: string[]): unknown {
  let node = object;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** `value` if it is a list, else an empty one. */
export function list<T = unknown>(value: unknown): T[] {
  return Array.isArray(value) ? value as T[] : [];
}

/** `value` if it is a map (labels, annotations, a selector), else an empty one. */
export function labelsOf(value: unknown): Record<string, string> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, string> : {};
}

/** A boolean annotation as Go's strconv.ParseBool reads it (ingress-nginx's canary flag): true only for these spellings. */
export function goTrue(value: unknown): boolean {
  return typeof value === 'string' && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

/**
 * The namespace an object lands in: its own, else the one `kubectl apply` uses, so that no
 * namespace and `default` are the same objects.
 */
export function namespaceOf(object: unknown): string {
  const ns = get(object, 'metadata', 'namespace');
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

/** The class an Ingress names: spec.ingressClassName, else the older kubernetes.io/ingress.class annotation. */
export function ingressClassOf(ingress: unknown): string {
  const name = get(ingress, 'spec', 'ingressClassName');
  if (typeof name === 'string') return name;
  const annotation = labelsOf(get(ingress, 'metadata', 'annotations'))['kubernetes.io/ingress.class'];
  return typeof annotation === 'string' ? annotation : '';
}

/** The cluster a manifest records (CanaryScope's annotation); '' for one that records none. */
export function clusterOfManifest(m: unknown): string {
  const value = get(m, 'metadata', 'annotations', CLUSTER_ANNOTATION);
  return typeof value === 'string' ? value : '';
}

/**
 * `items` by the cluster their manifests record, '' (none) first, then by name: objects of
 * different clusters never meet in one cluster, so each group is checked and read on its own.
 */
export function groupByCluster<T>(items: readonly T[], manifestOf: (item: T) => unknown): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const cluster = clusterOfManifest(manifestOf(item));
    const group = groups.get(cluster);
    if (group) group.push(item);
    else groups.set(cluster, [item]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

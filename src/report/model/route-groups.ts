import { list } from '../../checks/manifest-fields';
import { hostsOverlap } from '../../core/hosts';
import { Manifest, ns, ObjectIndex } from './object-index';

/**
 * The Gateway API routes one router merges: routes of one kind attached to the same parent
 * (a Gateway, or a Service for mesh traffic) whose hostnames intersect (none: every host). A
 * Gateway matches a request against the rules of all of them at once (HTTPRouteRule
 * precedence applies across routes), so a canary whose tracks sit in different routes is one
 * canary, and each route is read with the others of its group.
 */

const parentKeys = (route: Manifest): string[] => list<Manifest>(route.spec?.parentRefs)
  .map((p) => `${p?.kind ?? 'Gateway'}/${p?.namespace ?? ns(route)}/${p?.name}`);

/** The listeners of `gateway` that parentRef `p` attaches to: by `sectionName` and `port` when it names them. */
export function attachedListeners(gateway: Manifest, p: Manifest): Manifest[] {
  return list<Manifest>(gateway.spec?.listeners).filter((l) => (p?.sectionName === undefined || l?.name === p.sectionName) && (p?.port === undefined || l?.port === p.port));
}

/**
 * The host names a route answers for: its own, narrowed to those of the Gateway listeners it
 * attaches to (by `sectionName` or `port`; HTTPRouteSpec.hostnames: a route without host names
 * takes the listener's). Empty: any host. Listeners not in the input narrow nothing.
 */
export function effectiveHostnames(index: ObjectIndex, route: Manifest): string[] {
  let cache = hostnames.get(index);
  if (!cache) hostnames.set(index, cache = new Map());
  let found = cache.get(route);
  if (!found) cache.set(route, found = computeHostnames(index, route));
  return found;
}

/** Each route's effective host names, worked out once per input (grouping and reading both ask). */
const hostnames = new WeakMap<ObjectIndex, Map<Manifest, string[]>>();

function computeHostnames(index: ObjectIndex, route: Manifest): string[] {
  const own = list<unknown>(route.spec?.hostnames).map(String);
  const listenerHosts: (string | undefined)[] = [];
  for (const p of list<Manifest>(route.spec?.parentRefs)) {
    if ((p?.kind ?? 'Gateway') !== 'Gateway') return own;
    const gateway = index.gatewayNamed(p?.name, p?.namespace ?? ns(route));
    if (!gateway) return own;
    for (const l of attachedListeners(gateway, p)) listenerHosts.push(typeof l?.hostname === 'string' && l.hostname !== '' ? l.hostname : undefined);
  }
  if (listenerHosts.length === 0 || listenerHosts.includes(undefined)) return own;
  const listenerNames = [...new Set(listenerHosts as string[])];
  if (own.length === 0) return listenerNames;
  // Each pair that intersects leaves the narrower name (a name within a wildcard).
  const narrowed = own.flatMap((h) => listenerNames.filter((l) => hostsOverlap(h, l)).map((l) => (h.startsWith('*') && !l.startsWith('*') ? l : h.startsWith('*') && l.startsWith('*') && l.length > h.length ? l : h)));
  return [...new Set(narrowed)];
}

function hostnamesIntersect(index: ObjectIndex, a: Manifest, b: Manifest): boolean {
  const [x, y] = [effectiveHostnames(index, a), effectiveHostnames(index, b)];
  return x.length === 0 || y.length === 0 || x.some((h) => y.some((k) => hostsOverlap(h, k)));
}

const groups = new WeakMap<ObjectIndex, Map<Manifest, Manifest[]>>();

/** The routes read together with `route` (itself first, then the others by namespace/name). */
export function routeGroupOf(index: ObjectIndex, route: Manifest): Manifest[] {
  let byRoute = groups.get(index);
  if (!byRoute) {
    byRoute = buildGroups(index);
    groups.set(index, byRoute);
  }
  const group = byRoute.get(route) ?? [route];
  return [route, ...group.filter((r) => r !== route)];
}

function buildGroups(index: ObjectIndex): Map<Manifest, Manifest[]> {
  const byParent = new Map<string, Manifest[]>();
  for (const route of index.all.filter((m) => m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute')) {
    for (const key of new Set(parentKeys(route))) {
      const k = `${route.kind}|${key}`;
      const members = byParent.get(k);
      if (members) members.push(route);
      else byParent.set(k, [route]);
    }
  }
  // Union of routes that share a parent and a host: connected components.
  const parent = new Map<Manifest, Manifest>();
  const root = (r: Manifest): Manifest => {
    let x = r;
    while (parent.get(x) !== undefined && parent.get(x) !== x) x = parent.get(x)!;
    return x;
  };
  const union = (a: Manifest, b: Manifest) => {
    const [x, y] = [root(a), root(b)];
    if (x !== y) parent.set(y, x);
  };
  for (const members of byParent.values()) {
    for (const r of members) if (!parent.has(r)) parent.set(r, r);
    // Exact host names join through a map (linear); routes with a wildcard or no host name are
    // compared with every other route of the parent (few in practice).
    const byHost = new Map<string, Manifest>();
    const wide: Manifest[] = [];
    for (const r of members) {
      const hosts = effectiveHostnames(index, r);
      if (hosts.length === 0 || hosts.some((h) => h.startsWith('*'))) wide.push(r);
      for (const h of hosts.filter((x) => !x.startsWith('*'))) {
        const first = byHost.get(h);
        if (first) union(first, r);
        else byHost.set(h, r);
      }
    }
    for (const w of wide) for (const r of members) if (r !== w && hostnamesIntersect(index, w, r)) union(w, r);
  }
  const components = new Map<Manifest, Manifest[]>();
  for (const r of parent.keys()) {
    const c = components.get(root(r));
    if (c) c.push(r);
    else components.set(root(r), [r]);
  }
  const byRoute = new Map<Manifest, Manifest[]>();
  const name = (r: Manifest) => `${ns(r)}/${r.metadata?.name}`;
  for (const members of components.values()) {
    const sorted = [...members].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
    for (const r of members) byRoute.set(r, sorted);
  }
  return byRoute;
}

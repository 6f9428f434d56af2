import { labelsOf, list } from '../../checks/manifest-fields';
import { hostsOverlap } from '../../core/hosts';
import { compareRanks } from '../../core/route-precedence';
import { gatewayMatchRank } from './conditions';
import { add, Fraction, fraction, mul, ZERO } from './fraction';
import { Manifest, ns, ObjectIndex } from './object-index';
import { gatewayMatch, SampleRequest, takes } from './requests';
import { attachedListeners } from './route-groups';
import { MAX_WEIGHT, readWeight } from './tracks';

/**
 * One request through a Gateway, as the Gateway API specification routes it: the listeners
 * whose hostname takes the request's host; the HTTPRoutes (or GRPCRoutes) attached to them
 * (parentRef name, namespace, `sectionName` and `port`; `allowedRoutes` Same or All) whose
 * hostnames intersect the listener's; every match of every rule of those routes merged, ranked
 * across routes (the most specific hostname, then the HTTPRouteRule / GRPCRouteRule precedence,
 * then the oldest route, here by namespace/name, then rule order); the first that takes the
 * request, split over its backendRefs by weight and over each Service's pods by replica count.
 * No match: 404. Hostname rules: HTTPRouteSpec.hostnames and Listener.hostname in the API
 * reference; the precedence: HTTPRouteRule's and GRPCRouteRule's documentation.
 */

/** A request at a Gateway. */
export interface GatewayRequest {
  readonly host: string;
  /** The path, with `?query` (HTTP); for gRPC `/<package.Service>/<Method>`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly method?: string;
  /** Routed by GRPCRoutes instead of HTTPRoutes. */
  readonly grpc?: boolean;
}

/** Where it goes: the share of each Deployment (`namespace/name`), or why nothing takes it. */
export interface GatewayAnswer {
  readonly shares: ReadonlyMap<string, Fraction>;
  /** `404` when no rule takes the request, `500` when its rule has no backend that can serve. */
  readonly status?: 404 | 500;
  /** The route and rule that took it. */
  readonly rule?: string;
}

interface Candidate {
  readonly route: Manifest;
  readonly rule: Manifest;
  readonly ruleIndex: number;
  readonly match: Manifest | undefined;
  readonly rank: number[];
  readonly tie: string;
}

/** Whether host name pattern `pattern` (`*.example.com`: a suffix of at least one label) takes `host`, case-insensitively. */
export function hostTakes(pattern: string, host: string): boolean {
  return hostsOverlap(pattern.toLowerCase(), host.toLowerCase());
}

/** The listeners of `gateway` that `route` attaches to, through any of its parentRefs. */
function listenersTaking(route: Manifest, gateway: Manifest): Manifest[] {
  const refs = list<Manifest>(route.spec?.parentRefs).filter((p) => (p?.kind ?? 'Gateway') === 'Gateway'
    && (p?.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io'
    && p?.name === gateway.metadata?.name && (p?.namespace ?? ns(route)) === ns(gateway));
  return [...new Set(refs.flatMap((p) => attachedListeners(gateway, p)))];
}

function admits(listener: Manifest, gateway: Manifest, route: Manifest): boolean {
  const from = listener?.allowedRoutes?.namespaces?.from ?? 'Same';
  return from === 'All' || (from === 'Same' && ns(route) === ns(gateway)) || from === 'Selector';
}

/** The route hostname that takes `host` on `listener`, ranked (non-wildcard characters, characters), or undefined. */
function hostnameRank(route: Manifest, listener: Manifest, host: string): number[] | undefined {
  const listenerHost = typeof listener?.hostname === 'string' && listener.hostname !== '' ? listener.hostname : undefined;
  if (listenerHost !== undefined && !hostTakes(listenerHost, host)) return undefined;
  const names = list<unknown>(route.spec?.hostnames).map(String);
  if (names.length === 0) return [0, 0];
  const taking = names.filter((n) => hostTakes(n, host));
  if (taking.length === 0) return undefined;
  const best = taking.map((n) => [n.startsWith('*.') ? 0 : n.length, n.length]).reduce((a, b) => (compareRanks(a, b) >= 0 ? a : b));
  return best;
}

function sample(request: GatewayRequest): SampleRequest {
  const [path, search = ''] = request.path.split('?');
  const query: Record<string, string> = {};
  for (const pair of search.split('&').filter(Boolean)) {
    const [k, v = ''] = pair.split('=');
    // The first value of a repeated parameter is the one matched (HTTPQueryParamMatch docs).
    if (!(decodeURIComponent(k) in query)) query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers, path, query, method: request.method ?? (request.grpc ? 'POST' : 'GET') };
}

/** Where `request` goes through Gateway `namespace/name` of the input. */
export function routeGatewayRequest(index: ObjectIndex, gatewayRef: { namespace: string; name: string }, request: GatewayRequest): GatewayAnswer {
  const gateway = index.gatewayNamed(gatewayRef.name, gatewayRef.namespace);
  const kind = request.grpc ? 'GRPCRoute' : 'HTTPRoute';
  const candidates: Candidate[] = [];
  for (const route of gateway ? index.all.filter((m) => m.kind === kind) : []) {
    for (const listener of listenersTaking(route, gateway!)) {
      if (!['HTTP', 'HTTPS'].includes(listener?.protocol) || !admits(listener, gateway!, route)) continue;
      const host = hostnameRank(route, listener, request.host);
      if (!host) continue;
      list<Manifest>(route.spec?.rules).forEach((rule, ruleIndex) => {
        const matches = list<Manifest>(rule?.matches);
        for (const match of matches.length > 0 ? matches : [undefined]) {
          candidates.push({ route, rule, ruleIndex, match, rank: [...host, ...gatewayMatchRank(match, !!request.grpc)], tie: `${ns(route)}/${route.metadata?.name}` });
        }
      });
    }
  }
  candidates.sort((a, b) => compareRanks(b.rank, a.rank) || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0) || a.ruleIndex - b.ruleIndex);
  const req = sample(request);
  const taken = candidates.find((c) => takes(c.match === undefined ? [] : gatewayMatch([c.match], !!request.grpc), req));
  if (!taken) return { shares: new Map(), status: 404 };
  return { ...split(index, taken.route, taken.rule), rule: `${taken.tie} rules[${taken.ruleIndex}]` };
}

/** The rule's backendRefs by weight (default 1), each Service's pods by replica count (default 1). */
function split(index: ObjectIndex, route: Manifest, rule: Manifest): { shares: Map<string, Fraction>; status?: 500 } {
  const refs = list<Manifest>(rule?.backendRefs);
  // A weight the CRD refuses counts as 0, as the canary view reads it (the problem is said there).
  const weights = refs.map((r) => readWeight(r?.weight, 1, MAX_WEIGHT.gateway, () => undefined));
  const total = weights.reduce((a, b) => a + b, 0);
  const shares = new Map<string, Fraction>();
  if (total === 0) return { shares, status: 500 };
  refs.forEach((ref, j) => {
    if (weights[j] === 0) return;
    const service = index.serviceNamed(ref?.name, ref?.namespace ?? ns(route));
    const deployments = service ? index.deploymentsSelected(ns(service), labelsOf(service.spec?.selector)) : [];
    const replicas = deployments.map((d) => (typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1));
    const pods = replicas.reduce((a, b) => a + b, 0);
    deployments.forEach((d, k) => {
      if (replicas[k] === 0) return;
      const key = `${ns(d)}/${d.metadata?.name}`;
      shares.set(key, add(shares.get(key) ?? ZERO, mul(fraction(weights[j], total), fraction(replicas[k], pods))));
    });
  });
  return shares.size === 0 ? { shares, status: 500 } : { shares };
}

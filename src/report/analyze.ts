import { checkManifests } from '../cli/manifest-checks';
import { resolveIstioHost } from '../core/hosts';
import { selectorMatches } from '../core/labels';
import { labelsOf, list } from '../core/manifest-fields';
import { DEFAULT_NAMESPACE } from '../core/ownership';
import { compareRanks, grpcRouteRank, httpRouteRank } from '../core/route-precedence';
import { add, Fraction, fraction, mul, ONE, sub, ZERO } from './fraction';
import { LoadedObject } from './load';

/**
 * What a directory of YAML does to traffic, read from the YAML alone: each canary the library
 * emitted (found by its labels), its entry points, its routes in the order the router evaluates
 * them with the exact share each track receives, its pods, and the problems that would misroute.
 * The semantics are the routers': Istio's first matching http route and subset labels, Gateway
 * API's rule precedence and backendRef weights, ingress-nginx's header > cookie > weight, and
 * kube-proxy's spread over ready pods.
 */

type Manifest = LoadedObject['object'];

export type ReportStrategy = 'ReplicaCanary' | 'IstioCanary' | 'GatewayCanary' | 'NginxCanary';

/** One track: its Deployment, pods and images. */
export interface TrackReport {
  readonly deployment: string;
  /** Pods as the YAML sets them: a count, or the autoscaler's bounds. */
  readonly pods: string;
  /** Pods counted for a pod-ratio split (an autoscaled track: its minReplicas). */
  readonly podCount: number;
  readonly images: string[];
  readonly version?: string;
}

/** One route, in evaluation order. */
export interface RouteReport {
  readonly name: string;
  /** The requests it takes, in words (`every request` for the default). */
  readonly conditions: string;
  readonly stable: Fraction;
  readonly canary: Fraction;
}

/** One canary. */
export interface CanaryReport {
  /** The file holding the stable Deployment. */
  readonly file: string;
  readonly namespace: string;
  readonly name: string;
  readonly strategy: ReportStrategy;
  readonly entries: string[];
  readonly routes: RouteReport[];
  readonly stable: TrackReport;
  readonly canary?: TrackReport;
  readonly caveats: string[];
}

/** A problem, with the object and file it is about. */
export interface ReportProblem {
  readonly file: string;
  readonly object: string;
  readonly message: string;
}

export interface TrafficReport {
  readonly canaries: CanaryReport[];
  readonly problems: ReportProblem[];
}

const MANAGED_BY = 'app.kubernetes.io/managed-by';
const NGINX = 'nginx.ingress.kubernetes.io/';
/** ingress-nginx's canary annotation reads booleans the way Go's strconv.ParseBool does. */
const TRUE = ['1', 't', 'T', 'true', 'TRUE', 'True'];

const ns = (m: Manifest): string => m.metadata?.namespace || DEFAULT_NAMESPACE;
const id = (m: Manifest): string => `${m.kind}/${m.metadata?.name}`;

interface Track {
  readonly track: 'stable' | 'canary';
  readonly deployment: Manifest;
  readonly labels: Record<string, string>;
  readonly podCount: number;
}

/** Reads every canary of `objects` and what would misroute. */
export function analyze(objects: readonly LoadedObject[]): TrafficReport {
  const problems: ReportProblem[] = checkManifests(objects.map((o) => ({ file: o.file, manifest: o.object })))
    .map((p) => ({ file: p.file, object: p.object, message: p.message }));
  const fileOf = new Map(objects.map((o) => [o.object, o.file]));
  const all = objects.map((o) => o.object).filter((m) => m && typeof m === 'object');
  // Indexes, so that the report stays linear in the number of objects (bench/report.ts).
  const index = <K>(items: Manifest[], keyOf: (m: Manifest) => K | K[] | undefined): Map<K, Manifest[]> => {
    const map = new Map<K, Manifest[]>();
    for (const m of items) {
      const keys = keyOf(m);
      for (const k of keys === undefined ? [] : Array.isArray(keys) ? keys : [keys]) map.set(k, [...map.get(k) ?? [], m]);
    }
    return map;
  };
  const servicesByName = index(all.filter((m) => m.kind === 'Service'), (m) => `${ns(m)}|${m.metadata?.name}`);
  const serviceNamed = (name: string, namespaceOf: string): Manifest | undefined => servicesByName.get(`${namespaceOf}|${name}`)?.[0];
  /** Services by the `app` their selector names (`*` when it names none: such a Service may select any pod). */
  const servicesByApp = index(all.filter((m) => m.kind === 'Service'), (m) => `${ns(m)}|${labelsOf(m.spec?.selector).app ?? '*'}`);
  const autoscalerOf = index(all.filter((m) => m.kind === 'HorizontalPodAutoscaler'), (m) => `${ns(m)}|${m.spec?.scaleTargetRef?.kind}|${m.spec?.scaleTargetRef?.name}`);
  // A destination host as istiod resolves it (short names are in the rule's namespace), then the
  // Service it names when it is an in-cluster one (`<name>.<namespace>.svc[.cluster.local]`).
  const hostService = (host: string, fromNamespace: string): Manifest | undefined => {
    const [name, namespaceOf, svc] = resolveIstioHost(host, fromNamespace).split('.');
    return svc === 'svc' || svc === undefined ? serviceNamed(name, namespaceOf) : undefined;
  };
  const virtualServicesOf = new Map<Manifest, Manifest[]>();
  for (const vs of all.filter((m) => m.kind === 'VirtualService')) {
    const targets = new Set(list<Manifest>(vs.spec?.http).flatMap((r) => list<Manifest>(r.route).map((d) => hostService(String(d.destination?.host), ns(vs)))));
    for (const target of targets) if (target) virtualServicesOf.set(target, [...virtualServicesOf.get(target) ?? [], vs]);
  }
  const destinationRuleOf = new Map<Manifest, Manifest>();
  for (const dr of all.filter((m) => m.kind === 'DestinationRule')) {
    const target = hostService(String(dr.spec?.host), ns(dr));
    if (target && !destinationRuleOf.has(target)) destinationRuleOf.set(target, dr);
  }
  const refService = (route: Manifest, ref: Manifest) => ((ref.kind ?? 'Service') === 'Service' && (ref.group ?? '') === '' ? serviceNamed(ref.name, ref.namespace ?? ns(route)) : undefined);
  const routesOf = new Map<Manifest, Manifest[]>();
  for (const route of all.filter((m) => m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute')) {
    const targets = new Set(list<Manifest>(route.spec?.rules).flatMap((r) => list<Manifest>(r.backendRefs).map((b) => refService(route, b))));
    for (const target of targets) if (target) routesOf.set(target, [...routesOf.get(target) ?? [], route]);
  }
  const ingressBackend = (ing: Manifest) => serviceNamed(ing.spec?.rules?.[0]?.http?.paths?.[0]?.backend?.service?.name, ns(ing));
  const ingressesOf = index(all.filter((m) => m.kind === 'Ingress'), (m) => ingressBackend(m) && `${ns(m)}|${ingressBackend(m)!.metadata.name}`);
  const problem = (m: Manifest, message: string) => problems.push({ file: fileOf.get(m) ?? '?', object: id(m), message });

  // A host claimed by two VirtualServices: istiod merges them for gateways only, and for sidecars
  // keeps one, so which routes apply depends on creation order (Istio's VirtualService docs).
  const claimed = new Map<string, Manifest>();
  for (const vs of all.filter((m) => m.kind === 'VirtualService')) {
    const gateways = list<string>(vs.spec?.gateways);
    for (const scope of gateways.length === 0 ? ['mesh'] : gateways) {
      for (const host of list<string>(vs.spec?.hosts)) {
        const resolved = host.includes('.') || host.includes('*') ? host : `${host}.${ns(vs)}.svc.cluster.local`;
        const key = `${scope}|${resolved}`;
        const first = claimed.get(key);
        if (first && first !== vs) problem(vs, `claims host ${host} (${scope}) that ${id(first)} in ${ns(first)} claims too: which routes apply depends on creation order`);
        else claimed.set(key, vs);
      }
    }
  }
  // Two main Ingresses of one class for one host and path: ingress-nginx serves one of them.
  const mains = new Map<string, Manifest>();
  for (const ing of all.filter((m) => m.kind === 'Ingress' && !TRUE.includes(labelsOf(m.metadata?.annotations)[`${NGINX}canary`]))) {
    for (const rule of list<Manifest>(ing.spec?.rules)) {
      for (const path of list<Manifest>(rule.http?.paths)) {
        const key = `${ing.spec?.ingressClassName ?? ''}|${rule.host ?? ''}|${path.path}|${path.pathType}`;
        const first = mains.get(key);
        if (first && first !== ing) problem(ing, `routes ${rule.host ?? '(any host)'}${path.path} of class ${ing.spec?.ingressClassName} that ${id(first)} in ${ns(first)} routes too: ingress-nginx serves only one of them`);
        else mains.set(key, ing);
      }
    }
  }

  const groups = new Map<string, Manifest[]>();
  for (const d of all.filter((m) => m.kind === 'Deployment' && labelsOf(m.metadata?.labels)[MANAGED_BY] === 'cdk8s-canary')) {
    const key = `${ns(d)}|${labelsOf(d.metadata.labels).app}`;
    groups.set(key, [...groups.get(key) ?? [], d]);
  }

  const canaries: CanaryReport[] = [];
  for (const [key, deployments] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [namespace, app] = key.split('|');
    const hpaOf = (d: Manifest) => autoscalerOf.get(`${namespace}|Deployment|${d.metadata.name}`)?.[0];
    const trackOf = (name: 'stable' | 'canary'): Track | undefined => {
      const d = deployments.find((x) => labelsOf(x.metadata.labels).track === name);
      if (!d) return undefined;
      const hpa = hpaOf(d);
      return { track: name, deployment: d, labels: labelsOf(d.spec?.template?.metadata?.labels), podCount: hpa ? hpa.spec.minReplicas ?? 1 : d.spec?.replicas ?? 1 };
    };
    const stable = trackOf('stable');
    if (!stable) continue;
    const canary = trackOf('canary');
    const tracks = [stable, ...(canary ? [canary] : [])];
    const trackReport = (t: Track): TrackReport => {
      const hpa = hpaOf(t.deployment);
      return {
        deployment: t.deployment.metadata.name,
        pods: hpa ? `${hpa.spec.minReplicas ?? 1}-${hpa.spec.maxReplicas} (autoscaled)` : String(t.podCount),
        podCount: t.podCount,
        images: list<Manifest>(t.deployment.spec?.template?.spec?.containers).map((c) => c.image),
        version: t.labels.version,
      };
    };

    /** The share of each track among the ready pods a selector (and subset labels) reaches. */
    const spread = (selector: Record<string, string>, extra: Record<string, string> = {}): { stable: Fraction; canary: Fraction; pods: number } => {
      const reached = tracks.filter((t) => Object.keys(selector).length > 0 && selectorMatches({ ...selector, ...extra }, t.labels));
      const pods = reached.reduce((n, t) => n + t.podCount, 0);
      const share = (name: string) => (pods === 0 ? ZERO : fraction(reached.filter((t) => t.track === name).reduce((n, t) => n + t.podCount, 0), pods));
      return { stable: share('stable'), canary: share('canary'), pods };
    };
    const services = [...servicesByApp.get(`${namespace}|${app}`) ?? [], ...servicesByApp.get(`${namespace}|*`) ?? []]
      .filter((s) => tracks.some((t) => Object.keys(labelsOf(s.spec?.selector)).length > 0 && selectorMatches(labelsOf(s.spec.selector), t.labels)));

    const base = { file: fileOf.get(stable.deployment) ?? '?', namespace, name: app, stable: trackReport(stable), canary: canary && trackReport(canary) };
    const report = istio(services) ?? gateway(services) ?? nginx(namespace, services) ?? replica(services);
    canaries.push({ ...base, ...report });

    function istio(svcs: Manifest[]): Omit<CanaryReport, keyof typeof base> | undefined {
      const virtualServices = [...new Set(svcs.flatMap((svc) => virtualServicesOf.get(svc) ?? []))];
      if (virtualServices.length === 0) return undefined;
      const vs = virtualServices[0];
      const caveats: string[] = [];
      const routes = list<Manifest>(vs.spec.http).map((route, i): RouteReport => {
        const destinations = list<Manifest>(route.route);
        // One destination takes everything; several split by their weights (a missing one is 0).
        // Weights that do not sum to 100 are reported by the manifest checks (checkManifests).
        const weights = destinations.map((d) => (destinations.length === 1 ? d.weight ?? 100 : d.weight ?? 0));
        const shares = weightedShares(weights, (j) => {
          const d = destinations[j];
          const service = hostService(String(d.destination?.host), ns(vs));
          if (!service) {
            problem(vs, `http[${i}].route[${j}] routes to ${d.destination?.host}, which is not a Service in the input`);
            return undefined;
          }
          const rule = destinationRuleOf.get(service);
          const subset = d.destination?.subset === undefined ? undefined : list<Manifest>(rule?.spec?.subsets).find((x) => x.name === d.destination.subset);
          if (d.destination?.subset !== undefined && !subset) {
            problem(vs, `http[${i}].route[${j}] names subset ${d.destination.subset}, which no DestinationRule for ${service.metadata.name} defines: those requests fail (503)`);
            return undefined;
          }
          const reached = spread(labelsOf(service.spec?.selector), labelsOf(subset?.labels));
          if (reached.pods === 0 && weights[j] > 0) problem(vs, `http[${i}].route[${j}] sends ${weights[j]} % to ${service.metadata.name}${subset ? ` subset ${subset.name}` : ''}, which selects no ready pod`);
          return reached;
        });
        if (route.mirror) caveats.push(`${route.name ?? `http[${i}]`} mirrors ${route.mirrorPercentage?.value ?? 100} % of its requests to ${route.mirror.subset ?? route.mirror.host} (responses discarded)`);
        if (route.fault) caveats.push(`${route.name ?? `http[${i}]`} injects faults (${Object.keys(route.fault).join(', ')}) into the requests it takes`);
        return { name: route.name ?? `http[${i}]`, conditions: istioConditions(list(route.match), i > 0), ...shares };
      });
      const gateways = list<string>(vs.spec.gateways);
      const mesh = gateways.length === 0 || gateways.includes('mesh');
      const entries = [
        ...(mesh ? list<string>(vs.spec.hosts).map((h) => `service ${h} (mesh, namespace ${ns(vs)})`) : []),
        ...gateways.filter((g) => g !== 'mesh').map((g) => `gateway ${g}: ${list<string>(vs.spec.hosts).join(', ')}`),
      ];
      caveats.unshift('callers without an Istio sidecar reach the Service directly and are spread by pod count, not by these routes');
      return { strategy: 'IstioCanary', entries, routes, caveats };
    }

    function gateway(svcs: Manifest[]): Omit<CanaryReport, keyof typeof base> | undefined {
      const route = svcs.flatMap((svc) => routesOf.get(svc) ?? [])[0];
      if (!route) return undefined;
      const grpc = route.kind === 'GRPCRoute';
      // Gateway API rule precedence (HTTPRouteRule / GRPCRouteRule docs); ties keep the listed order.
      const rules = list<Manifest>(route.spec.rules).map((rule, index) => ({ rule, index }))
        .sort((a, b) => compareRanks(rank(b.rule, grpc), rank(a.rule, grpc)) || a.index - b.index);
      const routes = rules.map(({ rule, index }, position): RouteReport => {
        const refs = list<Manifest>(rule.backendRefs);
        const weights = refs.map((r) => r.weight ?? 1);
        if (refs.length > 0 && weights.every((w) => w === 0)) problem(route, `rules[${index}] has only zero weights: its requests get errors`);
        const shares = weightedShares(weights, (j) => {
          const service = refService(route, refs[j]);
          if (!service) {
            problem(route, `rules[${index}].backendRefs[${j}] names ${refs[j].name}, which is not a Service in the input`);
            return undefined;
          }
          const reached = spread(labelsOf(service.spec?.selector));
          if (reached.pods === 0 && weights[j] > 0) problem(route, `rules[${index}].backendRefs[${j}] sends requests to ${service.metadata.name}, which selects no ready pod`);
          return reached;
        });
        return { name: `rules[${index}]`, conditions: gatewayConditions(list(rule.matches), grpc, position > 0), ...shares };
      });
      const hostnames = list<string>(route.spec.hostnames);
      const entries = list<Manifest>(route.spec.parentRefs).map((p) => (p.kind === 'Service'
        ? `service ${p.name}.${p.namespace ?? ns(route)} (mesh, ${route.kind})`
        : `gateway ${p.namespace ?? ns(route)}/${p.name}${p.sectionName ? `/${p.sectionName}` : ''}: ${hostnames.length > 0 ? hostnames.join(', ') : 'any host'} (${route.kind})`));
      return { strategy: 'GatewayCanary', entries, routes, caveats: [] };
    }

    function nginx(namespace_: string, svcs: Manifest[]): Omit<CanaryReport, keyof typeof base> | undefined {
      const backendOf = ingressBackend;
      const ingresses = [...new Set(svcs.flatMap((svc) => ingressesOf.get(`${namespace_}|${svc.metadata.name}`) ?? []))];
      const isCanary = (ing: Manifest) => TRUE.includes(labelsOf(ing.metadata?.annotations)[`${NGINX}canary`]);
      const main = ingresses.find((ing) => !isCanary(ing) && svcs.includes(backendOf(ing) as Manifest));
      if (!main) return undefined;
      const path = main.spec.rules[0].http.paths[0];
      const key = (ing: Manifest) => {
        const p = ing.spec?.rules?.[0]?.http?.paths?.[0];
        return `${ing.spec?.ingressClassName}|${ing.spec?.rules?.[0]?.host ?? ''}|${p?.path}|${p?.pathType}`;
      };
      const canaryIngress = ingresses.find((ing) => isCanary(ing) && key(ing) === key(main));
      const stableReached = spread(labelsOf(backendOf(main)?.spec?.selector));
      const canaryReached = canaryIngress ? spread(labelsOf(backendOf(canaryIngress)?.spec?.selector)) : undefined;
      const routes: RouteReport[] = [];
      const caveats: string[] = [];
      const annotations = labelsOf(canaryIngress?.metadata?.annotations);
      // ingress-nginx's order (balancer.lua, route_to_alternative_balancer): header, then cookie, then weight.
      const toCanary = (name: string, conditions: string) => canaryReached && routes.push({ name, conditions, stable: canaryReached.stable, canary: canaryReached.canary });
      const header = annotations[`${NGINX}canary-by-header`];
      if (header) {
        const value = annotations[`${NGINX}canary-by-header-value`];
        const pattern = annotations[`${NGINX}canary-by-header-pattern`];
        toCanary('canary-by-header', value ? `header ${header} = ${value}` : pattern ? `header ${header} ~ /${pattern}/` : `header ${header} = always`);
      }
      const cookie = annotations[`${NGINX}canary-by-cookie`];
      if (cookie) toCanary('canary-by-cookie', `cookie ${cookie} = always`);
      const weight = Number(annotations[`${NGINX}canary-weight`] ?? 0);
      const total = Number(annotations[`${NGINX}canary-weight-total`] ?? 100);
      const w = canaryIngress && total > 0 ? fraction(Math.min(weight, total), total) : ZERO;
      routes.push({
        name: 'canary-weight',
        conditions: routes.length > 0 ? 'everyone else' : 'every request',
        stable: add(mul(sub(ONE, w), stableReached.stable), canaryReached ? mul(w, canaryReached.stable) : ZERO),
        canary: add(mul(sub(ONE, w), stableReached.canary), canaryReached ? mul(w, canaryReached.canary) : ZERO),
      });
      if (labelsOf(main.metadata?.annotations)[`${NGINX}affinity`] === 'cookie') caveats.push(`sticky sessions: a client keeps the track it got first (cookie ${labelsOf(main.metadata.annotations)[`${NGINX}session-cookie-name`] ?? 'INGRESSCOOKIE'})`);
      const rule = main.spec.rules[0];
      return { strategy: 'NginxCanary', entries: [`ingress ${rule.host ?? '(any host)'}${path.path} (${path.pathType}, class ${main.spec.ingressClassName})`], routes, caveats };
    }

    function replica(svcs: Manifest[]): Omit<CanaryReport, keyof typeof base> {
      const service = svcs.find((s) => tracks.every((t) => selectorMatches(labelsOf(s.spec.selector), t.labels))) ?? svcs[0];
      const reached = service ? spread(labelsOf(service.spec.selector)) : { stable: ZERO, canary: ZERO, pods: 0 };
      if (service && reached.pods === 0) problem(service, 'selects no ready pod: every request to it fails');
      return {
        strategy: 'ReplicaCanary',
        entries: service ? [`service ${service.metadata.name}.${ns(service)} (${service.spec?.type ?? 'ClusterIP'}${service.spec?.ports?.[0]?.nodePort ? `, node port ${service.spec.ports[0].nodePort}` : ''})`] : [],
        routes: [{ name: 'pods', conditions: 'every connection', stable: reached.stable, canary: reached.canary }],
        caveats: ['the split is per connection (kube-proxy picks a pod when a connection opens): keep-alive, HTTP/2 and gRPC clients send all their requests to one track'],
      };
    }
  }
  return { canaries, problems };
}

/** The shares of the tracks behind weighted targets; `reachedOf` is undefined for a target that reaches nothing. */
function weightedShares(weights: number[], reachedOf: (j: number) => { stable: Fraction; canary: Fraction } | undefined): { stable: Fraction; canary: Fraction } {
  const total = weights.reduce((a, b) => a + b, 0);
  let stable = ZERO;
  let canary = ZERO;
  weights.forEach((weight, j) => {
    const reached = reachedOf(j);
    if (!reached) return;
    const w = fraction(weight, total === 0 ? 1 : total);
    stable = add(stable, mul(w, reached.stable));
    canary = add(canary, mul(w, reached.canary));
  });
  return { stable, canary };
}





/** The precedence of a rule: its highest-ranked match (exact path, longest prefix, headers; gRPC: service, method, headers). */
function rank(rule: Manifest, grpc: boolean): number[] {
  const ranks = list<Manifest>(rule.matches).map((m) => {
    const headers = list(m.headers).length;
    if (grpc) return grpcRouteRank(String(m.method?.service ?? '').length, String(m.method?.method ?? '').length, headers);
    const path = m.path ?? { type: 'PathPrefix', value: '/' };
    return httpRouteRank(path.type, String(path.value ?? '').length, headers);
  });
  // No matches: every request (an HTTPRoute's implicit PathPrefix /).
  if (ranks.length === 0) return grpc ? grpcRouteRank(0, 0, 0) : httpRouteRank('PathPrefix', 1, 0);
  return ranks.reduce((best, r) => (compareRanks(r, best) > 0 ? r : best));
}

/** A match of every path and nothing else (`PathPrefix /`): the default rule of an HTTPRoute on `/`. */
function isRoutePathOnly(match: Manifest): boolean {
  const everyPath = match.path === undefined || (match.path.type === 'PathPrefix' && match.path.value === '/');
  return everyPath && list(match.headers).length === 0 && list(match.queryParams).length === 0 && match.method === undefined;
}

function istioConditions(matches: Manifest[], afterOthers: boolean): string {
  if (matches.length === 0) return afterOthers ? 'everyone else' : 'every request';
  return matches.map((m) => {
    const parts: string[] = [];
    for (const [kind, value] of Object.entries(labelsOf(m.uri))) parts.push(stringMatch('path', kind, value));
    for (const [name, condition] of Object.entries(m.headers ?? {})) {
      for (const [kind, value] of Object.entries(labelsOf(condition))) parts.push(stringMatch(`header ${name}`, kind, value));
    }
    return parts.join(' and ') || 'every request';
  }).join(' or ');
}

function stringMatch(subject: string, kind: string, value: string): string {
  return kind === 'exact' ? `${subject} = ${value}` : kind === 'prefix' ? `${subject} starts with ${value}` : `${subject} ~ /${value}/`;
}

function gatewayConditions(matches: Manifest[], grpc: boolean, afterOthers: boolean): string {
  if (matches.length === 0 || (matches.length === 1 && !grpc && isRoutePathOnly(matches[0]) && afterOthers)) return afterOthers ? 'everyone else' : 'every request';
  return matches.map((m) => {
    const parts: string[] = [];
    if (grpc && m.method) parts.push(`method ${m.method.service ?? '*'}/${m.method.method ?? '*'}`);
    if (!grpc && m.path) {
      parts.push(m.path.type === 'Exact' ? `path = ${m.path.value}` : m.path.type === 'PathPrefix' ? `path within ${m.path.value}` : `path ~ /${m.path.value}/`);
    }
    for (const h of list<Manifest>(m.headers)) parts.push(h.type === 'RegularExpression' ? `header ${h.name} ~ /${h.value}/` : `header ${h.name} = ${h.value}`);
    return parts.join(' and ') || 'every request';
  }).join(' or ');
}

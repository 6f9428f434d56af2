import { isAlbIngress } from '../cli/alb-checks';
import { checkManifests } from '../cli/manifest-checks';
import { ALB } from '../core/alb';
import { labelsOf, list } from '../core/manifest-fields';
import { discoverCanaries, FoundCanary } from './discover';
import { FractionRangeError, ZERO } from './fraction';
import { LoadedObject } from './load';
import { CanaryReport, ReportProblem, TrafficReport } from './model';
import { id, isCanaryIngress, Manifest, ns, ObjectIndex } from './object-index';
import { readAlb } from './routers/alb';
import { readGateway } from './routers/gateway';
import { readIstio } from './routers/istio';
import { readNginx } from './routers/nginx';
import { readReplica } from './routers/replica';
import { RouterContext } from './routers/router';
import { TrackSet } from './tracks';

export * from './model';

/**
 * What a directory of YAML does to traffic, read from the YAML alone: each canary (the library's,
 * found by its labels, and hand-written ones, found by what joins two Deployments), its entry
 * points, its routes in the order the router evaluates them with the exact share of each track,
 * its pods, and the problems that would misroute. The semantics are the routers' (see routers/):
 * Istio's first matching http route and subset labels, Gateway API's rule precedence and
 * backendRef weights, ingress-nginx's header > cookie > weight, and kube-proxy's spread over pods.
 */
export function analyze(objects: readonly LoadedObject[]): TrafficReport {
  const index = new ObjectIndex(objects);
  const problems: ReportProblem[] = checkManifests(objects.map((o) => ({ file: o.file, manifest: o.object })));
  const problem = (m: Manifest, field: string, message: string) => problems.push({ file: index.file(m), object: id(m), field, message });
  crossObjectProblems(index, problem);
  albShadowedRules(index, problem);
  const read = new Set<Manifest>();
  const canaries = discoverCanaries(index).flatMap((found) => {
    try {
      return [readCanary(index, found, problem, read)];
    } catch (e) {
      // Shares too fine for exact arithmetic (weights and pod counts chosen to overflow): said, not rounded.
      if (!(e instanceof FractionRangeError)) throw e;
      problem(found.deployments[0].deployment, '', `its canary ${found.name} cannot be shown exactly: ${e.message}`);
      return [];
    }
  });
  // Every other router is read too, for its problems: a VirtualService whose subsets select no
  // pod joins no two Deployments, so it is no canary, but its requests fail all the same.
  for (const router of index.all.filter((m) => ROUTER_KINDS.includes(m.kind) && !read.has(m) && !isCanaryIngress(m))) {
    const ctx: RouterContext = { index, tracks: new TrackSet(index, ns(router), []), services: [], problem, caveat: () => undefined };
    try {
      if (router.kind === 'VirtualService') readIstio(ctx, router);
      else if (router.kind === 'Ingress') {
        if (isAlbIngress(router)) readAlb(ctx, router);
        else readNginx(ctx, router);
      } else readGateway(ctx, router);
    } catch (e) {
      if (!(e instanceof FractionRangeError)) throw e;
      problem(router, '', e.message);
    }
  }
  return { canaries, problems: dedupe(problems) };
}

const ROUTER_KINDS = ['VirtualService', 'HTTPRoute', 'GRPCRoute', 'Ingress'];

/** An Ingress ingress-nginx serves: any but the AWS Load Balancer Controller's (routers/alb.ts). */
const isNginxIngress = (ing: Manifest) => !isAlbIngress(ing);

/** One canary: its router (Istio, then Gateway API, then ingress-nginx, else the Services alone). */
function readCanary(index: ObjectIndex, found: FoundCanary, problem: RouterContext['problem'], read: Set<Manifest>): CanaryReport {
  const tracks = new TrackSet(index, found.namespace, found.deployments);
  const services = [...new Set(found.deployments.flatMap((t) => index.servicesSelecting(t.deployment)))];
  const caveats: string[] = [];
  const ctx: RouterContext = { index, tracks, services, problem, caveat: (text) => caveats.push(text) };
  const first = (routers: Manifest[]) => [...new Set(routers)][0];
  const vs = first(services.flatMap((s) => index.virtualServicesOf(s)));
  const route = first(services.flatMap((s) => index.routesOf(s)));
  const alb = first(services.flatMap((s) => index.albIngressesOf(s)));
  const ingress = first(services.flatMap((s) => index.ingressesOf(s)).filter((ing) => !isCanaryIngress(ing) && isNginxIngress(ing)));
  const router = vs ?? route ?? alb ?? ingress;
  if (router) read.add(router);
  const reading = vs ? readIstio(ctx, vs) : route ? readGateway(ctx, route) : alb ? readAlb(ctx, alb) : ingress ? readNginx(ctx, ingress) : readReplica(ctx);
  const own = tracks.all.slice(0, found.deployments.length);
  // Other Deployments reached (a migration's legacy pods) come after the canary's own, by name.
  const others = tracks.all.slice(found.deployments.length).slice().sort((a, b) => (a.track < b.track ? -1 : a.track > b.track ? 1 : 0));
  const ordered = [...own, ...others];
  return {
    file: index.file(found.deployments[0].deployment),
    namespace: found.namespace,
    name: found.name,
    strategy: reading.strategy,
    origin: found.origin,
    entries: reading.entries,
    routes: reading.routes.map((r) => ({ name: r.name, conditions: r.conditions, shares: ordered.map((t) => r.shares.get(t) ?? ZERO) })),
    tracks: ordered.map((t) => tracks.report(t)),
    caveats: [...new Set(caveats)],
  };
}

/** Problems between objects that no one canary shows: a host or an Ingress path claimed twice. */
function crossObjectProblems(index: ObjectIndex, problem: RouterContext['problem']): void {
  // A host claimed by two VirtualServices: istiod merges them for gateways only, and for sidecars
  // keeps one, so which routes apply depends on creation order (Istio's VirtualService docs).
  const claimed = new Map<string, Manifest>();
  for (const vs of index.all.filter((m) => m.kind === 'VirtualService')) {
    const gateways = list<string>(vs.spec?.gateways);
    for (const scope of gateways.length === 0 ? ['mesh'] : gateways) {
      list<string>(vs.spec?.hosts).forEach((host, i) => {
        const resolved = String(host).includes('.') || String(host).includes('*') ? host : `${host}.${ns(vs)}.svc.cluster.local`;
        const key = `${scope}|${resolved}`;
        const first = claimed.get(key);
        if (first && first !== vs) problem(vs, `spec.hosts[${i}]`, `claims host ${host} (${scope}) that ${id(first)} in ${ns(first)} claims too: which routes apply depends on creation order`);
        else claimed.set(key, vs);
      });
    }
  }
  // Two main Ingresses of one class for one host and path: ingress-nginx serves one of them.
  const mains = new Map<string, Manifest>();
  for (const ing of index.all.filter((m) => m.kind === 'Ingress' && !isCanaryIngress(m) && isNginxIngress(m))) {
    list<Manifest>(ing.spec?.rules).forEach((rule, r) => {
      list<Manifest>(rule?.http?.paths).forEach((path, p) => {
        const key = `${ing.spec?.ingressClassName ?? labelsOf(ing.metadata?.annotations)['kubernetes.io/ingress.class'] ?? ''}|${rule?.host ?? ''}|${path?.path}|${path?.pathType}`;
        const first = mains.get(key);
        if (first && first !== ing) problem(ing, `spec.rules[${r}].http.paths[${p}]`, `routes ${rule?.host ?? '(any host)'}${path?.path} of class ${ing.spec?.ingressClassName} that ${id(first)} in ${ns(first)} routes too: ingress-nginx serves only one of them`);
        else mains.set(key, ing);
      });
    });
  }
}

/**
 * Two ALB rules with the same host, path and path type and no conditions, in one ALB (one
 * IngressGroup, or one Ingress): the controller orders them (group.order, then namespace/name,
 * then listed order) and the later one never takes a request.
 */
function albShadowedRules(index: ObjectIndex, problem: RouterContext['problem']): void {
  const first = new Map<string, { ingress: Manifest; where: string }>();
  for (const ing of index.all.filter(isAlbIngress)) {
    const annotations = labelsOf(ing.metadata?.annotations);
    const group = annotations[`${ALB}group.name`] ?? `${ns(ing)}/${ing.metadata?.name}`;
    list<Manifest>(ing.spec?.rules).forEach((rule, r) => {
      list<Manifest>(rule?.http?.paths).forEach((path, p) => {
        const service = path?.backend?.service;
        if (service?.port?.name === 'use-annotation' && annotations[`${ALB}conditions.${service?.name}`] !== undefined) return;
        const key = `${group}|${rule?.host ?? ''}|${path?.pathType}|${path?.path}`;
        const seen = first.get(key);
        const where = `${rule?.host ?? '(any host)'}${path?.path} (${path?.pathType})`;
        if (seen) problem(ing, `spec.rules[${r}].http.paths[${p}]`, `routes ${where} without conditions, as ${id(seen.ingress)} in ${ns(seen.ingress)} does in ${annotations[`${ALB}group.name`] ? `IngressGroup ${group}` : 'the same Ingress'}: the ALB evaluates one of them first and the other never takes a request`);
        else first.set(key, { ingress: ing, where });
      });
    });
  }
}

/** One problem once, even when two canaries read the same router. */
function dedupe(problems: ReportProblem[]): ReportProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.file, p.object, p.field, p.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

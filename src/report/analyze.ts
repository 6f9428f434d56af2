import { isAlbIngress } from '../checks/alb-checks';
import { LoadedObject } from '../checks/load';
import { inCluster } from '../checks/manifest';
import { checkClusterManifests } from '../checks/manifest-checks';
import { groupByCluster } from '../checks/manifest-fields';
import { crossObjectProblems } from './cross-checks';
import { discoverCanaries, FoundCanary } from './discover';
import { belongsTo, engineManaged } from './model/engines';
import { FractionRangeError, ZERO } from './model/fraction';
import { id, isCanaryIngress, Manifest, ns, ObjectIndex } from './model/object-index';
import { CanaryReport, ReportProblem, TrafficReport } from './model/results';
import { routeGroupOf } from './model/route-groups';
import { TrackSet } from './model/tracks';
import { readAlb } from './routers/alb';
import { readGateway } from './routers/gateway';
import { readIstio } from './routers/istio';
import { readNginx } from './routers/nginx';
import { readReplica } from './routers/replica';
import { RouterContext } from './routers/router';

export * from './model/results';

/**
 * What a directory of YAML does to traffic, read from the YAML alone: each canary (the library's,
 * found by its labels, and hand-written ones, found by what joins two Deployments), its entry
 * points, its routes in the order the router evaluates them with the exact share of each track,
 * its pods, and the problems that would misroute. The semantics are the routers' (see routers/):
 * Istio's first matching http route and subset labels, Gateway API's rule precedence and
 * backendRef weights, ingress-nginx's header > cookie > weight, and kube-proxy's spread over pods.
 */
export function analyze(all: readonly LoadedObject[]): TrafficReport {
  const clusters = groupByCluster(all, (o) => o.object);
  if (clusters.length === 1 && clusters[0][0] === '') return analyzeCluster(all);
  // Each cluster's objects (CanaryScope) are read on their own: names and routes are unique per cluster.
  const reports = clusters.map(([cluster, objects]) => ({ cluster, report: analyzeCluster(objects) }));
  const named = <T extends object>(cluster: string, item: T) => (cluster === '' ? item : { ...item, cluster });
  return {
    canaries: reports.flatMap(({ cluster, report }) => report.canaries.map((c) => named(cluster, c))),
    problems: reports.flatMap(({ cluster, report }) => report.problems.map((p) => inCluster(p, cluster))),
    engineManaged: reports.flatMap(({ cluster, report }) => (report.engineManaged ?? []).map((c) => named(cluster, c))),
  };
}

function analyzeCluster(all: readonly LoadedObject[]): TrafficReport {
  const managed = engineManaged(all);
  const objects = all.filter((o) => !belongsTo(managed, o.object));
  const index = new ObjectIndex(objects);
  const problems: ReportProblem[] = checkClusterManifests(objects.map((o) => ({ file: o.file, manifest: o.object })));
  const problem = (m: Manifest, field: string, message: string) => problems.push({ file: index.file(m), object: id(m), field, message });
  crossObjectProblems(index, problem);
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
      } else readGateway(ctx, [router]);
    } catch (e) {
      if (!(e instanceof FractionRangeError)) throw e;
      problem(router, '', e.message);
    }
  }
  return { canaries, problems: dedupe(problems), engineManaged: managed.canaries };
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
  // A Gateway merges the routes of one parent and host: they are read together (route-groups.ts).
  const routeGroup = route && routeGroupOf(index, route);
  if (router) read.add(router);
  for (const member of routeGroup ?? []) read.add(member);
  const reading = vs ? readIstio(ctx, vs) : routeGroup ? readGateway(ctx, routeGroup) : alb ? readAlb(ctx, alb) : ingress ? readNginx(ctx, ingress) : readReplica(ctx);
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
    entryPoints: reading.entryPoints,
    routes: reading.routes.map((r) => ({ name: r.name, conditions: r.conditions, shares: ordered.map((t) => r.shares.get(t) ?? ZERO), when: r.when })),
    tracks: ordered.map((t) => tracks.report(t)),
    caveats: [...new Set(caveats)],
  };
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

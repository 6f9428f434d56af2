import { labelsOf } from '../../checks/manifest-fields';
import { isLibraryObject, Manifest, ns } from '../model/object-index';
import { emptyTargetMessage, RouterContext, RouteReading, RouterReading } from './router';

/**
 * No router: the Service spreads connections over the ready pods it selects (kube-proxy picks an
 * endpoint per connection, each alike), so each Deployment gets its share of the pods. One route
 * per Service that selects the canary's pods; the callers' Service (it selects all of them) comes last.
 */
export function readReplica(ctx: RouterContext): RouterReading {
  const own = ctx.tracks.all.slice();
  // The callers' Service last: one that selects every track, the library's own before any other.
  const rank = (s: Manifest) => (own.every((t) => ctx.index.servicesSelecting(t.deployment).includes(s)) ? 2 : 0) + (isLibraryObject(s) ? 1 : 0);
  const services = [...ctx.services].sort((a, b) => rank(a) - rank(b));
  const routes: RouteReading[] = services.map((service) => {
    const reached = ctx.tracks.spread(labelsOf(service.spec?.selector));
    if (reached.pods === 0) ctx.problem(service, 'spec.selector', emptyTargetMessage('receives the canary\'s connections', reached, 'every connection to it fails'));
    return { name: `service ${service.metadata?.name}`, conditions: 'every connection', shares: reached.shares };
  });
  ctx.caveat('the split is per connection (kube-proxy picks a pod when a connection opens): keep-alive, HTTP/2 and gRPC clients send all their requests to one track');
  return {
    strategy: 'ReplicaCanary',
    entries: services.map((s) => `service ${s.metadata?.name}.${ns(s)} (${s.spec?.type ?? 'ClusterIP'}${s.spec?.ports?.[0]?.nodePort ? `, node port ${s.spec.ports[0].nodePort}` : ''})`),
    routes,
  };
}

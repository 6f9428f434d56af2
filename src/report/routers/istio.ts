import { labelsOf, list } from '../../checks/manifest-fields';
import { exactPercentFraction } from '../../core/weights';
import { istioConditions } from '../model/conditions';
import { Fraction, fraction, mul, ONE, showFraction, showPercent, sub } from '../model/fraction';
import { Manifest, ns } from '../model/object-index';
import { istioMatch } from '../model/requests';
import { MAX_WEIGHT, readWeight, Shares, weightedShares } from '../model/tracks';
import { emptyTargetMessage, RouterContext, RouterReading } from './router';

/**
 * Istio (VirtualService docs, "HTTPRoute" and "HTTPRouteDestination"): the http routes are tried in
 * order and the first match takes the request; a route with one destination sends it everything,
 * with several each gets weight/total (a missing weight is 0). A subset narrows the Service's
 * pods to those that also carry the DestinationRule subset's labels.
 */
export function readIstio(ctx: RouterContext, vs: Manifest): RouterReading {
  ctx.caveat('callers without an Istio sidecar reach the Service directly and are spread by pod count, not by these routes');
  let catchAll: string | undefined;
  const routes = list<Manifest>(vs.spec?.http).map((route, i) => {
    const name = typeof route?.name === 'string' ? route.name : `http[${i}]`;
    // A route without match takes every request that reaches it: the ones after it never match.
    if (catchAll) ctx.caveat(`${name} is never reached: ${catchAll}, before it, takes every request`);
    if (list(route?.match).length === 0) catchAll ??= name;
    const destinations = list<Manifest>(route?.route);
    const weights = destinations.map((d, j) => readWeight(d?.weight, destinations.length === 1 ? 100 : 0, MAX_WEIGHT.istio, (message) => ctx.problem(vs, `spec.http[${i}].route[${j}].weight`, message)));
    const shares = weightedShares(weights, (j) => {
      const d = destinations[j]?.destination;
      const field = `spec.http[${i}].route[${j}].destination`;
      const service = ctx.index.hostService(d?.host, ns(vs));
      if (!service) {
        if (weights[j] > 0) ctx.problem(vs, `${field}.host`, `routes to ${d?.host}, which is not a Service in the input`);
        return undefined;
      }
      const rule = ctx.index.destinationRuleOf(service);
      const subset = d?.subset === undefined ? undefined : list<Manifest>(rule?.spec?.subsets).find((x) => x?.name === d.subset);
      if (d?.subset !== undefined && !subset) {
        ctx.problem(vs, `${field}.subset`, `names subset ${d.subset}, which no DestinationRule for ${service.metadata?.name} defines: those requests fail (503)`);
        return undefined;
      }
      const policy = subset?.trafficPolicy?.loadBalancer ?? rule?.spec?.trafficPolicy?.loadBalancer;
      if (policy?.consistentHash) ctx.caveat(`${rule?.metadata?.name} hashes requests to pods (consistentHash): within a destination a client keeps its pod; the weights still split first`);
      const reached = ctx.tracks.spread(labelsOf(service.spec?.selector), labelsOf(subset?.labels));
      const target = `${service.metadata?.name}${subset ? ` subset ${subset.name}` : ''}`;
      if (reached.pods === 0 && weights[j] > 0) ctx.problem(vs, field, emptyTargetMessage(`sends ${weights[j]} % to ${target}`, reached));
      // At weight 0 it takes nothing yet, but it is the hello scenario's mistake: the next weight change fails requests.
      else if (reached.pods === 0) ctx.problem(vs, field, emptyTargetMessage(`lists ${target} at weight 0`, reached, 'moving weight to it would fail requests (503)'));
      return reached.shares;
    });
    // Shapes that send to no destination of ours, named rather than guessed at.
    if (route?.redirect) ctx.caveat(`${name} answers with a redirect: its requests reach no track`);
    if (route?.directResponse) ctx.caveat(`${name} answers directly (status ${route.directResponse?.status}): its requests reach no track`);
    if (route?.delegate) ctx.caveat(`${name} delegates to VirtualService ${route.delegate?.namespace ?? ns(vs)}/${route.delegate?.name}, which this report does not follow: its shares are not shown`);
    if (route?.mirror) ctx.caveat(`${name} mirrors ${route.mirrorPercentage?.value ?? 100} % of its requests to ${route.mirror.subset ?? route.mirror.host} (responses discarded)`);
    const served = faultShares(ctx, name, route?.fault, shares);
    return { name, conditions: istioConditions(list(route?.match), i > 0), shares: served, when: istioMatch(list(route?.match)) };
  });
  for (const kind of ['tcp', 'tls']) if (list(vs.spec?.[kind]).length > 0) ctx.caveat(`its ${kind} routes are not read: only http routes are shown`);
  const gateways = list<string>(vs.spec?.gateways);
  const hosts = list<string>(vs.spec?.hosts);
  const mesh = gateways.length === 0 || gateways.includes('mesh');
  return {
    strategy: 'IstioCanary',
    entries: [
      ...(mesh ? hosts.map((h) => `service ${h} (mesh, namespace ${ns(vs)})`) : []),
      ...gateways.filter((g) => g !== 'mesh').map((g) => `gateway ${g}: ${hosts.join(', ')}`),
    ],
    routes,
    // A mesh host is the Service's name, short or fully qualified (hello, hello.shop.svc.cluster.local).
    entryPoints: [
      ...(mesh ? hosts.map((h) => ({ service: String(h).split('.')[0] })) : []),
      ...(gateways.some((g) => g !== 'mesh') ? hosts.map((host) => ({ host: String(host), path: '/' })) : []),
    ],
  };
}

/**
 * A route's fault injection as shares (pilot/pkg/networking/core/route TranslateFault: the
 * percentage goes to Envoy as is, unset is none): `abort` answers its share of the requests itself,
 * so only the rest reach the tracks; `delay` holds its share back, and they still arrive.
 */
function faultShares(ctx: RouterContext, name: string, fault: Manifest | undefined, shares: Shares): Shares {
  if (!fault) return shares;
  const share = (percentage: Manifest | undefined): Fraction | undefined => {
    const value = percentage?.value;
    if (typeof value !== 'number' || !(value > 0)) return undefined;
    const exact = exactPercentFraction(Math.min(value, 100));
    return exact ? fraction(exact.numerator, exact.denominator) : undefined;
  };
  const delay = fault.delay && share(fault.delay.percentage);
  if (delay) ctx.caveat(`${name} delays ${showFraction(delay)} (${showPercent(delay)}) of its requests by ${fault.delay.fixedDelay ?? fault.delay.exponentialDelay ?? 'a delay'} (fault injection); they still arrive`);
  const abort = fault.abort && share(fault.abort.percentage);
  if (fault.abort && !abort) ctx.caveat(`${name} has a fault abort without a percentage: Istio aborts no request then`);
  if (!abort) return shares;
  const status = fault.abort.httpStatus ?? fault.abort.grpcStatus ?? fault.abort.http2Error;
  ctx.caveat(`${name} answers ${showFraction(abort)} (${showPercent(abort)}) of its requests itself with ${status} (fault abort): that share reaches no track`);
  const kept = sub(ONE, abort);
  return new Map([...shares].map(([t, f]) => [t, mul(kept, f)]));
}

import { labelsOf, list } from '../../checks/manifest-fields';
import { fraction, showFraction, showPercent } from '../model/fraction';
import { Manifest, ns } from '../model/object-index';
import { RouterContext } from './router';

// What a Gateway API rule does besides choosing a backend (mirror, retry, session persistence)
// and what serves the route (an Istio ambient waypoint, the AWS Load Balancer Controller's ALB),
// in words for the report's caveats and entries.

/** The label that sends a Service's traffic through an ambient waypoint (Istio ambient docs). */
const USE_WAYPOINT = 'istio.io/use-waypoint';
/** The AWS Load Balancer Controller's ALB GatewayClass controller. */
const ALB_CONTROLLER = 'gateway.k8s.aws/alb';

/** The share a RequestMirror filter copies: `percent`, else `fraction` (denominator default 100), else all. */
export function mirrorShare(mirror: Manifest | undefined): string {
  const f = mirror?.fraction;
  if (f && Number.isInteger(f.numerator) && f.numerator >= 0) {
    const share = fraction(f.numerator, Number.isInteger(f.denominator) && f.denominator > 0 ? f.denominator : 100);
    return `${showFraction(share)} (${showPercent(share)})`;
  }
  if (typeof mirror?.percent === 'number') return `${mirror.percent} %`;
  return 'all';
}

/** Caveats of one rule's mirror, retry and session persistence. */
export function ruleFeatureCaveats(ctx: RouterContext, rule: Manifest, name: string, alb: boolean): void {
  for (const filter of list<Manifest>(rule?.filters)) {
    if (filter?.type !== 'RequestMirror') continue;
    const mirror = filter.requestMirror;
    ctx.caveat(`${name} mirrors ${mirrorShare(mirror)} of its requests to ${mirror?.backendRef?.name} (responses discarded; the shares count real requests only)`);
    if (alb) ctx.caveat(`${name}: the AWS Load Balancer Controller does not implement RequestMirror, so the ALB mirrors nothing`);
  }
  const retry = rule?.retry;
  if (retry) {
    const codes = list<number>(retry.codes);
    ctx.caveat(`${name} retries a failed request up to ${retry.attempts ?? 'the implementation\'s default'} times${codes.length > 0 ? ` on ${codes.join(', ')}` : ''}${retry.backoff ? `, ${retry.backoff} apart` : ''} (experimental channel)`);
  }
  const sticky = rule?.sessionPersistence;
  if (sticky) {
    const cookie = sticky.type === 'Header' ? `header ${sticky.sessionName ?? '(generated)'}` : `cookie ${sticky.sessionName ?? '(generated)'}`;
    const lifetime = sticky.cookieConfig?.lifetimeType === 'Permanent' ? `, kept ${sticky.absoluteTimeout}` : ', a session cookie';
    ctx.caveat(`${name} keeps sessions (${cookie}${lifetime}): a client stays on the backend it reached first, so the shares hold for new clients only`);
    if (alb) ctx.caveat(`${name}: the AWS Load Balancer Controller does not implement sessionPersistence (use target-group stickiness in a ListenerRuleConfiguration)`);
  }
}

/** The entry point a parentRef names, with the waypoint or the ALB that serves it when the input says so. */
export function parentEntry(ctx: RouterContext, route: Manifest, parent: Manifest, hostnames: readonly string[]): string {
  const namespace = parent?.namespace ?? ns(route);
  if (parent?.kind === 'Service') {
    const service = ctx.index.serviceNamed(parent.name, namespace);
    const waypoint = labelsOf(service?.metadata?.labels)[USE_WAYPOINT];
    const via = waypoint === undefined ? 'mesh' : `mesh, via ambient waypoint ${waypoint}${ctx.index.gatewayNamed(waypoint, namespace) ? '' : ' (not in the input)'}`;
    return `service ${parent.name}.${namespace} (${via}, ${route.kind})`;
  }
  const alb = servedByAlb(ctx, route, parent) ? ', AWS ALB' : '';
  return `gateway ${namespace}/${parent?.name}${parent?.sectionName ? `/${parent.sectionName}` : ''}: ${hostnames.length > 0 ? hostnames.join(', ') : 'any host'} (${route.kind}${alb})`;
}

/** Whether a parent Gateway of the input is of a GatewayClass (in the input) that the AWS Load Balancer Controller serves. */
export function servedByAlb(ctx: RouterContext, route: Manifest, parent: Manifest): boolean {
  if (parent?.kind !== undefined && parent.kind !== 'Gateway') return false;
  const gateway = ctx.index.gatewayNamed(parent?.name, parent?.namespace ?? ns(route));
  return gateway !== undefined && ctx.index.gatewayClassNamed(gateway.spec?.gatewayClassName)?.spec?.controllerName === ALB_CONTROLLER;
}

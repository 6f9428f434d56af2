import { ingressClassOf, labelsOf, list } from '../../checks/manifest-fields';
import { add, fraction, mul, ONE, sub, ZERO } from '../model/fraction';
import { Manifest, NGINX } from '../model/object-index';
import { RequestMatch } from '../model/requests';
import { Shares, Track } from '../model/tracks';
import { emptyTargetMessage, RouterContext, RouteReading, RouterReading } from './router';

/**
 * ingress-nginx (docs "Canary" and balancer.lua's route_to_alternative_balancer): a canary Ingress
 * with the same class, host, path and path type as a main one takes the requests with its header,
 * then those with its cookie (value `always`), then `canary-weight` out of `canary-weight-total`
 * (default 100) of the rest; the main Ingress takes the others.
 */
export function readNginx(ctx: RouterContext, main: Manifest): RouterReading {
  // The canary Ingress may send to a Service that selects none of our Deployments: look it up by route.
  const canaryIngress = ctx.index.canaryIngressOf(main);
  const reach = (ing: Manifest, field: string) => {
    const service = ctx.index.ingressBackend(ing);
    if (!service) {
      ctx.problem(ing, field, `sends to Service ${list<Manifest>(list<Manifest>(ing.spec?.rules)[0]?.http?.paths)[0]?.backend?.service?.name}, which is not in the input`);
      return { shares: new Map<Track, ReturnType<typeof fraction>>() as Shares, pods: 0 };
    }
    const reached = ctx.tracks.spread(labelsOf(service.spec?.selector));
    if (reached.pods === 0) ctx.problem(ing, field, emptyTargetMessage(`sends to ${service.metadata?.name}`, reached));
    return reached;
  };
  const backendField = 'spec.rules[0].http.paths[0].backend.service.name';
  const stable = reach(main, backendField).shares;
  const canary = canaryIngress ? reach(canaryIngress, backendField).shares : undefined;
  const annotations = labelsOf(canaryIngress?.metadata?.annotations);
  const routes: RouteReading[] = [];
  const toCanary = (name: string, conditions: string, when: RequestMatch) => canary && routes.push({ name, conditions, shares: canary, when });
  // "never" sends the request to the main backend, skipping the rest (balancer.lua route_to_alternative_balancer).
  const toMain = (name: string, conditions: string, when: RequestMatch) => canary && routes.push({ name, conditions, shares: stable, when });
  const header = annotations[`${NGINX}canary-by-header`];
  if (header) {
    const name = header.toLowerCase();
    const value = annotations[`${NGINX}canary-by-header-value`];
    const pattern = annotations[`${NGINX}canary-by-header-pattern`];
    if (value) toCanary('canary-by-header', `header ${header} = ${value}`, [[{ on: 'header', name, match: 'exact', value }]]);
    else if (pattern) toCanary('canary-by-header', `header ${header} ~ /${pattern}/`, [[{ on: 'header', name, match: 'regex', value: pattern }]]);
    else {
      toCanary('canary-by-header', `header ${header} = always`, [[{ on: 'header', name, match: 'exact', value: 'always' }]]);
      toMain('canary-by-header never', `header ${header} = never`, [[{ on: 'header', name, match: 'exact', value: 'never' }]]);
    }
  }
  const cookie = annotations[`${NGINX}canary-by-cookie`];
  if (cookie) {
    const cookieIs = (value: string): RequestMatch => [[{ on: 'header', name: 'cookie', match: 'regex', value: `^(.*;\\s*)?${cookie.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}=${value}(\\s*;.*)?$` }]];
    toCanary('canary-by-cookie', `cookie ${cookie} = always`, cookieIs('always'));
    toMain('canary-by-cookie never', `cookie ${cookie} = never`, cookieIs('never'));
  }
  const weight = nonNegativeInteger(annotations[`${NGINX}canary-weight`], 0);
  const total = nonNegativeInteger(annotations[`${NGINX}canary-weight-total`], 100);
  const w = canary && total > 0 ? fraction(Math.min(weight, total), total) : ZERO;
  const mixed = new Map<Track, ReturnType<typeof fraction>>();
  for (const [t, s] of stable) mixed.set(t, add(mixed.get(t) ?? ZERO, mul(sub(ONE, w), s)));
  for (const [t, s] of canary ?? []) mixed.set(t, add(mixed.get(t) ?? ZERO, mul(w, s)));
  routes.push({ name: 'canary-weight', conditions: routes.length > 0 ? 'everyone else' : 'every request', shares: mixed });
  const mainAnnotations = labelsOf(main.metadata?.annotations);
  if (mainAnnotations[`${NGINX}affinity`] === 'cookie') {
    ctx.caveat(`sticky sessions: a client keeps the track it got first (cookie ${mainAnnotations[`${NGINX}session-cookie-name`] ?? 'INGRESSCOOKIE'})`);
  }
  const rule = list<Manifest>(main.spec?.rules)[0];
  const path = list<Manifest>(rule?.http?.paths)[0];
  const paths = list<Manifest>(main.spec?.rules).reduce((n, r) => n + list(r?.http?.paths).length, 0);
  // ingress-nginx pairs a canary per host and path; this reads the first, and says so.
  if (paths > 1) ctx.caveat(`${main.metadata?.name} has ${paths} host/path entries; this report reads the first (${rule?.host ?? '(any host)'}${path?.path}), not the others`);
  return {
    strategy: 'NginxCanary',
    entries: [`ingress ${rule?.host ?? '(any host)'}${path?.path} (${path?.pathType}, class ${ingressClassOf(main)})`],
    routes,
    entryPoints: [{ host: rule?.host ?? '*', path: path?.path ?? '/' }],
  };
}

/** An annotation ingress-nginx parses as an integer (a malformed one is ignored: the default). */
function nonNegativeInteger(value: string | undefined, fallback: number): number {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
}

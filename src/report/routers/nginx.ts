import { RE2JS } from '@bufbuild/re2';

import { ingressClassOf, labelsOf } from '../../checks/manifest-fields';
import { add, fraction, mul, ONE, sub, ZERO } from '../model/fraction';
import { ingressEntries, IngressEntry } from '../model/ingress-entries';
import { Manifest, NGINX, ns } from '../model/object-index';
import { quoteRegex, RequestCondition, RequestMatch } from '../model/requests';
import { Shares, Track } from '../model/tracks';
import { emptyTargetMessage, RouterContext, RouteReading, RouterReading } from './router';

/**
 * ingress-nginx (docs "Canary" and balancer.lua's route_to_alternative_balancer): for each entry
 * of a main Ingress (every host and path, then the defaultBackend), a canary Ingress with the
 * same class, host, path and path type takes the requests its header selects, then those its
 * cookie does, then `canary-weight` out of `canary-weight-total` (default 100) of the rest; the
 * main Ingress takes the others. A header (or cookie) `never` goes to the main backend at once; a
 * header pattern that does not compile sends every request carrying the header to the main
 * backend too (balancer.lua logs the error and returns false).
 */
export function readNginx(ctx: RouterContext, main: Manifest): RouterReading {
  const entries = ingressEntries(main);
  const several = entries.length > 1;
  const mainAnnotations = labelsOf(main.metadata?.annotations);
  const affinity = mainAnnotations[`${NGINX}affinity`] === 'cookie';
  const cookie = mainAnnotations[`${NGINX}session-cookie-name`] ?? 'INGRESSCOOKIE';
  const behavior = mainAnnotations[`${NGINX}affinity-canary-behavior`] === 'legacy' ? 'legacy' : 'sticky';
  const routes: RouteReading[] = [];
  for (const entry of entries) {
    const own = entryRoutes(ctx, main, entry, several);
    // Sticky clients are their own request class (balancer.lua: an affinitized request keeps its
    // backend before any canary rule): across them, the split the weight gave them when they came.
    if (affinity && behavior === 'sticky' && own.length > 0) {
      const weighted = own[own.length - 1];
      const quoted = quoteRegex(cookie);
      const scoped = (weighted.when ?? []).length === 0 ? [[]] : weighted.when!;
      routes.push({
        name: `${several ? `${entry.host === '' ? '(any host)' : entry.host}${entry.path} ` : ''}affinity`,
        conditions: `cookie ${cookie} present (a returning client keeps the track it got)`,
        shares: weighted.shares,
        when: scoped.map((all) => [...all, { on: 'header' as const, name: 'cookie', match: 'regex' as const, value: `(^|;\\s*)${quoted}=` }]),
      });
    }
    routes.push(...own);
  }
  if (affinity) {
    ctx.caveat(behavior === 'sticky'
      ? `sticky sessions: a client with cookie ${cookie} stays on the track it got first (affinity-canary-behavior sticky); the shares are those of new clients`
      : `sticky sessions (cookie ${cookie}) keep a client on its pod, but the canary rules are evaluated anew on every request (affinity-canary-behavior legacy)`);
  }
  const label = (e: IngressEntry) => `${e.host === '' ? '(any host)' : e.host}${e.path}`;
  return {
    strategy: 'NginxCanary',
    entries: entries.map((e) => `ingress ${label(e)} (${e.catchAll ? 'defaultBackend' : e.pathType}, class ${ingressClassOf(main)})`),
    routes,
    entryPoints: entries.map((e) => ({ host: e.host === '' ? '*' : e.host, path: e.path })),
  };
}

function entryRoutes(ctx: RouterContext, main: Manifest, entry: IngressEntry, several: boolean): RouteReading[] {
  // The canary Ingress may send to a Service that selects none of our Deployments: look it up by route.
  const canaryIngress = ctx.index.canaryIngressOf(main, entry);
  const canaryEntry = canaryIngress && ingressEntries(canaryIngress).find((e) => e.host === entry.host && e.path === entry.path && e.pathType === entry.pathType);
  const reach = (ing: Manifest, e: IngressEntry): Shares => {
    const service = ctx.index.serviceNamed(e.service, ns(ing));
    if (!service) {
      ctx.problem(ing, e.field, `sends to Service ${e.service}, which is not in the input`);
      return new Map<Track, ReturnType<typeof fraction>>();
    }
    const reached = ctx.tracks.spread(labelsOf(service.spec?.selector));
    if (reached.pods === 0) ctx.problem(ing, e.field, emptyTargetMessage(`sends to ${service.metadata?.name}`, reached));
    return reached.shares;
  };
  const stable = reach(main, entry);
  const canary = canaryIngress && canaryEntry ? reach(canaryIngress, canaryEntry) : undefined;
  const annotations = labelsOf(canaryIngress?.metadata?.annotations);
  const prefix = several ? `${entry.host === '' ? '(any host)' : entry.host}${entry.path} ` : '';
  // With several entries each route names its entry: host (none: any) and path.
  const where: RequestCondition[] = several ? [
    ...(entry.host === '' ? [] : [{ on: 'header' as const, name: 'host', match: 'exact' as const, value: entry.host }]),
    { on: 'path', match: entry.pathType === 'Exact' ? 'exact' : 'within', value: entry.path },
  ] : [];
  const scope = (when: RequestMatch): RequestMatch => (where.length === 0 ? when : when.length === 0 ? [where] : when.map((all) => [...where, ...all]));
  const on = (conditions: string) => (several ? `${entry.host === '' ? '' : `host ${entry.host} and `}path ${entry.pathType === 'Exact' ? '=' : 'within'} ${entry.path}${conditions === '' ? '' : ` and ${conditions}`}` : conditions);
  const routes: RouteReading[] = [];
  const toCanary = (name: string, conditions: string, when: RequestMatch) => canary && routes.push({ name: `${prefix}${name}`, conditions: on(conditions), shares: canary, when: scope(when) });
  const toMain = (name: string, conditions: string, when: RequestMatch) => canary && routes.push({ name: `${prefix}${name}`, conditions: on(conditions), shares: stable, when: scope(when) });
  const header = annotations[`${NGINX}canary-by-header`];
  if (header) {
    const name = header.toLowerCase();
    const value = annotations[`${NGINX}canary-by-header-value`];
    const pattern = annotations[`${NGINX}canary-by-header-pattern`];
    if (value) toCanary('canary-by-header', `header ${header} = ${value}`, [[{ on: 'header', name, match: 'exact', value }]]);
    else if (pattern && !compiles(pattern)) {
      if (canary) ctx.problem(canaryIngress!, `metadata.annotations.${NGINX}canary-by-header-pattern`, `${JSON.stringify(pattern)} does not compile as a PCRE: ingress-nginx logs an error and sends every request carrying ${header} to the main backend, cookie and weight skipped`);
      toMain('canary-by-header (pattern does not compile)', `header ${header} present`, [[{ on: 'header', name, match: 'present' }]]);
    } else if (pattern) toCanary('canary-by-header', `header ${header} ~ /${pattern}/`, [[{ on: 'header', name, match: 'regex', value: pattern }]]);
    else {
      toCanary('canary-by-header', `header ${header} = always`, [[{ on: 'header', name, match: 'exact', value: 'always' }]]);
      toMain('canary-by-header never', `header ${header} = never`, [[{ on: 'header', name, match: 'exact', value: 'never' }]]);
    }
  }
  const cookie = annotations[`${NGINX}canary-by-cookie`];
  if (cookie) {
    const cookieIs = (value: string): RequestMatch => [[{ on: 'header', name: 'cookie', match: 'regex', value: `^(.*;\\s*)?${quoteRegex(cookie)}=${value}(\\s*;.*)?$` }]];
    toCanary('canary-by-cookie', `cookie ${cookie} = always`, cookieIs('always'));
    toMain('canary-by-cookie never', `cookie ${cookie} = never`, cookieIs('never'));
  }
  const weight = nonNegativeInteger(annotations[`${NGINX}canary-weight`], 0);
  const total = nonNegativeInteger(annotations[`${NGINX}canary-weight-total`], 100);
  const w = canary && total > 0 ? fraction(Math.min(weight, total), total) : ZERO;
  const mixed = new Map<Track, ReturnType<typeof fraction>>();
  for (const [t, s] of stable) mixed.set(t, add(mixed.get(t) ?? ZERO, mul(sub(ONE, w), s)));
  for (const [t, s] of canary ?? []) mixed.set(t, add(mixed.get(t) ?? ZERO, mul(w, s)));
  const rest = routes.length > 0 ? 'everyone else' : 'every request';
  routes.push({ name: `${prefix}canary-weight`, conditions: several ? on(rest === 'everyone else' ? 'everyone else' : '') : rest, shares: mixed, when: scope([]) });
  return routes;
}

/** Whether ingress-nginx's PCRE can compile `pattern`: what JavaScript or RE2 compiles (PCRE takes both's syntax). */
function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    try {
      RE2JS.compile(pattern);
      return true;
    } catch {
      return false;
    }
  }
}

/** An annotation ingress-nginx parses as an integer (a malformed one is ignored: the default). */
function nonNegativeInteger(value: string | undefined, fallback: number): number {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
}

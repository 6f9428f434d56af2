import { RE2JS } from '@bufbuild/re2';

import { ingressClassOf, labelsOf } from '../../checks/manifest-fields';
import { cookieValueRegex, quoteRegex } from '../../core/match';
import { add, fraction, mul, ONE, sub, ZERO } from '../model/fraction';
import { entryLabel, ingressEntries, IngressEntry, ingressEntryKey } from '../model/ingress-entries';
import { Manifest, NGINX, ns } from '../model/object-index';
import { RequestCondition, RequestMatch } from '../model/requests';
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
  const mainAnnotations = labelsOf(main.metadata?.annotations);
  const cookie = mainAnnotations[`${NGINX}session-cookie-name`] ?? 'INGRESSCOOKIE';
  const affinity = mainAnnotations[`${NGINX}affinity`] === 'cookie';
  const sticky = affinity && mainAnnotations[`${NGINX}affinity-canary-behavior`] !== 'legacy';
  if (affinity) {
    ctx.caveat(sticky
      ? `sticky sessions: a client with cookie ${cookie} stays on the track it got first (affinity-canary-behavior sticky); the shares are those of new clients`
      : `sticky sessions (cookie ${cookie}) keep a client on its pod, but the canary rules are evaluated anew on every request (affinity-canary-behavior legacy)`);
  }
  return {
    strategy: 'NginxCanary',
    entries: entries.map((e) => `ingress ${entryLabel(e)} (${e.catchAll ? 'defaultBackend' : e.pathType}, class ${ingressClassOf(main)})`),
    routes: entries.flatMap((entry) => entryRoutes(ctx, main, entry, entries.length > 1, sticky ? cookie : undefined)),
    entryPoints: entries.map((e) => ({ host: e.host === '' ? '*' : e.host, path: e.path })),
  };
}

/**
 * The routes of one entry, in balancer.lua's order. `stickyCookie`: with cookie affinity and
 * the sticky canary behaviour, a client carrying the cookie keeps its backend before any canary
 * rule, so returning clients are a request class of their own: across them, the weight's split.
 */
function entryRoutes(ctx: RouterContext, main: Manifest, entry: IngressEntry, several: boolean, stickyCookie: string | undefined): RouteReading[] {
  // The canary Ingress may send to a Service that selects none of our Deployments: look it up by route.
  const canaryIngress = ctx.index.canaryIngressOf(main, entry);
  const canaryEntry = canaryIngress && ingressEntries(canaryIngress).find((e) => ingressEntryKey(canaryIngress, e) === ingressEntryKey(main, entry));
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
  const weight = nonNegativeInteger(annotations[`${NGINX}canary-weight`], 0);
  const total = nonNegativeInteger(annotations[`${NGINX}canary-weight-total`], 100);
  const w = canary && total > 0 ? fraction(Math.min(weight, total), total) : ZERO;
  const weighted = new Map<Track, ReturnType<typeof fraction>>();
  for (const [t, s] of stable) weighted.set(t, add(weighted.get(t) ?? ZERO, mul(sub(ONE, w), s)));
  for (const [t, s] of canary ?? []) weighted.set(t, add(weighted.get(t) ?? ZERO, mul(w, s)));

  // With several entries each route names its entry: host (none: any) and path.
  const prefix = several ? `${entryLabel(entry)} ` : '';
  const where: RequestCondition[] = several ? [
    ...(entry.host === '' ? [] : [{ on: 'header' as const, name: 'host', match: 'exact' as const, value: entry.host }]),
    { on: 'path', match: entry.pathType === 'Exact' ? 'exact' : 'within', value: entry.path },
  ] : [];
  const scope = (when: RequestMatch): RequestMatch => (where.length === 0 ? when : when.length === 0 ? [where] : when.map((all) => [...where, ...all]));
  const on = (conditions: string) => (several ? `${entry.host === '' ? '' : `host ${entry.host} and `}path ${entry.pathType === 'Exact' ? '=' : 'within'} ${entry.path}${conditions === '' ? '' : ` and ${conditions}`}` : conditions);
  const routes: RouteReading[] = [];
  const push = (name: string, conditions: string, shares: Shares, when: RequestMatch) => routes.push({ name: `${prefix}${name}`, conditions: on(conditions), shares, when: scope(when) });
  const toCanary = (name: string, conditions: string, when: RequestMatch) => canary && push(name, conditions, canary, when);
  const toMain = (name: string, conditions: string, when: RequestMatch) => canary && push(name, conditions, stable, when);

  if (stickyCookie !== undefined) {
    push('affinity', `cookie ${stickyCookie} present (a returning client keeps the track it got)`, weighted,
      [[{ on: 'header', name: 'cookie', match: 'regex', value: `(^|;\\s*)${quoteRegex(stickyCookie)}=` }]]);
  }
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
    const cookieIs = (value: string): RequestMatch => [[{ on: 'header', name: 'cookie', match: 'regex', value: cookieValueRegex(cookie, value) }]];
    toCanary('canary-by-cookie', `cookie ${cookie} = always`, cookieIs('always'));
    toMain('canary-by-cookie never', `cookie ${cookie} = never`, cookieIs('never'));
  }
  // With several entries the entry's host and path say what an unconditioned route takes.
  push('canary-weight', routes.length > 0 ? 'everyone else' : several ? '' : 'every request', weighted, []);
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

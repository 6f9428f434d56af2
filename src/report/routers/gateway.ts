import { labelsOf, list } from '../../checks/manifest-fields';
import { quoteRegex } from '../../core/match';
import { compareRanks } from '../../core/route-precedence';
import { gatewayConditions, gatewayMatchRank } from '../model/conditions';
import { Manifest, ns } from '../model/object-index';
import { EntryPoint, gatewayMatch } from '../model/requests';
import { effectiveHostnames } from '../model/route-groups';
import { MAX_WEIGHT, readWeight, weightedShares } from '../model/tracks';
import { parentEntry, ruleFeatureCaveats, servedByAlb } from './gateway-features';
import { emptyTargetMessage, RouterContext, RouterReading } from './router';

/**
 * Gateway API (HTTPRoute / GRPCRoute specs): the rule whose match ranks highest takes a request
 * (ties: the older route, here by namespace/name, then the listed order), and its backendRefs
 * split by weight (a missing weight is 1; all zero: the request gets an error). A Service
 * parentRef is the mesh (GAMMA) entry point. `routes` is the group a Gateway merges (see
 * model/route-groups.ts): their rules are ranked together; when they answer for different host
 * names, each rule names its route's hosts.
 */
export function readGateway(ctx: RouterContext, routes: readonly Manifest[]): RouterReading {
  const grouped = routes.length > 1;
  const hostnames = new Map(routes.map((r) => [r, effectiveHostnames(ctx.index, r)]));
  const hostSets = new Set([...hostnames.values()].map((h) => JSON.stringify([...h].sort())));
  // Precedence is per match (HTTPRouteRule docs): a rule with several matches is one route per match.
  const rules = routes.flatMap((route) => list<Manifest>(route.spec?.rules).flatMap((rule, index) => {
    const matches = list<Manifest>(rule?.matches);
    const grpc = route.kind === 'GRPCRoute';
    if (matches.length <= 1) return [{ route, rule, index, grpc, match: undefined as number | undefined, matches }];
    return matches.map((m, j) => ({ route, rule, index, grpc, match: j as number | undefined, matches: [m] }));
  })).sort((a, b) => compareRanks(gatewayMatchRank(b.matches[0], b.grpc), gatewayMatchRank(a.matches[0], a.grpc))
    || routeOrder(a.route, b.route) || a.index - b.index || (a.match ?? 0) - (b.match ?? 0));
  const seen = new Set<Manifest>();
  const albRoutes = new Set(routes.filter((route) => list<Manifest>(route.spec?.parentRefs).some((p) => servedByAlb(ctx, route, p))));
  const readings = rules.map(({ route, rule, index, grpc, match, matches }, position) => {
    const name = `${grouped ? `${route.metadata?.name} ` : ''}rules[${index}]${match === undefined ? '' : ` matches[${match}]`}`;
    // A rule's problems and caveats are said once, however many matches it has.
    const first = !seen.has(rule);
    seen.add(rule);
    const problem = first ? ctx.problem : () => undefined;
    const caveat = first ? ctx.caveat : () => undefined;
    const refs = list<Manifest>(rule?.backendRefs);
    const weights = refs.map((r, j) => readWeight(r?.weight, 1, MAX_WEIGHT.gateway, (message) => problem(route, `spec.rules[${index}].backendRefs[${j}].weight`, message)));
    const shares = weightedShares(weights, (j) => {
      const service = ctx.index.refService(route, refs[j]);
      const field = `spec.rules[${index}].backendRefs[${j}]`;
      if (!service) {
        if (weights[j] > 0) problem(route, `${field}.name`, `names ${refs[j]?.name}, which is not a Service in the input`);
        return undefined;
      }
      const reached = ctx.tracks.spread(labelsOf(service.spec?.selector));
      if (reached.pods === 0 && weights[j] > 0) problem(route, field, emptyTargetMessage(`sends requests to ${service.metadata?.name}`, reached));
      return reached.shares;
    });
    // Filters that change where a request goes (HTTPRoute filter docs), named rather than guessed at.
    const ruleName = `${grouped ? `${route.metadata?.name} ` : ''}rules[${index}]`;
    ruleFeatureCaveats({ ...ctx, caveat }, rule, ruleName, albRoutes.has(route));
    for (const filter of list<Manifest>(rule?.filters)) {
      if (filter?.type === 'RequestRedirect') caveat(`${ruleName} answers with a redirect: its requests reach no track`);
      if (filter?.type === 'ExtensionRef') caveat(`${ruleName} has an ExtensionRef filter (${filter.extensionRef?.kind}/${filter.extensionRef?.name}), which this report does not read`);
    }
    const hosts = hostnames.get(route)!;
    const byHost = hostSets.size > 1 && hosts.length > 0;
    const conditions = gatewayConditions(matches, grpc, position > 0);
    const hostRegex = `^(?:${hosts.map((h) => (h.startsWith('*.') ? `[^.]+(?:\\.[^.]+)*${quoteRegex(h.slice(1))}` : quoteRegex(h))).join('|')})$`;
    return {
      name,
      conditions: !byHost ? conditions : conditions === 'everyone else' || conditions === 'every request'
        ? `${conditions} on host ${hosts.join(' or ')}` : `host ${hosts.join(' or ')} and ${matches.length > 1 ? `(${conditions})` : conditions}`,
      shares,
      // No match is one empty match (every request): on its route's hosts only.
      when: byHost ? (matches.length === 0 ? [[]] : gatewayMatch(matches, grpc)).map((all) => [{ on: 'header' as const, name: 'host', match: 'regex' as const, value: hostRegex }, ...all])
        : gatewayMatch(matches, grpc),
    };
  });
  const entries = [...new Set(routes.flatMap((route) => list<Manifest>(route.spec?.parentRefs).map((p) => parentEntry(ctx, route, p, hostnames.get(route)!))))];
  // The path requests enter by: the catch-all rule's (an HTTPRoute's default rule matches the route's path).
  const last = rules.at(-1);
  const lastPath = last?.matches[0]?.path;
  const path = !last?.grpc && lastPath?.type !== 'RegularExpression' && typeof lastPath?.value === 'string' ? lastPath.value : '/';
  const entryPoints = routes.flatMap((route) => list<Manifest>(route.spec?.parentRefs).flatMap((p): EntryPoint[] => {
    const hosts = hostnames.get(route)!;
    return p?.kind === 'Service' ? [{ service: String(p.name) }] : (hosts.length > 0 ? hosts : ['*']).map((host) => ({ host, path }));
  }));
  const unique = [...new Map(entryPoints.map((e) => [JSON.stringify(e), e])).values()];
  return { strategy: 'GatewayCanary', entries, routes: readings, entryPoints: unique };
}

/** Older routes win ties; manifests carry no creation time, so by namespace/name (as the oracle breaks them). */
function routeOrder(a: Manifest, b: Manifest): number {
  const [x, y] = [`${ns(a)}/${a.metadata?.name}`, `${ns(b)}/${b.metadata?.name}`];
  return x < y ? -1 : x > y ? 1 : 0;
}

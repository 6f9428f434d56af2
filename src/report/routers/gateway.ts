import { labelsOf, list } from '../../checks/manifest-fields';
import { compareRanks } from '../../core/route-precedence';
import { gatewayConditions, gatewayRuleRank } from '../model/conditions';
import { Manifest } from '../model/object-index';
import { EntryPoint, gatewayMatch } from '../model/requests';
import { weightedShares } from '../model/tracks';
import { parentEntry, ruleFeatureCaveats, servedByAlb } from './gateway-features';
import { emptyTargetMessage, MAX_WEIGHT, readWeight, RouterContext, RouterReading } from './router';

/**
 * Gateway API (HTTPRoute / GRPCRoute specs): the rule whose match ranks highest takes a request
 * (ties: the listed order), and its backendRefs split by weight (a missing weight is 1; all zero:
 * the request gets an error). A Service parentRef is the mesh (GAMMA) entry point.
 */
export function readGateway(ctx: RouterContext, route: Manifest): RouterReading {
  const grpc = route.kind === 'GRPCRoute';
  const parents = list<Manifest>(route.spec?.parentRefs);
  const alb = parents.some((p) => servedByAlb(ctx, route, p));
  const rules = list<Manifest>(route.spec?.rules).map((rule, index) => ({ rule, index }))
    .sort((a, b) => compareRanks(gatewayRuleRank(b.rule, grpc), gatewayRuleRank(a.rule, grpc)) || a.index - b.index);
  const routes = rules.map(({ rule, index }, position) => {
    const refs = list<Manifest>(rule?.backendRefs);
    const weights = refs.map((r, j) => readWeight(r?.weight, 1, MAX_WEIGHT.gateway, (message) => ctx.problem(route, `spec.rules[${index}].backendRefs[${j}].weight`, message)));
    const shares = weightedShares(weights, (j) => {
      const service = ctx.index.refService(route, refs[j]);
      const field = `spec.rules[${index}].backendRefs[${j}]`;
      if (!service) {
        if (weights[j] > 0) ctx.problem(route, `${field}.name`, `names ${refs[j]?.name}, which is not a Service in the input`);
        return undefined;
      }
      const reached = ctx.tracks.spread(labelsOf(service.spec?.selector));
      if (reached.pods === 0 && weights[j] > 0) ctx.problem(route, field, emptyTargetMessage(`sends requests to ${service.metadata?.name}`, reached));
      return reached.shares;
    });
    // Filters that change where a request goes (HTTPRoute filter docs), named rather than guessed at.
    ruleFeatureCaveats(ctx, rule, index, alb);
    for (const filter of list<Manifest>(rule?.filters)) {
      if (filter?.type === 'RequestRedirect') ctx.caveat(`rules[${index}] answers with a redirect: its requests reach no track`);
      if (filter?.type === 'ExtensionRef') ctx.caveat(`rules[${index}] has an ExtensionRef filter (${filter.extensionRef?.kind}/${filter.extensionRef?.name}), which this report does not read`);
    }
    return { name: `rules[${index}]`, conditions: gatewayConditions(list(rule?.matches), grpc, position > 0), shares, when: gatewayMatch(list(rule?.matches), grpc) };
  });
  const hostnames = list<string>(route.spec?.hostnames);
  const entries = parents.map((p) => parentEntry(ctx, route, p, hostnames));
  // The path requests enter by: the catch-all rule's (an HTTPRoute's default rule matches the route's path).
  const lastPath = list<Manifest>(rules.at(-1)?.rule?.matches)[0]?.path;
  const path = !grpc && lastPath?.type !== 'RegularExpression' && typeof lastPath?.value === 'string' ? lastPath.value : '/';
  const entryPoints = parents.flatMap((p): EntryPoint[] => (p?.kind === 'Service' ? [{ service: String(p.name) }] : (hostnames.length > 0 ? hostnames : ['*']).map((host) => ({ host: String(host), path }))));
  return { strategy: 'GatewayCanary', entries, routes, entryPoints };
}

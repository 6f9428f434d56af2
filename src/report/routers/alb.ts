import { labelsOf, list } from '../../checks/manifest-fields';
import { ALB, albPathRank, parseAlbAction, parseAlbConditions } from '../../core/alb';
import { compareRanks } from '../../core/route-precedence';
import { Manifest, ns } from '../model/object-index';
import { Shares, weightedShares } from '../model/tracks';
import { emptyTargetMessage, RouterContext, RouteReading, RouterReading } from './router';

/**
 * The AWS Load Balancer Controller (pkg/ingress: sortIngressPaths, buildPathPatterns; the action
 * and condition annotations): per Ingress rule, Exact paths, then Prefix longest first, then the
 * rest, ties in listed order, each a listener rule whose conditions (host, path, the
 * `conditions.<action>` headers) must all hold; the first that holds takes the request and its
 * `actions.<action>` forwards weight/total to each target group (one group: all of it).
 */
export function readAlb(ctx: RouterContext, ingress: Manifest): RouterReading {
  const annotations = labelsOf(ingress.metadata?.annotations);
  const routes: RouteReading[] = [];
  const entries: string[] = [];
  const scheme = annotations[`${ALB}scheme`] ?? 'internal';
  if (annotations[`${ALB}ssl-redirect`] !== undefined) ctx.caveat(`HTTP requests are redirected to HTTPS (port ${annotations[`${ALB}ssl-redirect`]}) first: these routes are the HTTPS listener's`);
  list<Manifest>(ingress.spec?.rules).forEach((rule, r) => {
    const host = typeof rule?.host === 'string' ? rule.host : undefined;
    const paths = list<Manifest>(rule?.http?.paths).map((path, p) => ({ path, p }))
      .sort((a, b) => compareRanks(albPathRank(String(a.path?.pathType), String(a.path?.path ?? '')), albPathRank(String(b.path?.pathType), String(b.path?.path ?? ''))) || a.p - b.p);
    const seen = new Set<string>();
    for (const { path, p } of paths) {
      const where = `${host ?? '(any host)'}${path?.path ?? ''}`;
      if (!seen.has(where)) entries.push(`alb ${where} (${path?.pathType}, ${scheme}, class ${ingress.spec?.ingressClassName ?? 'alb'})`);
      seen.add(where);
      const service = path?.backend?.service;
      const field = `spec.rules[${r}].http.paths[${p}].backend.service`;
      const action = service?.port?.name === 'use-annotation' ? annotations[`${ALB}actions.${service?.name}`] : undefined;
      // A missing or broken action is a manifest-check problem (checks/alb-checks.ts); here it reaches nothing.
      const parsed = action === undefined ? undefined : parseAlbAction(action);
      const groups = parsed ? parsed.targetGroups : service?.name !== undefined && service?.port?.name !== 'use-annotation' ? [{ serviceName: service.name, weight: undefined }] : [];
      if (parsed?.type === 'fixed-response' || parsed?.type === 'redirect') ctx.caveat(`${service?.name} answers with a ${parsed.type}: its requests reach no track`);
      if (parsed?.stickinessSeconds !== undefined) ctx.caveat(`${service?.name} keeps a client on the target group it got first for ${parsed.stickinessSeconds} s (target-group stickiness)`);
      const weights = groups.map((g) => (groups.length === 1 ? 1 : typeof g.weight === 'number' && Number.isInteger(g.weight) && g.weight >= 0 ? g.weight : 0));
      const shares: Shares = weightedShares(weights, (j) => {
        const target = ctx.index.serviceNamed(groups[j].serviceName, ns(ingress));
        if (!target) return undefined;
        const reached = ctx.tracks.spread(labelsOf(target.spec?.selector));
        if (reached.pods === 0 && weights[j] > 0) ctx.problem(ingress, field, emptyTargetMessage(`forwards to ${target.metadata?.name}`, reached));
        return reached.shares;
      });
      const conditions = service?.port?.name === 'use-annotation' ? annotations[`${ALB}conditions.${service?.name}`] : undefined;
      routes.push({ name: String(service?.name), conditions: albConditions(path, conditions, routes.length > 0), shares });
    }
  });
  return { strategy: 'AlbCanary', entries, routes };
}

/** A rule's conditions in words: its path and every header condition. */
function albConditions(path: Manifest, conditions: string | undefined, afterOthers: boolean): string {
  const parts: string[] = [];
  const value = String(path?.path ?? '/');
  if (value !== '/' || path?.pathType === 'Exact') parts.push(path?.pathType === 'Exact' ? `path = ${value}` : `path within ${value}`);
  for (const c of conditions === undefined ? [] : parseAlbConditions(conditions).conditions) {
    const subject = c.field === 'http-header' ? `header ${c.header}` : c.field;
    if (c.regexValues.length > 0) parts.push(c.regexValues.map((v) => `${subject} ~ /${v}/`).join(' or '));
    else parts.push(c.values.map((v) => `${subject} ${/[*?]/.test(v) ? 'like' : '='} ${v} (any case)`).join(' or '));
  }
  return parts.join(' and ') || (afterOthers ? 'everyone else' : 'every request');
}

import { dataMap } from '../core/data-keys';
import { anchoredRegex, cookieAlwaysRegex, HeaderMatchType, ResolvedMatch } from '../core/match';
import { PropChecker } from '../core/validate';
import { ArgoHeaderRoute } from './argo-rollouts';
import { FlaggerMatch } from './flagger';

/** One targeted entry as both engines take it: header conditions only, all matching requests to the canary. */
type HeaderOnly = { readonly name: string; readonly type: HeaderMatchType; readonly value: string }[];

/**
 * `match` entries under an engine. Argo's `setHeaderRoute` and Flagger's A/B `match` send every
 * matching request to the canary and match headers only, so an entry may have no path and no
 * weight below 100; a cookie becomes a regex on the Cookie header.
 */
function headerOnly(check: PropChecker, matches: readonly ResolvedMatch[], engine: string): HeaderOnly[] {
  return matches.map((m) => {
    if (m.path !== undefined) check.fail(`${m.prop}.path${m.path.type === 'prefix' ? 'Prefix' : m.path.type === 'exact' ? 'Exact' : 'Regex'}`, `is set, but ${engine} matches requests by headers only; remove the path condition, or use Progression.manual()`);
    if (m.weight !== 100) check.fail(`${m.prop}.weight`, `is ${m.weight}, but ${engine} sends every matching request to the canary; remove weight (100), or use Progression.manual()`);
    const headers: HeaderOnly = m.headers.map((h) => ({ name: h.name.toLowerCase(), type: h.type, value: h.value }));
    if (m.cookie !== undefined) headers.push({ name: 'cookie', type: HeaderMatchType.REGEX, value: cookieAlwaysRegex(m.cookie) });
    return headers;
  });
}

/**
 * Argo Rollouts header routes, one per entry, named `<name>-match-<i>` (managed routes Argo adds
 * to the router and removes when the release ends). Argo's headerValue has exact, prefix and regex.
 */
export function argoHeaderRoutes(check: PropChecker, matches: readonly ResolvedMatch[], name: string): ArgoHeaderRoute[] {
  return headerOnly(check, matches, 'Argo Rollouts (setHeaderRoute)').map((headers, i) => ({
    name: `${name}-match-${i}`,
    match: headers.map((h) => ({ headerName: h.name, headerValue: { [h.type]: h.value } })),
  }));
}

/**
 * Flagger A/B matches: `headers: { name: { exact | prefix | regex } }`, one entry per match. Its
 * nginx router (pkg/router/ingress.go) reads a `cookie` header's exact value as the cookie's name
 * (canary-by-cookie) and writes a regex as canary-by-header-pattern, which ingress-nginx searches
 * for: there the cookie goes by name and the regex is anchored, as NginxCanary writes it by hand.
 */
export function flaggerMatches(check: PropChecker, matches: readonly ResolvedMatch[], nginx = false): FlaggerMatch[] {
  return headerOnly(check, matches, 'Flagger (A/B match)').map((headers, i) => ({
    headers: dataMap(headers.map((h) => {
      if (!nginx || h.type !== HeaderMatchType.REGEX) return [h.name, { [h.type]: h.value }];
      return h.name === 'cookie' && matches[i].cookie !== undefined ? [h.name, { exact: matches[i].cookie! }] : [h.name, { regex: anchoredRegex(h.value) }];
    })),
  }));
}

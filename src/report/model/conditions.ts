import { labelsOf, list } from '../../checks/manifest-fields';
import { compareRanks, grpcRouteRank, httpRouteRank } from '../../core/route-precedence';
import { Manifest } from './object-index';

/** A route's match conditions in words, for the reviewer: `header end-user = testers`. */

export function istioConditions(matches: Manifest[], afterOthers: boolean): string {
  if (matches.length === 0) return afterOthers ? 'everyone else' : 'every request';
  return matches.map((m) => {
    const parts: string[] = [];
    for (const [kind, value] of Object.entries(labelsOf(m?.uri))) parts.push(stringMatch('path', kind, value));
    for (const [name, condition] of Object.entries(labelsOf(m?.headers))) {
      for (const [kind, value] of Object.entries(labelsOf(condition))) parts.push(stringMatch(`header ${name}`, kind, value));
    }
    for (const [name, condition] of Object.entries(labelsOf(m?.queryParams))) {
      for (const [kind, value] of Object.entries(labelsOf(condition))) parts.push(stringMatch(`query ${name}`, kind, value));
    }
    for (const [name, condition] of Object.entries(labelsOf(m?.withoutHeaders))) {
      for (const [kind, value] of Object.entries(labelsOf(condition))) parts.push(`not (${stringMatch(`header ${name}`, kind, value)})`);
    }
    for (const [key, kindOf] of [['method', 'method'], ['authority', 'authority'], ['scheme', 'scheme']] as const) {
      for (const [kind, value] of Object.entries(labelsOf(m?.[key]))) parts.push(stringMatch(kindOf, kind, value));
    }
    // Conditions on where a request comes from, named as written rather than dropped.
    for (const key of Object.keys(labelsOf(m)).filter((k) => !ISTIO_READ.includes(k))) parts.push(`${key} ${JSON.stringify(m[key])}`);
    return parts.join(' and ') || 'every request';
  }).join(' or ');
}

/** The HTTPMatchRequest fields read above (`name` only names the match); any other is shown as written. */
const ISTIO_READ = ['name', 'uri', 'headers', 'queryParams', 'withoutHeaders', 'method', 'authority', 'scheme'];

function stringMatch(subject: string, kind: string, value: string): string {
  // Istio reads `regex: "*"` as "present" (translateHeaderMatch).
  if (kind === 'regex' && value === '*') return `${subject} present`;
  return kind === 'exact' ? `${subject} = ${value}` : kind === 'prefix' ? `${subject} starts with ${value}` : `${subject} ~ /${value}/`;
}

/** A match of every path and nothing else (`PathPrefix /`): the default rule of an HTTPRoute on `/`. */
function isRoutePathOnly(match: Manifest): boolean {
  const everyPath = match?.path === undefined || (match.path?.type === 'PathPrefix' && match.path?.value === '/');
  return everyPath && list(match?.headers).length === 0 && list(match?.queryParams).length === 0 && match?.method === undefined;
}

export function gatewayConditions(matches: Manifest[], grpc: boolean, afterOthers: boolean): string {
  if (matches.length === 0 || (matches.length === 1 && !grpc && isRoutePathOnly(matches[0]) && afterOthers)) return afterOthers ? 'everyone else' : 'every request';
  return matches.map((m) => {
    const parts: string[] = [];
    if (grpc && m?.method) parts.push(`method ${m.method?.service ?? '*'}/${m.method?.method ?? '*'}`);
    if (!grpc && m?.path && typeof m.path === 'object') {
      parts.push(m.path.type === 'Exact' ? `path = ${m.path.value}` : m.path.type === 'PathPrefix' ? `path within ${m.path.value}` : `path ~ /${m.path.value}/`);
    }
    for (const h of list<Manifest>(m?.headers)) parts.push(h?.type === 'RegularExpression' ? `header ${h.name} ~ /${h.value}/` : `header ${h?.name} = ${h?.value}`);
    for (const q of list<Manifest>(m?.queryParams)) parts.push(q?.type === 'RegularExpression' ? `query ${q.name} ~ /${q.value}/` : `query ${q?.name} = ${q?.value}`);
    if (!grpc && typeof m?.method === 'string') parts.push(`method ${m.method}`);
    return parts.join(' and ') || 'every request';
  }).join(' or ');
}

/**
 * The precedence of one Gateway API match (HTTPRoute: exact path, longest prefix, method, most
 * headers, most query params; GRPCRoute: service, method, headers), by the rules in
 * core/route-precedence; no match is every request (an HTTPRoute's implicit PathPrefix /).
 */
export function gatewayMatchRank(match: Manifest | undefined, grpc: boolean): number[] {
  const headers = list(match?.headers).length;
  if (grpc) return grpcRouteRank(String(match?.method?.service ?? '').length, String(match?.method?.method ?? '').length, headers);
  const path = match?.path && typeof match.path === 'object' ? match.path : { type: 'PathPrefix', value: '/' };
  return httpRouteRank(path.type ?? 'PathPrefix', String(path.value ?? '/').length, headers, typeof match?.method === 'string', list(match?.queryParams).length);
}

/** The precedence of a Gateway API rule: that of its highest-ranked match. */
export function gatewayRuleRank(rule: Manifest, grpc: boolean): number[] {
  const matches = list<Manifest>(rule?.matches);
  return (matches.length > 0 ? matches : [undefined]).map((m) => gatewayMatchRank(m, grpc)).reduce((best, r) => (compareRanks(r, best) > 0 ? r : best));
}

import { Construct } from 'constructs';

import { CommonSpec, effectiveNamespace } from '../../canary/common-props';
import { ALB, ALB_LIMITS, AlbHeaderCondition, albPathPatterns } from '../../core/alb';
import { AlbGroupMember, albGroupProblem, AlbGroupRule } from '../../core/alb-groups';
import { showValue } from '../../core/errors';
import { anchoredRegex, cookieAlwaysRegex, HeaderMatchType, PathMatchType, ResolvedMatch } from '../../core/match';
import { withinPrefix } from '../../core/paths';
import { CanaryProtocol } from '../../core/protocol';
import { PropChecker } from '../../core/validate';
import { AlbPathType, resolvePath } from './props';

// The ALB listener rules AlbCanary writes, held to what ALB and the controller take: each match's
// path and header conditions, the evaluations per rule, the action names, the group order.

/**
 * Header routes for Argo Rollouts on ALB: Argo turns each into an http-header condition, which
 * compares values (with * and ? wildcards), so exact headers only; a cookie or regex is refused.
 */
export function checkArgoHeaderRoutes(spec: CommonSpec, matches: ResolvedMatch[]): void {
  for (const m of matches) {
    if (m.cookie !== undefined) spec.check.fail(`${m.prop}.cookie`, 'is set, but Argo Rollouts\' ALB header routes compare header values, not a cookie\'s; use headers, or Progression.manual()');
    const other = m.headers.find((h) => h.type !== HeaderMatchType.EXACT);
    if (other) spec.check.fail(`${m.prop}.${other.type === HeaderMatchType.PREFIX ? 'headerPrefix' : 'headerRegex'}`, 'is set, but Argo Rollouts\' ALB header routes take exact values only; use headers, or Progression.manual()');
  }
}

/** A match's own path (within the construct's), else the construct's. */
export function matchPath(spec: CommonSpec, m: ResolvedMatch, path: string, pathType: AlbPathType): { path: string; pathType: AlbPathType } {
  if (!m.path) return { path, pathType };
  if (m.path.type === PathMatchType.REGEX) {
    spec.check.fail(`${m.prop}.pathRegex`, 'is a regular-expression path, which AlbCanary does not emit (ALB regex paths need use-regex-path-match on the whole Ingress); use pathPrefix or pathExact');
  }
  const prop = `${m.prop}.${m.path.type === PathMatchType.EXACT ? 'pathExact' : 'pathPrefix'}`;
  const inside = pathType === AlbPathType.EXACT ? m.path.value === path : withinPrefix(m.path.value, path);
  if (!inside) spec.check.fail(prop, `is ${showValue(m.path.value)}, outside the Ingress path ${showValue(path)} (${pathType}); a targeted rule only narrows it`);
  const type = m.path.type === PathMatchType.EXACT ? AlbPathType.EXACT : AlbPathType.PREFIX;
  return { path: resolvePath(spec, prop, m.path.value, type), pathType: type };
}

/** One http-header condition per header (AND-ed), the cookie as a `Cookie` header regex. */
export function headerConditions(spec: CommonSpec, m: ResolvedMatch): AlbHeaderCondition[] {
  const check: PropChecker = spec.check;
  const conditions: AlbHeaderCondition[] = m.headers.map((h) => {
    const prop = `${m.prop}.${{ [HeaderMatchType.EXACT]: 'headers', [HeaderMatchType.PREFIX]: 'headerPrefix', [HeaderMatchType.REGEX]: 'headerRegex' }[h.type]}`;
    if (h.name.length > ALB_LIMITS.headerNameLength) check.fail(prop, `header ${showValue(h.name)} is longer than ${ALB_LIMITS.headerNameLength} characters, the most an ALB http-header condition takes`);
    if (h.name.toLowerCase() === 'host') check.fail(prop, 'matches Host, which ALB matches with the host prop (host-header), not an http-header condition');
    if (h.type !== HeaderMatchType.REGEX && /[*?]/.test(h.value)) {
      check.fail(`${prop}.${h.name}`, `${showValue(h.value)} has "*" or "?", which ALB reads as wildcards; use headerRegex for a value with those characters`);
    }
    // Regex values (controller v2.14.1+): anchored, since AWS does not say whether ALB searches or matches the whole value.
    return h.type === HeaderMatchType.REGEX
      ? { header: h.name, regexValues: [conditionValue(spec, `${prop}.${h.name}`, anchoredRegex(h.value))] }
      : { header: h.name, values: [conditionValue(spec, `${prop}.${h.name}`, h.type === HeaderMatchType.PREFIX ? `${h.value}*` : h.value)] };
  });
  if (m.cookie !== undefined) conditions.push({ header: 'Cookie', regexValues: [conditionValue(spec, `${m.prop}.cookie`, cookieAlwaysRegex(m.cookie))] });
  return conditions;
}

function conditionValue(spec: CommonSpec, prop: string, value: string): string {
  if (value.length > ALB_LIMITS.valueLength) spec.check.fail(prop, `gives the ALB condition value ${showValue(value)} of ${value.length} characters; ALB allows ${ALB_LIMITS.valueLength}`);
  return value;
}

/** ALB evaluates at most 5 values per rule: the host, the path patterns and every condition value. */
export function checkEvaluations(spec: CommonSpec, prop: string, host: string | undefined, path: string, pathType: AlbPathType, conditions: AlbHeaderCondition[]): void {
  const counts = [
    ['host', host === undefined ? 0 : 1],
    ['path', albPathPatterns(path, pathType).length],
    ...conditions.map((c) => [`header ${c.header}`, (c.values ?? c.regexValues ?? []).length] as const),
  ] as const;
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  if (total > ALB_LIMITS.evaluationsPerRule) {
    spec.check.fail(prop, `makes an ALB rule of ${total} match evaluations (${counts.filter(([, n]) => n > 0).map(([what, n]) => `${what} ${n}`).join(', ')}); ALB allows ${ALB_LIMITS.evaluationsPerRule} per rule: match fewer headers, or use pathExact (1 pattern) instead of pathPrefix (2)`);
  }
}

/**
 * The backend name of an action: a DNS-1035 label, as the Ingress API requires of a service
 * name, that also fits the annotation keys `actions.<name>` and `conditions.<name>`, whose name
 * part the API server limits to 63 characters (IsQualifiedName).
 */
export function actionName(spec: CommonSpec, name: string, prop: string, withConditions = false): string {
  const family = withConditions ? 'conditions.' : 'actions.';
  const longest = 63 - family.length;
  if (name.length > longest) {
    spec.check.fail(prop, `gives the ALB action name ${showValue(name)} of ${name.length} characters, too long for the annotation key ${showValue(`${ALB}${family}${name}`)}: the API server allows 63 characters after the "/", so the name may have ${longest}; shorten ${prop}`);
  }
  return name;
}

/**
 * This Ingress as a member of its IngressGroup, checked against the members before it: none
 * of its rules may sit behind another member's covering rule (core/alb-groups.ts).
 */
export function groupMember(spec: CommonSpec, scope: Construct, group: { name?: string; order: number }, rules: AlbGroupRule[], orderGiven: boolean): AlbGroupMember | undefined {
  if (group.name === undefined) return undefined;
  const member = { owner: `AlbCanary ${scope.node.path}`, group: group.name, order: group.order, namespace: effectiveNamespace(spec), name: spec.name, rules };
  const shadowing = albGroupProblem(scope, member);
  if (shadowing) spec.check.fail(orderGiven ? 'groupOrder' : 'groupName', shadowing);
  return member;
}

/**
 * HTTP/2 and gRPC to the pods (`backend-protocol-version`): ALB supports them only behind an
 * HTTPS listener.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-group-protocol-version
 */
export function protocolAnnotations(spec: CommonSpec, listener: Record<string, string>): Record<string, string> {
  if (spec.protocol === CanaryProtocol.HTTP) return {};
  if (!listener[`${ALB}certificate-arn`]) {
    spec.check.fail('protocol', `is ${spec.protocol}, which ALB forwards only from an HTTPS listener; give certificateArns`);
  }
  return { [`${ALB}backend-protocol-version`]: spec.protocol === CanaryProtocol.GRPC ? 'GRPC' : 'HTTP2' };
}

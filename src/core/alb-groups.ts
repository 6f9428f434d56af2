import { IConstruct } from 'constructs';

import { appRegistry } from './ownership';
import { withinPrefix } from './paths';

/**
 * ALB IngressGroups across constructs. The AWS Load Balancer Controller merges every Ingress of
 * one group (explicit groups are cluster-wide) into the listener rules of one ALB, ordered by
 * `group.order` (default 0), then by the Ingress's `namespace/name` (pkg/ingress/group_loader.go,
 * sortGroupMembers), and ALB evaluates the rules in that order: the first match takes the request.
 * So an Ingress whose rule covers another's (`/` before `/api`, no host before a host) takes all
 * of the other's requests. Equal claims are refused by ownership; this finds the covering ones.
 */

/** One listener rule of a member: its host (undefined: any) and path. */
export interface AlbGroupRule {
  readonly host?: string;
  readonly pathType: string;
  readonly path: string;
  /** Whether the rule has conditions (headers) beyond host and path: it takes only some of its requests. */
  readonly conditional: boolean;
}

/** An Ingress in a group, as the controller orders it. */
export interface AlbGroupMember {
  /** Names the construct in messages, e.g. `AlbCanary shop/web`. */
  readonly owner: string;
  /** The IngressGroup's name. */
  readonly group: string;
  readonly order: number;
  readonly namespace: string;
  readonly name: string;
  readonly rules: readonly AlbGroupRule[];
}

const groupsOf = appRegistry<string, AlbGroupMember[]>();

/** True when the controller puts `a`'s rules before `b`'s. */
function albMemberFirst(a: AlbGroupMember, b: AlbGroupMember): boolean {
  if (a.order !== b.order) return a.order < b.order;
  return `${a.namespace}/${a.name}` < `${b.namespace}/${b.name}`;
}

/** True when every host `specific` matches is matched by `general` too (ALB host conditions, `*` wildcard). */
function hostCovers(general: string | undefined, specific: string | undefined): boolean {
  if (general === undefined) return true;
  if (specific === undefined) return false;
  if (general === specific) return true;
  return general.startsWith('*.') && specific.endsWith(general.slice(1));
}

/** True when every request path `specific` matches is matched by `general` (buildPathPatterns: Prefix p is p and p/*). */
function pathCovers(general: AlbGroupRule, specific: AlbGroupRule): boolean {
  if (general.pathType === 'Prefix') return withinPrefix(specific.path, general.path);
  return specific.pathType !== 'Prefix' && specific.path === general.path;
}

/** A rule of `later` that an unconditional rule of `earlier` takes all requests of. */
function shadowed(earlier: AlbGroupMember, later: AlbGroupMember): { rule: AlbGroupRule; by: AlbGroupRule } | undefined {
  for (const rule of later.rules) {
    // An identical rule is a route claim of its own (ownership names both owners).
    const same = (e: AlbGroupRule) => e.host === rule.host && e.pathType === rule.pathType && e.path === rule.path;
    const by = earlier.rules.find((e) => !e.conditional && !same(e) && hostCovers(e.host, rule.host) && pathCovers(e, rule));
    if (by) return { rule, by };
  }
  return undefined;
}

const show = (rule: AlbGroupRule) => `${rule.host ?? '(any host)'}${rule.path} (${rule.pathType})`;

/**
 * Why adding `member` to its group would let one member's rules take another's requests, with
 * the fix; undefined when the group keeps every member's rules reachable.
 */
export function albGroupProblem(scope: IConstruct, member: AlbGroupMember): string | undefined {
  const group = member.group;
  for (const other of groupsOf(scope).get(group) ?? []) {
    const [earlier, later] = albMemberFirst(other, member) ? [other, member] : [member, other];
    const found = shadowed(earlier, later);
    if (!found) continue;
    const who = (m: AlbGroupMember) => (m === member ? 'this construct' : m.owner);
    return `puts ${who(later)}'s rule ${show(found.rule)} in IngressGroup ${group} after ${who(earlier)}'s rule ${show(found.by)}, which takes all of its requests: the controller orders a group's Ingresses by group.order, then namespace/name (${earlier.order} ${earlier.namespace}/${earlier.name} before ${later.order} ${later.namespace}/${later.name}), and ALB applies the first rule that matches; give ${who(later)} a lower groupOrder than ${earlier.order} (e.g. groupOrder: ${Math.max(earlier.order - 1, -1000)})`;
  }
  return undefined;
}

/** Records `member` in its group; call once the construct is built. */
export function recordAlbGroupMember(scope: IConstruct, member: AlbGroupMember): void {
  const groups = groupsOf(scope);
  groups.set(member.group, [...groups.get(member.group) ?? [], member]);
}

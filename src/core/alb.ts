/**
 * The AWS Load Balancer Controller's Ingress annotations, written once for AlbCanary (which emits
 * them), the manifest checks and the report (which read them back). Semantics and limits from
 * the controller (kubernetes-sigs/aws-load-balancer-controller, pkg/ingress/config_types.go:
 * Action.validate, ForwardActionConfig.validate, RuleCondition.Validate; model_build_listener_rules.go:
 * buildPathPatterns, sortIngressPaths) and the ELBv2 quotas it meets when it deploys.
 */

/** The controller's annotation prefix (its --annotations-prefix default). */
export const ALB = 'alb.ingress.kubernetes.io/';

/** ELBv2 limits the controller does not check itself: the API refuses them when the rule is deployed. */
export const ALB_LIMITS = {
  /** Target groups in one forward action (quota, not adjustable). */
  targetGroupsPerAction: 5,
  /** TargetGroupTuple.Weight. */
  maxWeight: 999,
  /** TargetGroupStickinessConfig.DurationSeconds: 1 s to 7 days. */
  stickinessSeconds: { min: 1, max: 604800 },
  /** Values (match evaluations) in one condition. */
  valuesPerCondition: 3,
  /** Match evaluations in one rule: host, path patterns and every condition value together. */
  evaluationsPerRule: 5,
  /** Length of one condition value (a header value, a path pattern). */
  valueLength: 128,
  /** Length of an http-header condition's header name. */
  headerNameLength: 40,
  /** group.order (the controller's validation). */
  groupOrder: { min: -1000, max: 1000 },
} as const;

/** group.name: lower-case alphanumerics, "-" and ".", starting and ending alphanumeric, at most 63 (the controller ignores the Ingress otherwise). */
export const ALB_GROUP_NAME = /^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$/;

/** A target group of a forward action: a Service and its port. */
export interface AlbTargetGroup {
  readonly serviceName: string;
  readonly servicePort: number | string;
  /** Absent only when the action forwards to one group. */
  readonly weight?: number;
}

/** A forward action as the annotation `actions.<name>` holds it. */
export interface AlbForwardAction {
  readonly targetGroups: readonly AlbTargetGroup[];
  /** Target-group stickiness: a client keeps the target group it got first for this long. */
  readonly stickinessSeconds?: number;
}

/** The JSON of a forward action, keys in a fixed order (same props, same bytes). */
export function albForwardActionJson(action: AlbForwardAction): string {
  return JSON.stringify({
    type: 'forward',
    forwardConfig: {
      targetGroups: action.targetGroups.map((t) => ({ serviceName: t.serviceName, servicePort: t.servicePort, ...(t.weight === undefined ? {} : { weight: t.weight }) })),
      ...(action.stickinessSeconds === undefined ? {} : { targetGroupStickinessConfig: { enabled: true, durationSeconds: action.stickinessSeconds } }),
    },
  });
}

/** One condition of `conditions.<name>`, as AlbCanary emits it: an http-header match. */
export interface AlbHeaderCondition {
  readonly header: string;
  /** ALB wildcard patterns (`*`, `?`; compared case-insensitively). */
  readonly values?: readonly string[];
  /** RE2 patterns (controller v2.14.1 and later). */
  readonly regexValues?: readonly string[];
}

/** The JSON of `conditions.<name>`. */
export function albConditionsJson(conditions: readonly AlbHeaderCondition[]): string {
  return JSON.stringify(conditions.map((c) => ({
    field: 'http-header',
    httpHeaderConfig: { httpHeaderName: c.header, ...(c.values ? { values: c.values } : {}), ...(c.regexValues ? { regexValues: c.regexValues } : {}) },
  })));
}

/** A forward action read back: its target groups, or why the controller refuses it. */
export interface ParsedAlbAction {
  readonly type?: string;
  readonly targetGroups: { serviceName?: string; servicePort?: unknown; weight?: unknown }[];
  readonly stickinessSeconds?: number;
  readonly problems: string[];
}

/**
 * `actions.<name>` as the controller decodes it: Go's encoding/json matches keys case-insensitively;
 * a forward action needs forwardConfig (or a target group ARN), each group a serviceName and
 * servicePort, and a weight on every group when there are several (ForwardActionConfig.validate).
 */
export function parseAlbAction(raw: string): ParsedAlbAction {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return { targetGroups: [], problems: [`does not parse as JSON (${(e as Error).message})`] };
  }
  if (!isObject(value)) return { targetGroups: [], problems: ['is not a JSON object'] };
  const problems: string[] = [];
  const type = field(value, 'type');
  if (type !== 'forward') {
    // fixed-response and redirect answer without a target: nothing of a canary's to check.
    if (type !== 'fixed-response' && type !== 'redirect') problems.push(`has type ${JSON.stringify(type)}; the controller knows forward, fixed-response and redirect`);
    return { type: typeof type === 'string' ? type : undefined, targetGroups: [], problems };
  }
  const forward = field(value, 'forwardConfig');
  const groups = isObject(forward) ? field(forward, 'targetGroups') : undefined;
  if (!Array.isArray(groups)) {
    if (field(value, 'targetGroupARN') === undefined) problems.push('is a forward action without forwardConfig.targetGroups');
    return { type, targetGroups: [], problems };
  }
  const targetGroups = groups.map((g, i) => {
    if (!isObject(g)) {
      problems.push(`forwardConfig.targetGroups[${i}] is not an object`);
      return {};
    }
    const serviceName = field(g, 'serviceName');
    const servicePort = field(g, 'servicePort');
    const weight = field(g, 'weight');
    if (typeof serviceName !== 'string' && field(g, 'targetGroupARN') === undefined) problems.push(`forwardConfig.targetGroups[${i}] has no serviceName`);
    if (typeof serviceName === 'string' && servicePort === undefined) problems.push(`forwardConfig.targetGroups[${i}] (${serviceName}) has no servicePort`);
    if (weight !== undefined && (!Number.isInteger(weight) || (weight as number) < 0 || (weight as number) > ALB_LIMITS.maxWeight)) {
      problems.push(`forwardConfig.targetGroups[${i}].weight ${JSON.stringify(weight)} is not an integer in 0-${ALB_LIMITS.maxWeight}`);
    }
    return { serviceName: typeof serviceName === 'string' ? serviceName : undefined, servicePort, weight };
  });
  if (targetGroups.length > 1 && targetGroups.some((g) => g.weight === undefined)) problems.push('forwards to several target groups, but not every one has a weight');
  if (targetGroups.length > ALB_LIMITS.targetGroupsPerAction) problems.push(`forwards to ${targetGroups.length} target groups; ALB allows ${ALB_LIMITS.targetGroupsPerAction}`);
  if (targetGroups.length > 0 && targetGroups.every((g) => g.weight === 0)) problems.push('has only zero weights: its requests reach no target');
  const sticky = isObject(forward) ? field(forward, 'targetGroupStickinessConfig') : undefined;
  const seconds = isObject(sticky) && field(sticky, 'enabled') === true ? field(sticky, 'durationSeconds') : undefined;
  return { type, targetGroups, stickinessSeconds: typeof seconds === 'number' ? seconds : undefined, problems };
}

/** A condition read back. */
export interface ParsedAlbCondition {
  readonly field: string;
  readonly header?: string;
  readonly values: string[];
  readonly regexValues: string[];
}

/** `conditions.<name>` read back (RuleCondition.Validate): a list of conditions, each with values or regexValues. */
export function parseAlbConditions(raw: string): { conditions: ParsedAlbCondition[]; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return { conditions: [], problems: [`does not parse as JSON (${(e as Error).message})`] };
  }
  if (!Array.isArray(value)) return { conditions: [], problems: ['is not a JSON list'] };
  const problems: string[] = [];
  const conditions = value.filter(isObject).map((c, i) => {
    const name = String(field(c, 'field'));
    const configKey = { 'http-header': 'httpHeaderConfig', 'http-request-method': 'httpRequestMethodConfig', 'host-header': 'hostHeaderConfig', 'path-pattern': 'pathPatternConfig', 'query-string': 'queryStringConfig', 'source-ip': 'sourceIPConfig' }[name];
    const config = configKey ? field(c, configKey) : undefined;
    if (!isObject(config)) problems.push(`[${i}] (${name}) has no ${configKey ?? 'known field'}`);
    const strings = (key: string) => {
      const list = isObject(config) ? field(config, key) : undefined;
      return Array.isArray(list) ? list.map((v) => (isObject(v) ? `${field(v, 'key') ?? ''}=${field(v, 'value')}` : String(v))) : [];
    };
    const values = strings('values');
    const regexValues = strings('regexValues');
    if (values.length === 0 && regexValues.length === 0) problems.push(`[${i}] (${name}) has neither values nor regexValues`);
    const header = isObject(config) ? field(config, 'httpHeaderName') : undefined;
    return { field: name, ...(typeof header === 'string' ? { header } : {}), values, regexValues };
  });
  return { conditions, problems };
}

/** The path patterns the controller builds for an Ingress path (buildPathPatterns). */
export function albPathPatterns(path: string, pathType: string): string[] {
  if (pathType === 'Exact') return [path];
  if (pathType === 'Prefix') return path === '/' ? ['/*'] : [path.replace(/\/$/, ''), `${path.replace(/\/$/, '')}/*`];
  return [path];
}

/**
 * The order the controller gives the paths of one Ingress rule (sortIngressPaths): Exact first,
 * then Prefix, longest first, then ImplementationSpecific; ties keep the listed order. ALB then
 * evaluates the rules in that order and the first match takes the request. Lower ranks first.
 */
export function albPathRank(pathType: string, path: string): number[] {
  return pathType === 'Exact' ? [0, 0] : pathType === 'Prefix' ? [1, -path.length] : [2, 0];
}

/** An ALB wildcard pattern (`*` any run, `?` one character) as a regular expression over the whole value. */
export function albWildcard(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A key as Go's encoding/json finds it: case-insensitively, own keys only, the last one winning. */
function field(object: Record<string, unknown>, name: string): unknown {
  let found: unknown;
  for (const key of Object.keys(object)) if (key.toLowerCase() === name.toLowerCase()) found = object[key];
  return found;
}

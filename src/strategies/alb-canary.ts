import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { CanaryBase } from '../canary/canary-base';
import { CANARY_BASE_FIELDS, CanaryBaseProps, ServiceType } from '../canary/common-props';
import {
  ALB, ALB_GROUP_NAME, ALB_LIMITS, albConditionsJson, albForwardActionJson, AlbHeaderCondition, albPathPatterns, AlbTargetGroup,
} from '../core/alb';
import { AlbGroupMember, albGroupProblem, AlbGroupRule, recordAlbGroupMember } from '../core/alb-groups';
import { showValue } from '../core/errors';
import { Track } from '../core/labels';
import { anchoredRegex, CanaryMatch, cookieAlwaysRegex, HeaderMatchType, PathMatchType, ResolvedMatch, resolveMatches } from '../core/match';
import { ingressPathProblem, withinPrefix } from '../core/paths';
import { CanaryProtocol } from '../core/protocol';
import { PropChecker } from '../core/validate';
import { ProgressionEngine } from '../engines/progression';

/** Whether the load balancer faces the internet. */
export enum AlbScheme {
  /** Reachable inside the VPC only (the controller's default). */
  INTERNAL = 'internal',
  /** Public. */
  INTERNET_FACING = 'internet-facing',
}

/** How the load balancer reaches the pods. */
export enum AlbTargetType {
  /** Straight to the pod IPs (needs the VPC CNI); with pod readiness gates, rollouts wait for the ALB. */
  IP = 'ip',
  /** Through a node port of every node: both Services become NodePort. */
  INSTANCE = 'instance',
}

/** How the Ingress path matches. */
export enum AlbPathType {
  /** Path prefix, element-wise (`/api` and `/api/*`). */
  PREFIX = 'Prefix',
  /** Exact path. */
  EXACT = 'Exact',
}

/** Target-group stickiness: a client keeps the track it got first. */
export interface AlbStickinessProps {
  /** How long a client stays on its target group: 1 second to 7 days. */
  readonly duration: Duration;
}

/** Props of an AWS Load Balancer Controller canary. */
export interface AlbCanaryProps extends CanaryBaseProps {
  /**
   * Host the rules match (`*.example.com` allowed).
   * @default - every host
   */
  readonly host?: string;
  /**
   * Path of the rules.
   * @default "/"
   */
  readonly path?: string;
  /**
   * Path type.
   * @default AlbPathType.PREFIX
   */
  readonly pathType?: AlbPathType;
  /**
   * Internal or internet-facing.
   * @default AlbScheme.INTERNAL
   */
  readonly scheme?: AlbScheme;
  /**
   * How the ALB reaches the pods. `INSTANCE` makes both Services NodePort.
   * @default AlbTargetType.IP
   */
  readonly targetType?: AlbTargetType;
  /**
   * ACM (or IAM) certificate ARNs: an HTTPS listener on 443 serving them.
   * @default - HTTP on 80 only
   */
  readonly certificateArns?: string[];
  /**
   * Redirect HTTP (80) to HTTPS (443). Needs `certificateArns`.
   * @default - true when certificateArns are given
   */
  readonly sslRedirect?: boolean;
  /**
   * IngressGroup: Ingresses with the same group share one ALB.
   * @default - an ALB of its own
   */
  readonly groupName?: string;
  /**
   * Order of this Ingress's rules within the group (-1000 to 1000, lower first).
   * @default 0
   */
  readonly groupOrder?: number;
  /**
   * Target-group stickiness on the weighted actions.
   * @default - none: every request is split anew
   */
  readonly stickiness?: AlbStickinessProps;
  /**
   * Targeted routing: each entry is an ALB rule before the weighted default, with http-header
   * conditions (`headers` exact, `headerPrefix`, `headerRegex`, `cookie` as a `Cookie` header
   * regex) and its own path (`pathPrefix` / `pathExact`, within `path`), forwarding `weight` % of
   * its requests to the canary. ALB compares header values case-insensitively.
   * @default - none
   */
  readonly match?: CanaryMatch[];
  /**
   * IngressClass of the Ingress.
   * @default "alb"
   */
  readonly ingressClassName?: string;
  /**
   * More annotations on the Ingress (e.g. `external-dns.alpha.kubernetes.io/hostname`,
   * `alb.ingress.kubernetes.io/healthcheck-path`). Keys AlbCanary sets are refused, and so are
   * `actions.*`, `conditions.*` and `transforms.*`, which would route around the canary.
   * @default - none
   */
  readonly ingressAnnotations?: { [key: string]: string };
}

const FIELDS: Record<keyof AlbCanaryProps, true> = {
  ...CANARY_BASE_FIELDS, host: true, path: true, pathType: true, scheme: true, targetType: true, certificateArns: true, sslRedirect: true,
  groupName: true, groupOrder: true, stickiness: true, match: true, ingressClassName: true, ingressAnnotations: true,
};
const STICKINESS_FIELDS: Record<keyof AlbStickinessProps, true> = { duration: true };
/** Annotation keys AlbCanary sets from its props. */
const OWNED = ['scheme', 'target-type', 'certificate-arn', 'listen-ports', 'ssl-redirect', 'group.name', 'group.order', 'backend-protocol-version'];
/** Annotation families that route requests: only the construct writes them. */
const ROUTING_FAMILIES = ['actions.', 'conditions.', 'transforms.'];
/** Characters ALB takes in a path condition (its listener-rule docs), wildcards excluded. */
const ALB_PATH = /^[A-Za-z0-9_\-.$/~"'@:+&]+$/;
/** An ARN, as certificate-arn lists them (comma-separated, so no comma inside). */
const ARN = /^arn:aws[a-z-]*:(acm|iam):[a-z0-9-]*:\d{12}:[A-Za-z0-9\-/_.+=@]+$/;
const USE_ANNOTATION = 'use-annotation';

/**
 * A canary split by an Application Load Balancer (AWS Load Balancer Controller): Ingress `<name>`
 * of class `alb` whose paths forward through `actions.*` annotations to weighted target groups,
 * Services `<serviceName>` (stable) and `<name>-canary`. Targeted `match` entries are rules of
 * their own, before the weighted default.
 */
export class AlbCanary extends CanaryBase {
  /** Service `<serviceName>`, the stable track. */
  public readonly service: kplus.Service;
  /** Service `<name>-canary`, the canary track; undefined in steady state. */
  public readonly canaryService?: kplus.Service;
  /** Ingress `<name>` of class `alb`. */
  public readonly ingress: kplus.k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: AlbCanaryProps) {
    // Instance targets are node ports: both Services are NodePort unless the user chose LoadBalancer.
    super(scope, id, 'AlbCanary', props?.targetType === AlbTargetType.INSTANCE && props.serviceType === undefined ? { ...props, serviceType: ServiceType.NODE_PORT } : props, FIELDS, [ALB]);
    try {
      const check: PropChecker = this._check;
      if (this._progression.engine === ProgressionEngine.FLAGGER) {
        check.fail('progression', 'is Flagger, but Flagger has no AWS Load Balancer Controller provider (the provider enum of the Canary CRD: apisix, appmesh, contour, gatewayapi, gloo, istio, knative, kubernetes, kuma, linkerd, nginx, osm, skipper, smi, traefik); use Progression.argoRollouts, or NginxCanary or GatewayCanary with Flagger');
      }
      if (this._progression.engine === ProgressionEngine.ARGO_ROLLOUTS && this._progression.analysis) {
        check.fail('progression.argoRollouts.analysis', 'is set, but an ALB reports its metrics to CloudWatch, not Prometheus; analyze with an AnalysisTemplate of your own (Argo\'s cloudWatch provider), or use IstioCanary, GatewayCanary or NginxCanary for Prometheus analysis');
      }
      // ALB settings may go on every object (the controller reads Service annotations per target group), but not the keys AlbCanary writes.
      this.refuseOwnedKeys('annotations', Object.keys(check.annotations('annotations', props.annotations)));
      // The controller reads target-type and backend-protocol-version from a Service over the Ingress (per target group).
      this.refuseOwnedKeys('serviceAnnotations', Object.keys(check.annotations('serviceAnnotations', props.serviceAnnotations)));
      const host = props.host === undefined ? undefined : this.resolveHost(props.host);
      const pathType = check.oneOf('pathType', props.pathType, Object.values(AlbPathType), AlbPathType.PREFIX);
      const path = this.resolvePath('path', props.path === undefined ? '/' : check.string('path', props.path), pathType);
      const scheme = check.oneOf('scheme', props.scheme, Object.values(AlbScheme), AlbScheme.INTERNAL);
      const targetType = check.oneOf('targetType', props.targetType, Object.values(AlbTargetType), AlbTargetType.IP);
      if (targetType === AlbTargetType.INSTANCE && props.serviceType === ServiceType.CLUSTER_IP) {
        check.fail('serviceType', 'is ClusterIP, but targetType INSTANCE reaches the pods through node ports; leave serviceType out (NodePort) or use targetType IP');
      }
      const className = props.ingressClassName === undefined ? 'alb' : check.dns1123Subdomain('ingressClassName', props.ingressClassName);
      const listener = this.listenerAnnotations(props.certificateArns, props.sslRedirect);
      const group = this.resolveGroup(props.groupName, props.groupOrder);
      const stickinessSeconds = this.resolveStickiness(props.stickiness);
      const matches = resolveMatches(check, props.match, this._hasCanary);
      const extra = this.userAnnotations(props.ingressAnnotations);
      const split = this._routedSplit(matches.map((m) => m.weight));
      this._claimRoute('host', `alb|${group.name ?? `${this._effectiveNamespace}/${this.name}`}|${host ?? '*'}|${pathType}|${path}`,
        `the ALB route ${host ?? '(any host)'}${path} (${pathType})${props.groupName ? ` in group ${props.groupName}` : ''}`);

      this._addTracks(split);
      const argoRuns = this._argoRuns;
      this.service = this._addService('Service', undefined, Track.STABLE);
      this.canaryService = this._addCanaryService();
      if (this._progression.engine === ProgressionEngine.ARGO_ROLLOUTS) this.checkArgoHeaderRoutes(matches);

      const targets = (canaryWeight: number): AlbTargetGroup[] => (this.canaryService
        ? [{ serviceName: this.service.name, servicePort: this.port, weight: 100 - canaryWeight }, { serviceName: this.canaryService.name, servicePort: this.port, weight: canaryWeight }]
        : [{ serviceName: this.service.name, servicePort: this.port }]);
      const routing: Record<string, string> = {};
      const paths: kplus.k8s.HttpIngressPath[] = [];
      const rules: AlbGroupRule[] = [];
      const backend = (action: string) => ({ service: { name: action, port: { name: USE_ANNOTATION } } });
      this._staticMatches(matches).forEach((m, i) => {
        const entryPath = this.matchPath(m, path, pathType);
        const conditions = this.headerConditions(m);
        const action = this.actionName(`${this.name}-match${i}`, 'name', conditions.length > 0);
        this.checkEvaluations(m.prop, host, entryPath.path, entryPath.pathType, conditions);
        routing[`${ALB}actions.${action}`] = albForwardActionJson({ targetGroups: targets(m.weight), stickinessSeconds });
        if (conditions.length > 0) routing[`${ALB}conditions.${action}`] = albConditionsJson(conditions);
        paths.push({ path: entryPath.path, pathType: entryPath.pathType, backend: backend(action) });
        rules.push({ host, ...entryPath, conditional: conditions.length > 0 });
      });
      // Argo Rollouts rewrites the action named after the stable Service (rollout/trafficrouting/alb):
      // it starts all on stable, the canary target group at weight 0.
      const weighted = argoRuns ? this.actionName(this.serviceName, 'serviceName') : this.actionName(`${this.name}-split`, 'name');
      routing[`${ALB}actions.${weighted}`] = albForwardActionJson({
        targetGroups: argoRuns ? [{ serviceName: this.serviceName, servicePort: this.port, weight: 100 }, { serviceName: `${this.name}-canary`, servicePort: this.port, weight: 0 }] : targets(split.effectiveWeight),
        stickinessSeconds: this.canaryService ? stickinessSeconds : undefined,
      });
      this.checkEvaluations('path', host, path, pathType, []);
      // Listed after the targeted entries: for one path and path type the controller keeps the listed order.
      paths.push({ path, pathType, backend: backend(weighted) });
      rules.push({ host, path, pathType, conditional: false });
      const member = this.groupMember(group, rules, props.groupOrder !== undefined);

      this.ingress = new kplus.k8s.KubeIngress(this, 'Ingress', {
        metadata: this._objectMetadata('', {
          ...extra,
          [`${ALB}scheme`]: scheme,
          [`${ALB}target-type`]: targetType,
          ...listener,
          ...group.annotations,
          ...this.protocolAnnotations(listener),
          ...routing,
        }, 'ingressAnnotations'),
        spec: { ingressClassName: className, rules: [{ host, http: { paths } }] },
      });
      this._addArgoRollout({
        stableService: this.serviceName,
        trafficRouting: {
          alb: {
            ingress: this.name, servicePort: this.port,
            stickinessConfig: stickinessSeconds === undefined ? undefined : { enabled: true, durationSeconds: stickinessSeconds },
          },
        },
        matches,
      });
      this._register();
      if (member) recordAlbGroupMember(this, member);
    } catch (error) {
      throw this._abandon(error);
    }
  }

  /**
   * Header routes for Argo Rollouts on ALB: Argo turns each into an http-header condition, which
   * compares values (with * and ? wildcards), so exact headers only; a cookie or regex is refused.
   */
  private checkArgoHeaderRoutes(matches: ResolvedMatch[]): void {
    for (const m of matches) {
      if (m.cookie !== undefined) this._check.fail(`${m.prop}.cookie`, 'is set, but Argo Rollouts\' ALB header routes compare header values, not a cookie\'s; use headers, or Progression.manual()');
      const other = m.headers.find((h) => h.type !== HeaderMatchType.EXACT);
      if (other) this._check.fail(`${m.prop}.${other.type === HeaderMatchType.PREFIX ? 'headerPrefix' : 'headerRegex'}`, 'is set, but Argo Rollouts\' ALB header routes take exact values only; use headers, or Progression.manual()');
    }
  }

  /** ALB host conditions: a DNS name with at least one "." and letters after the last (its listener-rule docs). */
  private resolveHost(value: unknown): string {
    const host = this._check.hostname('host', value);
    if (!/\.[a-z]+$/.test(host)) this._check.fail('host', `${showValue(host)} is not a host ALB can match: it needs a "." and only letters after the last one (e.g. "api.example.com")`);
    return host;
  }

  /** A path ALB and the controller accept: no wildcards in Prefix/Exact paths, ALB's characters, 128 characters with `/*`. */
  private resolvePath(prop: string, path: string, pathType: AlbPathType): string {
    if (!path.startsWith('/')) this._check.fail(prop, `must start with "/", got ${showValue(path)}`);
    const problem = ingressPathProblem(path, pathType);
    if (problem) this._check.fail(prop, `${showValue(path)} ${problem}`);
    if (!ALB_PATH.test(path)) {
      this._check.fail(prop, `${showValue(path)} has a character an ALB path condition does not take (letters, digits and _-.$/~"'@:+& only; "*" and "?" are wildcards, refused in ${pathType} paths)`);
    }
    const longest = Math.max(...albPathPatterns(path, pathType).map((p) => p.length));
    if (longest > ALB_LIMITS.valueLength) this._check.fail(prop, `${showValue(path)} gives a path pattern of ${longest} characters; ALB allows ${ALB_LIMITS.valueLength}`);
    return path;
  }

  /** A match's own path (within the construct's), else the construct's. */
  private matchPath(m: ResolvedMatch, path: string, pathType: AlbPathType): { path: string; pathType: AlbPathType } {
    if (!m.path) return { path, pathType };
    if (m.path.type === PathMatchType.REGEX) {
      this._check.fail(`${m.prop}.pathRegex`, 'is a regular-expression path, which AlbCanary does not emit (ALB regex paths need use-regex-path-match on the whole Ingress); use pathPrefix or pathExact');
    }
    const prop = `${m.prop}.${m.path.type === PathMatchType.EXACT ? 'pathExact' : 'pathPrefix'}`;
    const inside = pathType === AlbPathType.EXACT ? m.path.value === path : withinPrefix(m.path.value, path);
    if (!inside) this._check.fail(prop, `is ${showValue(m.path.value)}, outside the Ingress path ${showValue(path)} (${pathType}); a targeted rule only narrows it`);
    const type = m.path.type === PathMatchType.EXACT ? AlbPathType.EXACT : AlbPathType.PREFIX;
    return { path: this.resolvePath(prop, m.path.value, type), pathType: type };
  }

  /** One http-header condition per header (AND-ed), the cookie as a `Cookie` header regex. */
  private headerConditions(m: ResolvedMatch): AlbHeaderCondition[] {
    const check: PropChecker = this._check;
    const conditions: AlbHeaderCondition[] = m.headers.map((h) => {
      const prop = `${m.prop}.${{ [HeaderMatchType.EXACT]: 'headers', [HeaderMatchType.PREFIX]: 'headerPrefix', [HeaderMatchType.REGEX]: 'headerRegex' }[h.type]}`;
      if (h.name.length > ALB_LIMITS.headerNameLength) check.fail(prop, `header ${showValue(h.name)} is longer than ${ALB_LIMITS.headerNameLength} characters, the most an ALB http-header condition takes`);
      if (h.name.toLowerCase() === 'host') check.fail(prop, 'matches Host, which ALB matches with the host prop (host-header), not an http-header condition');
      if (h.type !== HeaderMatchType.REGEX && /[*?]/.test(h.value)) {
        check.fail(`${prop}.${h.name}`, `${showValue(h.value)} has "*" or "?", which ALB reads as wildcards; use headerRegex for a value with those characters`);
      }
      // Regex values (controller v2.14.1+): anchored, since AWS does not say whether ALB searches or matches the whole value.
      return h.type === HeaderMatchType.REGEX
        ? { header: h.name, regexValues: [this.conditionValue(`${prop}.${h.name}`, anchoredRegex(h.value))] }
        : { header: h.name, values: [this.conditionValue(`${prop}.${h.name}`, h.type === HeaderMatchType.PREFIX ? `${h.value}*` : h.value)] };
    });
    if (m.cookie !== undefined) conditions.push({ header: 'Cookie', regexValues: [this.conditionValue(`${m.prop}.cookie`, cookieAlwaysRegex(m.cookie))] });
    return conditions;
  }

  private conditionValue(prop: string, value: string): string {
    if (value.length > ALB_LIMITS.valueLength) this._check.fail(prop, `gives the ALB condition value ${showValue(value)} of ${value.length} characters; ALB allows ${ALB_LIMITS.valueLength}`);
    return value;
  }

  /** ALB evaluates at most 5 values per rule: the host, the path patterns and every condition value. */
  private checkEvaluations(prop: string, host: string | undefined, path: string, pathType: AlbPathType, conditions: AlbHeaderCondition[]): void {
    const counts = [
      ['host', host === undefined ? 0 : 1],
      ['path', albPathPatterns(path, pathType).length],
      ...conditions.map((c) => [`header ${c.header}`, (c.values ?? c.regexValues ?? []).length] as const),
    ] as const;
    const total = counts.reduce((sum, [, n]) => sum + n, 0);
    if (total > ALB_LIMITS.evaluationsPerRule) {
      this._check.fail(prop, `makes an ALB rule of ${total} match evaluations (${counts.filter(([, n]) => n > 0).map(([what, n]) => `${what} ${n}`).join(', ')}); ALB allows ${ALB_LIMITS.evaluationsPerRule} per rule: match fewer headers, or use pathExact (1 pattern) instead of pathPrefix (2)`);
    }
  }

  /**
   * The backend name of an action: a DNS-1035 label, as the Ingress API requires of a service
   * name, that also fits the annotation keys `actions.<name>` and `conditions.<name>`, whose name
   * part the API server limits to 63 characters (IsQualifiedName).
   */
  private actionName(name: string, prop: string, withConditions = false): string {
    const family = withConditions ? 'conditions.' : 'actions.';
    const longest = 63 - family.length;
    if (name.length > longest) {
      this._check.fail(prop, `gives the ALB action name ${showValue(name)} of ${name.length} characters, too long for the annotation key ${showValue(`${ALB}${family}${name}`)}: the API server allows 63 characters after the "/", so the name may have ${longest}; shorten ${prop}`);
    }
    return name;
  }

  private listenerAnnotations(arns: unknown, sslRedirect: unknown): Record<string, string> {
    const check: PropChecker = this._check;
    const certificates = check.stringList('certificateArns', arns) ?? [];
    certificates.forEach((arn, i) => {
      if (!ARN.test(arn)) check.fail(`certificateArns[${i}]`, `${showValue(arn)} is not a certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>, or an IAM server certificate)`);
    });
    if (new Set(certificates).size !== certificates.length) check.fail('certificateArns', 'lists a certificate twice');
    const redirect = check.boolean('sslRedirect', sslRedirect, certificates.length > 0);
    if (redirect && certificates.length === 0) check.fail('sslRedirect', 'is true, but there is no HTTPS listener to redirect to; give certificateArns');
    if (certificates.length === 0) return {};
    return {
      [`${ALB}certificate-arn`]: certificates.join(','),
      [`${ALB}listen-ports`]: JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
      ...(redirect ? { [`${ALB}ssl-redirect`]: '443' } : {}),
    };
  }

  /** The IngressGroup (undefined: the Ingress alone) and its annotations. */
  private resolveGroup(name: unknown, order: unknown): { name?: string; order: number; annotations: Record<string, string> } {
    const check: PropChecker = this._check;
    const annotations: Record<string, string> = {};
    const group = name === undefined ? undefined : check.string('groupName', name);
    if (group !== undefined) {
      if (group.length > 63 || !ALB_GROUP_NAME.test(group)) {
        check.fail('groupName', `must be at most 63 lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (the controller ignores the Ingress otherwise), got ${showValue(name)}`);
      }
      annotations[`${ALB}group.name`] = group;
    }
    const position = check.integer('groupOrder', order, ALB_LIMITS.groupOrder);
    if (position !== undefined) {
      if (group === undefined) check.fail('groupOrder', 'orders this Ingress within an IngressGroup; give groupName too');
      annotations[`${ALB}group.order`] = String(position);
    }
    return { name: group, order: position ?? 0, annotations };
  }

  /**
   * This Ingress as a member of its IngressGroup, checked against the members before it: none
   * of its rules may sit behind another member's covering rule (core/alb-groups.ts).
   */
  private groupMember(group: { name?: string; order: number }, rules: AlbGroupRule[], orderGiven: boolean): AlbGroupMember | undefined {
    if (group.name === undefined) return undefined;
    const member = { owner: `AlbCanary ${this.node.path}`, group: group.name, order: group.order, namespace: this._effectiveNamespace, name: this.name, rules };
    const shadowing = albGroupProblem(this, member);
    if (shadowing) this._check.fail(orderGiven ? 'groupOrder' : 'groupName', shadowing);
    return member;
  }

  private resolveStickiness(value: AlbStickinessProps | undefined): number | undefined {
    const check: PropChecker = this._check;
    const sticky = check.object('stickiness', value, false, STICKINESS_FIELDS);
    if (!sticky) return undefined;
    if (sticky.duration === undefined) return check.fail('stickiness.duration', 'is required: how long a client stays on its target group (1 second to 7 days)');
    return check.wholeSeconds('stickiness.duration', sticky.duration, ALB_LIMITS.stickinessSeconds,
      `${ALB_LIMITS.stickinessSeconds.min} to ${ALB_LIMITS.stickinessSeconds.max} (7 days), the target-group stickiness ALB keeps`);
  }

  /**
   * HTTP/2 and gRPC to the pods (`backend-protocol-version`): ALB supports them only behind an
   * HTTPS listener.
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-group-protocol-version
   */
  private protocolAnnotations(listener: Record<string, string>): Record<string, string> {
    if (this.protocol === CanaryProtocol.HTTP) return {};
    if (!listener[`${ALB}certificate-arn`]) {
      this._check.fail('protocol', `is ${this.protocol}, which ALB forwards only from an HTTPS listener; give certificateArns`);
    }
    return { [`${ALB}backend-protocol-version`]: this.protocol === CanaryProtocol.GRPC ? 'GRPC' : 'HTTP2' };
  }

  private userAnnotations(value: unknown): Record<string, string> {
    const annotations = this._check.annotations('ingressAnnotations', value);
    this.refuseOwnedKeys('ingressAnnotations', Object.keys(annotations));
    return annotations;
  }

  /** The annotation keys AlbCanary writes, and the routing families, are never the user's. */
  private refuseOwnedKeys(prop: string, keys: string[]): void {
    const check: PropChecker = this._check;
    for (const key of keys) {
      if (key === 'kubernetes.io/ingress.class') check.fail(prop, 'key "kubernetes.io/ingress.class" conflicts with spec.ingressClassName, which AlbCanary sets; use ingressClassName');
      if (!key.startsWith(ALB)) continue;
      const rest = key.slice(ALB.length);
      if (OWNED.includes(rest)) check.fail(prop, `key ${showValue(key)} is set by AlbCanary from its props (scheme, targetType, certificateArns, sslRedirect, groupName, groupOrder, protocol); remove it`);
      if (ROUTING_FAMILIES.some((family) => rest.startsWith(family))) {
        check.fail(prop, `key ${showValue(key)} would route requests around the canary split; AlbCanary writes every action and condition from weight and match`);
      }
    }
  }
}

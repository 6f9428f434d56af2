import { Duration } from 'cdk8s';

import { CANARY_BASE_FIELDS, CanaryBaseProps, CommonSpec, hasCanary, ServiceType, withAlbTargetServices } from '../../canary/common-props';
import { declareAcceptedProps } from '../../core/accepted-props';
import { ALB, ALB_GROUP_NAME, ALB_LIMITS, albPathPatterns } from '../../core/alb';
import { AlbScheme, AlbTargetType, resolveCertificateArns } from '../../core/alb-settings';
import { showValue } from '../../core/errors';
import { CanaryMatch, ResolvedMatch, resolveMatches } from '../../core/match';
import { ingressPathProblem } from '../../core/paths';
import { PropChecker } from '../../core/validate';
import { ProgressionEngine } from '../../engines/progression';

// What AlbCanary accepts, in one place: its props, their declared fields, and the one function
// that checks them and says what the construct builds from (the per-rule checks in rules.ts).

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

/** The props AlbCanary takes: any other key is refused. */
export const ALB_CANARY_FIELDS: Record<keyof AlbCanaryProps, true> = {
  ...CANARY_BASE_FIELDS, host: true, path: true, pathType: true, scheme: true, targetType: true, certificateArns: true, sslRedirect: true,
  groupName: true, groupOrder: true, stickiness: true, match: true, ingressClassName: true, ingressAnnotations: true,
};
declareAcceptedProps('AlbCanary', ALB_CANARY_FIELDS, { hosts: 'host', hostnames: 'host', stickySessions: 'stickiness', tlsSecret: 'certificateArns' });
const STICKINESS_FIELDS: Record<keyof AlbStickinessProps, true> = { duration: true };
/** Annotation keys AlbCanary sets from its props. */
const OWNED = ['scheme', 'target-type', 'certificate-arn', 'listen-ports', 'ssl-redirect', 'group.name', 'group.order', 'backend-protocol-version'];
/** Annotation families that route requests: only the construct writes them. */
const ROUTING_FAMILIES = ['actions.', 'conditions.', 'transforms.'];
/** Characters ALB takes in a path condition (its listener-rule docs), wildcards excluded. */
const ALB_PATH = /^[A-Za-z0-9_\-.$/~"'@:+&]+$/;

/** The common props as AlbCanary passes them on (see withAlbTargetServices). */
export function albBaseProps(props: AlbCanaryProps): AlbCanaryProps {
  return withAlbTargetServices(props, props?.targetType);
}

/** The AlbCanary props, checked: what the construct builds its Ingress from. */
export interface ResolvedAlbProps {
  readonly host?: string;
  readonly path: string;
  readonly pathType: AlbPathType;
  readonly scheme: AlbScheme;
  readonly targetType: AlbTargetType;
  readonly className: string;
  /** The listener annotations: certificates, ports, the HTTPS redirect. */
  readonly listener: Record<string, string>;
  /** The IngressGroup (no name: the Ingress alone), its order and annotations. */
  readonly group: { readonly name?: string; readonly order: number; readonly annotations: Record<string, string> };
  readonly stickinessSeconds?: number;
  readonly matches: ResolvedMatch[];
  /** The user's ingressAnnotations, checked. */
  readonly extra: Record<string, string>;
}

/** Checks the AlbCanary props beyond the common ones, in the order their errors are reported. */
export function resolveAlbProps(spec: CommonSpec, props: AlbCanaryProps): ResolvedAlbProps {
  const check: PropChecker = spec.check;
  const progression = spec.progression;
  if (progression.engine === ProgressionEngine.FLAGGER) {
    check.fail('progression', 'is Flagger, but Flagger has no AWS Load Balancer Controller provider (the provider enum of the Canary CRD: apisix, appmesh, contour, gatewayapi, gloo, istio, knative, kubernetes, kuma, linkerd, nginx, osm, skipper, smi, traefik); use Progression.argoRollouts, or NginxCanary or GatewayCanary with Flagger');
  }
  if (progression.engine === ProgressionEngine.ARGO_ROLLOUTS && progression.analysis) {
    check.fail('progression.argoRollouts.analysis', 'is set, but an ALB reports its metrics to CloudWatch, not Prometheus; analyze with an AnalysisTemplate of your own (Argo\'s cloudWatch provider), or use IstioCanary, GatewayCanary or NginxCanary for Prometheus analysis');
  }
  // ALB settings may go on every object (the controller reads Service annotations per target group), but not the keys AlbCanary writes.
  refuseOwnedKeys(spec, 'annotations', Object.keys(check.annotations('annotations', props.annotations)));
  // The controller reads target-type and backend-protocol-version from a Service over the Ingress (per target group).
  refuseOwnedKeys(spec, 'serviceAnnotations', Object.keys(check.annotations('serviceAnnotations', props.serviceAnnotations)));
  const host = props.host === undefined ? undefined : resolveHost(spec, props.host);
  const pathType = check.oneOf('pathType', props.pathType, Object.values(AlbPathType), AlbPathType.PREFIX);
  const path = resolvePath(spec, 'path', props.path === undefined ? '/' : check.string('path', props.path), pathType);
  const scheme = check.oneOf('scheme', props.scheme, Object.values(AlbScheme), AlbScheme.INTERNAL);
  const targetType = check.oneOf('targetType', props.targetType, Object.values(AlbTargetType), AlbTargetType.IP);
  if (targetType === AlbTargetType.INSTANCE && props.serviceType === ServiceType.CLUSTER_IP) {
    check.fail('serviceType', 'is ClusterIP, but targetType INSTANCE reaches the pods through node ports; leave serviceType out (NodePort) or use targetType IP');
  }
  const className = props.ingressClassName === undefined ? 'alb' : check.dns1123Subdomain('ingressClassName', props.ingressClassName);
  const listener = listenerAnnotations(spec, props.certificateArns, props.sslRedirect);
  const group = resolveGroup(spec, props.groupName, props.groupOrder);
  const stickinessSeconds = resolveStickiness(spec, props.stickiness);
  const matches = resolveMatches(check, props.match, hasCanary(spec));
  const extra = userAnnotations(spec, props.ingressAnnotations);
  return { host, path, pathType, scheme, targetType, className, listener, group, stickinessSeconds, matches, extra };
}

/** ALB host conditions: a DNS name with at least one "." and letters after the last (its listener-rule docs). */
function resolveHost(spec: CommonSpec, value: unknown): string {
  const host = spec.check.hostname('host', value);
  if (!/\.[a-z]+$/.test(host)) spec.check.fail('host', `${showValue(host)} is not a host ALB can match: it needs a "." and only letters after the last one (e.g. "api.example.com")`);
  return host;
}

/** A path ALB and the controller accept: no wildcards in Prefix/Exact paths, ALB's characters, 128 characters with `/*`. */
export function resolvePath(spec: CommonSpec, prop: string, path: string, pathType: AlbPathType): string {
  if (!path.startsWith('/')) spec.check.fail(prop, `must start with "/", got ${showValue(path)}`);
  const problem = ingressPathProblem(path, pathType);
  if (problem) spec.check.fail(prop, `${showValue(path)} ${problem}`);
  if (!ALB_PATH.test(path)) {
    spec.check.fail(prop, `${showValue(path)} has a character an ALB path condition does not take (letters, digits and _-.$/~"'@:+& only; "*" and "?" are wildcards, refused in ${pathType} paths)`);
  }
  const longest = Math.max(...albPathPatterns(path, pathType).map((p) => p.length));
  if (longest > ALB_LIMITS.valueLength) spec.check.fail(prop, `${showValue(path)} gives a path pattern of ${longest} characters; ALB allows ${ALB_LIMITS.valueLength}`);
  return path;
}

function listenerAnnotations(spec: CommonSpec, arns: unknown, sslRedirect: unknown): Record<string, string> {
  const check: PropChecker = spec.check;
  const certificates = resolveCertificateArns(check, 'certificateArns', arns);
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
function resolveGroup(spec: CommonSpec, name: unknown, order: unknown): { name?: string; order: number; annotations: Record<string, string> } {
  const check: PropChecker = spec.check;
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

function resolveStickiness(spec: CommonSpec, value: AlbStickinessProps | undefined): number | undefined {
  const check: PropChecker = spec.check;
  const sticky = check.object('stickiness', value, false, STICKINESS_FIELDS);
  if (!sticky) return undefined;
  if (sticky.duration === undefined) return check.fail('stickiness.duration', 'is required: how long a client stays on its target group (1 second to 7 days)');
  return check.wholeSeconds('stickiness.duration', sticky.duration, ALB_LIMITS.stickinessSeconds,
    `${ALB_LIMITS.stickinessSeconds.min} to ${ALB_LIMITS.stickinessSeconds.max} (7 days), the target-group stickiness ALB keeps`);
}

function userAnnotations(spec: CommonSpec, value: unknown): Record<string, string> {
  const annotations = spec.check.annotations('ingressAnnotations', value);
  refuseOwnedKeys(spec, 'ingressAnnotations', Object.keys(annotations));
  return annotations;
}

/** The annotation keys AlbCanary writes, and the routing families, are never the user's. */
function refuseOwnedKeys(spec: CommonSpec, prop: string, keys: string[]): void {
  const check: PropChecker = spec.check;
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

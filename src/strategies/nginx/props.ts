import { Duration } from 'cdk8s';

import { CANARY_BASE_FIELDS, CanaryBaseProps, CommonSpec, hasCanary } from '../../canary/common-props';
import { declareAcceptedProps } from '../../core/accepted-props';
import { showValue } from '../../core/errors';
import { CanaryMatch, ResolvedMatch, resolveMatches } from '../../core/match';
import { durationSeconds } from '../../core/pass-through';
import { ingressPathProblem } from '../../core/paths';
import { PropChecker } from '../../core/validate';
import { ProgressionEngine } from '../../engines/progression';
import {
  IngressPath, NGINX, NGINX_COOKIE_NAME, nginxValue, protocolAnnotations, regexPathAnnotations, targetingAnnotations, userAnnotations, weightAnnotations,
} from './annotations';

// What NginxCanary accepts, in one place: its props, their declared fields, and the one function
// that checks them and says what the construct builds from (the annotation checks in annotations.ts).

/** How the Ingress path matches. */
export enum NginxPathType {
  /** Path prefix, element-wise. */
  PREFIX = 'Prefix',
  /** Exact path. */
  EXACT = 'Exact',
  /** ingress-nginx's own matching (regular expressions with `use-regex`). */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/** What a session that is sticky to the canary does when the canary stops receiving traffic. */
export enum NginxAffinityCanaryBehavior {
  /** Keep the session on the canary while it exists (ingress-nginx's default). */
  STICKY = 'sticky',
  /** Re-evaluate the canary rules on every request, ignoring affinity for the canary decision. */
  LEGACY = 'legacy',
}

/**
 * Cookie session affinity: a client keeps reaching the same pod, and — with `sticky` canary
 * behavior — the same track, so a user never flips between versions mid-session.
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#session-affinity
 */
export interface NginxStickySessionProps {
  /**
   * Name of the affinity cookie.
   * @default - `<name>-affinity`
   */
  readonly cookieName?: string;
  /**
   * Lifetime of the cookie.
   * @default - a session cookie
   */
  readonly maxAge?: Duration;
  /**
   * Canary behavior of sticky sessions.
   * @default NginxAffinityCanaryBehavior.STICKY
   */
  readonly canaryBehavior?: NginxAffinityCanaryBehavior;
}

/** Props of an ingress-nginx canary. */
export interface NginxCanaryProps extends CanaryBaseProps {
  /**
   * Host of both Ingresses.
   * @default - every host
   */
  readonly host?: string;
  /**
   * Path of both Ingresses.
   * @default "/"
   */
  readonly path?: string;
  /**
   * Path type of both Ingresses.
   * @default NginxPathType.PREFIX
   */
  readonly pathType?: NginxPathType;
  /**
   * IngressClass of both Ingresses: a canary with another class is silently ignored, so they always share it.
   * @default "nginx"
   */
  readonly ingressClassName?: string;
  /**
   * Targeted routing: at most one header entry (`headers` or `headerRegex`, one header) and one
   * `cookie` entry, each sending all matching requests to the canary. ingress-nginx checks the
   * header first, then the cookie, then the weight; a header with another value falls through.
   * A list, as in the other constructs, so that moving to GatewayCanary is a one-word change.
   * @default - none
   */
  readonly match?: CanaryMatch[];
  /**
   * A canary share finer than 1 %: percent with up to 3 decimals (e.g. 0.5), emitted as
   * `canary-weight` over `canary-weight-total`. Use instead of `weight`.
   * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary
   * @default - `weight` applies
   */
  readonly fineWeight?: number;
  /**
   * Cookie session affinity.
   * @default - none
   */
  readonly stickySessions?: NginxStickySessionProps;
  /**
   * Secret (type kubernetes.io/tls) for HTTPS on `host`.
   * @default - no TLS section
   */
  readonly tlsSecret?: string;
  /**
   * More annotations on the main Ingress (e.g. `nginx.ingress.kubernetes.io/proxy-body-size`).
   * Snippet annotations are rejected; canary annotations are managed by this construct.
   * (`annotations`, a common prop, goes on every object.)
   * @default - none
   */
  readonly ingressAnnotations?: { [key: string]: string };
}

/** The props NginxCanary takes: any other key is refused. */
export const NGINX_CANARY_FIELDS: Record<keyof NginxCanaryProps, true> = {
  ...CANARY_BASE_FIELDS, host: true, path: true, pathType: true, ingressClassName: true, match: true, fineWeight: true, stickySessions: true,
  tlsSecret: true, ingressAnnotations: true,
};
declareAcceptedProps('NginxCanary', NGINX_CANARY_FIELDS, { hosts: 'host', hostnames: 'host', stickiness: 'stickySessions' });
const STICKY_FIELDS: Record<keyof NginxStickySessionProps, true> = { cookieName: true, maxAge: true, canaryBehavior: true };
/** Paths ingress-nginx accepts for Prefix and Exact with strict path validation (the default since v1.12). */
const STRICT_PATH = /^\/[A-Za-z0-9/_-]*$/;

/** The NginxCanary props, checked: what the construct builds its Ingresses from. */
export interface ResolvedNginxProps {
  readonly host?: string;
  readonly path: string;
  readonly pathType: NginxPathType;
  readonly className: string;
  readonly matches: ResolvedMatch[];
  /** The canary Ingress's canary-by-* annotations. */
  readonly targeting: Record<string, string>;
  readonly weighting: { readonly annotations: Record<string, string>; readonly percent: number };
  readonly sticky: { readonly main: Record<string, string>; readonly canary: Record<string, string> };
  /** The user's ingressAnnotations, checked. */
  readonly extra: Record<string, string>;
  readonly tlsSecret?: string;
  /** What the main Ingress says about the protocol and a regex path. */
  readonly protocol: Record<string, string>;
}

/** Checks the NginxCanary props beyond the common ones, in the order their errors are reported. */
export function resolveNginxProps(spec: CommonSpec, props: NginxCanaryProps): ResolvedNginxProps {
  const check: PropChecker = spec.check;
  const host = props.host === undefined ? undefined : check.hostname('host', props.host);
  const pathType = check.oneOf('pathType', props.pathType, Object.values(NginxPathType), NginxPathType.PREFIX);
  const path = resolvePath(spec, props.path, pathType);
  const ingressPath: IngressPath = { value: path, type: pathType, implementationSpecific: pathType === NginxPathType.IMPLEMENTATION_SPECIFIC };
  const className = props.ingressClassName === undefined ? 'nginx' : check.dns1123Subdomain('ingressClassName', props.ingressClassName);
  const matches = resolveMatches(check, props.match, hasCanary(spec));
  checkEngine(spec, props, matches);
  const targeting = targetingAnnotations(spec, matches);
  const weighting = weightAnnotations(spec, props.fineWeight);
  const sticky = stickyAnnotations(spec, props.stickySessions);
  const extra = userAnnotations(spec, props.ingressAnnotations, Object.keys(sticky.main), ingressPath);
  const tlsSecret = props.tlsSecret === undefined ? undefined : check.dns1123Subdomain('tlsSecret', props.tlsSecret);
  if (tlsSecret && !host) check.fail('tlsSecret', 'needs host: the TLS section names the host its certificate serves');
  const protocol = { ...protocolAnnotations(spec, tlsSecret, extra), ...regexPathAnnotations(spec, ingressPath, extra) };
  return { host, path, pathType, className, matches, targeting, weighting, sticky, extra, tlsSecret, protocol };
}

/**
 * What an engine cannot do through ingress-nginx. Argo Rollouts accepts setHeaderRoute only for
 * the routers that implement it (pkg/apis/rollouts/validation/validation.go: Istio, ALB, APISIX
 * and plugins), not nginx; the engines write the canary Ingress's annotations themselves.
 */
function checkEngine(spec: CommonSpec, props: NginxCanaryProps, matches: ResolvedMatch[]): void {
  const engine = spec.progression.engine;
  if (engine === ProgressionEngine.MANUAL) return;
  const check: PropChecker = spec.check;
  if (engine === ProgressionEngine.ARGO_ROLLOUTS && matches.length > 0) {
    check.fail('match', 'is set, but Argo Rollouts refuses header routes (setHeaderRoute) with nginx traffic routing; remove match, use Progression.flagger (A/B match) or Progression.manual(), or use IstioCanary, GatewayCanary or AlbCanary');
  }
  if (props.fineWeight !== undefined) check.fail('fineWeight', 'is set, but the progression engine writes the canary Ingress\'s weight itself; remove fineWeight');
  if (props.stickySessions !== undefined) check.fail('stickySessions', 'is set, but the progression engine writes the canary Ingress itself; remove stickySessions, or use Progression.manual()');
}

function resolvePath(spec: CommonSpec, value: unknown, pathType: NginxPathType): string {
  if (value === undefined) return '/';
  const path = spec.check.string('path', value);
  if (!path.startsWith('/')) spec.check.fail('path', `must start with "/", got ${showValue(path)}`);
  const problem = ingressPathProblem(path, pathType);
  if (problem) spec.check.fail('path', `${showValue(path)} ${problem}`);
  if (pathType !== NginxPathType.IMPLEMENTATION_SPECIFIC && !STRICT_PATH.test(path)) {
    spec.check.fail('path', `${showValue(path)} is rejected by ingress-nginx's strict path validation for ${pathType} paths (letters, digits, "/", "_" and "-" only); use pathType ImplementationSpecific for other characters`);
  }
  return path;
}

/** Cookie affinity on both Ingresses, and how the canary treats a client that already has one. */
function stickyAnnotations(spec: CommonSpec, value: NginxStickySessionProps | undefined): { main: Record<string, string>; canary: Record<string, string> } {
  const check: PropChecker = spec.check;
  const sticky = check.object('stickySessions', value, false, STICKY_FIELDS);
  if (!sticky) return { main: {}, canary: {} };
  const cookieName = sticky.cookieName === undefined ? `${spec.name}-affinity` : nginxValue(spec, 'stickySessions.cookieName', check.string('stickySessions.cookieName', sticky.cookieName), NGINX_COOKIE_NAME);
  const maxAgeGiven = check.duration('stickySessions.maxAge', sticky.maxAge);
  const maxAge = maxAgeGiven && durationSeconds(check, 'stickySessions.maxAge', maxAgeGiven, 1);
  const behavior = check.oneOf('stickySessions.canaryBehavior', sticky.canaryBehavior, Object.values(NginxAffinityCanaryBehavior), NginxAffinityCanaryBehavior.STICKY);
  // Affinity annotations are among the few a canary Ingress honours; both upstreams need them.
  const affinity = {
    [`${NGINX}affinity`]: 'cookie',
    [`${NGINX}session-cookie-name`]: cookieName,
    ...(maxAge ? { [`${NGINX}session-cookie-max-age`]: String(maxAge) } : {}),
  };
  return { main: affinity, canary: { ...affinity, [`${NGINX}affinity-canary-behavior`]: behavior } };
}

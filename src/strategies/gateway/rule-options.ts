import { ApiObject, Duration } from 'cdk8s';

import {
  HttpRouteSpecRulesRetry, HttpRouteSpecRulesSessionPersistence, HttpRouteSpecRulesSessionPersistenceCookieConfigLifetimeType,
  HttpRouteSpecRulesSessionPersistenceType, toJson_HttpRouteSpecRulesRetry, toJson_HttpRouteSpecRulesSessionPersistence,
} from '../../../imports/experimental-gateway.networking.k8s.io';
import { HttpRouteSpecRulesFiltersRequestMirrorFraction } from '../../../imports/gateway.networking.k8s.io';
import { checkMirrorTarget, CommonSpec } from '../../canary/common-props';
import { gatewayDuration } from '../../core/duration';
import { showValue } from '../../core/errors';
import { COOKIE_NAME } from '../../core/match';
import { CanaryProtocol } from '../../core/protocol';
import { INT32_MAX, PropChecker } from '../../core/validate';
import { exactPercentFraction } from '../../core/weights';

// What GatewayCanary puts on its rules beyond matches and weights: the request mirror, retries
// and session persistence, with the Gateway API channel each needs.

/**
 * The Gateway API release channel the cluster's CRDs come from. A field only the experimental
 * channel has is refused on STANDARD: the API server would prune it without a word.
 * @see https://gateway-api.sigs.k8s.io/concepts/versioning/#release-channels
 */
export enum GatewayApiChannel {
  /** The standard channel (the default install). */
  STANDARD = 'standard',
  /** The experimental channel (experimental-install.yaml): rule retry and sessionPersistence. */
  EXPERIMENTAL = 'experimental',
}

/**
 * Copy (shadow) a share of the weighted rule's requests to the canary Service: a `RequestMirror`
 * filter. Responses from the mirror are discarded, so the split of real requests is unchanged.
 * @see https://gateway-api.sigs.k8s.io/guides/http-request-mirroring/
 */
export interface GatewayMirrorProps {
  /**
   * Share of requests mirrored, 0 < percent ≤ 100, fractional allowed (`0.5`): an integer is
   * written as `percent`, any other as an exact `fraction` (Gateway API v1.3 and later).
   * @default 100
   */
  readonly percent?: number;
}

/**
 * Retry failed requests: the rule's `retry` (Gateway API experimental channel, GEP-1731).
 * @see https://gateway-api.sigs.k8s.io/geps/gep-1731/
 */
export interface GatewayRetryProps {
  /** Retries after the first attempt (at least 1). */
  readonly attempts: number;
  /**
   * Minimum wait between attempts.
   * @default - the implementation's
   */
  readonly backoff?: Duration;
  /**
   * HTTP statuses (400-599) that are retried.
   * @default - the implementation's (typically connection errors and 503)
   */
  readonly codes?: number[];
}

/**
 * Session persistence by cookie: the rule's `sessionPersistence` (Gateway API experimental
 * channel, GEP-1619). For a canary this means a client that reached the canary stays there, and
 * one that reached stable stays there, until its cookie ends: the weight then decides for new
 * clients only, and a rollback (weight 0) keeps sending sticky clients to the canary Service as
 * long as it exists.
 * @see https://gateway-api.sigs.k8s.io/geps/gep-1619/
 */
export interface GatewayStickySessionProps {
  /**
   * Name of the session cookie.
   * @default - `<name>-session`
   */
  readonly cookieName?: string;
  /**
   * Lifetime of the cookie (a permanent cookie).
   * @default - a session cookie, ended when the browser closes
   */
  readonly maxAge?: Duration;
}

/** The RequestMirror share, as the filter writes it: `percent` or `fraction`, or neither for 100. */
export interface MirrorShare {
  readonly percent?: number;
  readonly fraction?: HttpRouteSpecRulesFiltersRequestMirrorFraction;
}

/** The rule options, checked. */
export interface ResolvedRuleOptions {
  readonly channel: GatewayApiChannel;
  readonly mirror?: MirrorShare;
  readonly retry?: HttpRouteSpecRulesRetry;
  readonly sessionPersistence?: HttpRouteSpecRulesSessionPersistence;
}

/** The props this file reads. */
export interface RuleOptionProps {
  readonly channel?: GatewayApiChannel;
  readonly mirror?: GatewayMirrorProps;
  readonly retries?: GatewayRetryProps;
  readonly stickySessions?: GatewayStickySessionProps;
}

const MIRROR_FIELDS: Record<keyof GatewayMirrorProps, true> = { percent: true };
const RETRY_FIELDS: Record<keyof GatewayRetryProps, true> = { attempts: true, backoff: true, codes: true };
const STICKY_FIELDS: Record<keyof GatewayStickySessionProps, true> = { cookieName: true, maxAge: true };
/** The CRD's limits (experimental v1.6.1): retry.codes items 400-599, sessionName ≤ 128. */
const RETRY_CODES = { min: 400, max: 599 };
const MAX_SESSION_NAME = 128;

/** Where the route is served, for the refusals that depend on it. */
export interface RuleOptionContext {
  /** The ALB Gateway (AWS Load Balancer Controller) serves the route. */
  readonly alb: boolean;
}

/** Checks channel, mirror, retries and stickySessions, in that order (under Flagger, props.ts refuses the last two first). */
export function resolveRuleOptions(spec: CommonSpec, props: RuleOptionProps, context: RuleOptionContext): ResolvedRuleOptions {
  const channel = spec.check.oneOf('channel', props.channel, Object.values(GatewayApiChannel), GatewayApiChannel.STANDARD);
  const requireExperimental = (prop: string, field: string) => {
    if (channel !== GatewayApiChannel.EXPERIMENTAL) {
      spec.check.fail(prop, `is set, but channel is ${channel}: the rule's ${field} is in the Gateway API experimental channel only (v1.6.1), and a standard-channel API server drops it; install the experimental CRDs and set channel: GatewayApiChannel.EXPERIMENTAL`);
    }
  };
  return {
    channel,
    mirror: resolveMirror(spec, props.mirror, context),
    retry: props.retries === undefined ? undefined : resolveRetry(spec, props.retries, context, () => requireExperimental('retries', 'retry')),
    sessionPersistence: props.stickySessions === undefined ? undefined
      : resolveSessionPersistence(spec, props.stickySessions, context, () => requireExperimental('stickySessions', 'sessionPersistence')),
  };
}

function resolveRetry(spec: CommonSpec, value: GatewayRetryProps, context: RuleOptionContext, requireExperimental: () => void): HttpRouteSpecRulesRetry {
  const check: PropChecker = spec.check;
  const retries = check.object('retries', value, true, RETRY_FIELDS)!;
  requireExperimental();
  if (spec.protocol === CanaryProtocol.GRPC) check.fail('retries', 'is set, but protocol is GRPC and a GRPCRoute has no retry field (HTTPRoute only, experimental channel)');
  if (context.alb) check.fail('retries', 'is set, but an ALB does not retry requests, and the AWS Load Balancer Controller does not implement the rule\'s retry; remove retries (retry in the client, or use Istio behind the ALB)');
  const codes = check.list('retries.codes', retries.codes, 'a list of HTTP status codes') as number[] | undefined;
  codes?.forEach((code, i) => check.integer(`retries.codes[${i}]`, code, RETRY_CODES));
  if (codes && new Set(codes).size !== codes.length) check.fail('retries.codes', `lists a status twice, got ${showValue(codes)} (the CRD's list is a set)`);
  const backoff = check.duration('retries.backoff', retries.backoff);
  return {
    attempts: check.integer('retries.attempts', retries.attempts, { min: 1, max: INT32_MAX }),
    backoff: backoff && gatewayDuration(backoff),
    codes: codes && codes.length > 0 ? [...codes] : undefined,
  };
}

function resolveSessionPersistence(spec: CommonSpec, value: GatewayStickySessionProps, context: RuleOptionContext, requireExperimental: () => void): HttpRouteSpecRulesSessionPersistence {
  const check: PropChecker = spec.check;
  const sticky = check.object('stickySessions', value, true, STICKY_FIELDS)!;
  requireExperimental();
  if (context.alb) check.fail('stickySessions', 'is set, but the AWS Load Balancer Controller does not implement the route\'s sessionPersistence; use target-group stickiness instead: a ListenerRuleConfiguration (gateway.k8s.aws) whose forward action sets targetGroupStickinessConfig, referenced from the rule by an ExtensionRef filter');
  const name = sticky.cookieName === undefined ? `${spec.name}-session` : check.string('stickySessions.cookieName', sticky.cookieName);
  if (!COOKIE_NAME.test(name) || name.length > MAX_SESSION_NAME) {
    check.fail('stickySessions.cookieName', `is not a valid cookie name (an RFC 6265 token of at most ${MAX_SESSION_NAME} characters: letters, digits and !#$%&'*+-.^_\`|~), got ${showValue(name)}`);
  }
  const maxAge = check.duration('stickySessions.maxAge', sticky.maxAge);
  // A Permanent cookie needs absoluteTimeout (the CRD's CEL rule); a Session cookie is the default.
  return {
    sessionName: name,
    type: HttpRouteSpecRulesSessionPersistenceType.COOKIE,
    absoluteTimeout: maxAge && gatewayDuration(maxAge),
    cookieConfig: maxAge && { lifetimeType: HttpRouteSpecRulesSessionPersistenceCookieConfigLifetimeType.PERMANENT },
  };
}

function resolveMirror(spec: CommonSpec, value: GatewayMirrorProps | undefined, context: RuleOptionContext): MirrorShare | undefined {
  const check: PropChecker = spec.check;
  const mirror = check.object('mirror', value, false, MIRROR_FIELDS);
  if (!mirror) return undefined;
  checkMirrorTarget(spec);
  if (context.alb) check.fail('mirror', 'is set, but an ALB cannot mirror requests and the AWS Load Balancer Controller does not implement RequestMirror; remove mirror (Istio or another Gateway API implementation behind the ALB can mirror)');
  const percent = mirror.percent;
  if (percent === undefined || percent === 100) return {};
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent <= 0 || percent > 100) {
    check.fail('mirror.percent', `must be a number greater than 0 and at most 100, got ${showValue(percent)}`);
  }
  if (Number.isInteger(percent)) return { percent };
  const fraction = exactPercentFraction(percent);
  if (!fraction) check.fail('mirror.percent', `is ${percent}, which has more decimal places than an exact fraction can carry (numerator and denominator are 32-bit integers); round it, e.g. ${Number(percent.toFixed(4))}`);
  return { fraction };
}

/**
 * Writes the experimental-channel fields onto each rule of the route. The route object is the
 * standard channel's type (the one the public API names), whose renderer drops every field it
 * does not know, JSON patches included, so the fields are added to what it renders, in the
 * experimental types' own form and in the sorted key order cdk8s writes.
 */
export function addExperimentalRuleFields(route: ApiObject, options: ResolvedRuleOptions): void {
  const fields: Record<string, unknown> = {
    retry: toJson_HttpRouteSpecRulesRetry(options.retry),
    sessionPersistence: toJson_HttpRouteSpecRulesSessionPersistence(options.sessionPersistence),
  };
  if (Object.values(fields).every((v) => v === undefined)) return;
  const render = route.toJson.bind(route);
  route.toJson = () => {
    const json = render();
    const rules = (json.spec.rules as Record<string, unknown>[]).map((rule) => {
      // A copy per rule: one object in several places would be written as a YAML alias.
      const all: Record<string, unknown> = { ...rule, ...structuredClone(fields) };
      return Object.fromEntries(Object.keys(all).sort().filter((k) => all[k] !== undefined).map((k) => [k, all[k]]));
    });
    return { ...json, spec: { ...json.spec, rules } };
  };
}

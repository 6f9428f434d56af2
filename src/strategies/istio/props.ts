import { Duration } from 'cdk8s';

import { DestinationRuleSpecTrafficPolicy, VirtualServiceSpecHttp } from '../../../imports/networking.istio.io';
import { CANARY_BASE_FIELDS, CanaryBaseProps, checkMirrorTarget, CommonSpec, effectiveNamespace, hasCanary, serviceHost } from '../../canary/common-props';
import { checkMeshPods } from '../../canary/mesh-pods';
import { routeClaim } from '../../canary/registration';
import { declareAcceptedProps } from '../../core/accepted-props';
import { protoDuration } from '../../core/duration';
import { showValue } from '../../core/errors';
import { capturesClusterServices, hostsOverlap, resolveIstioHost } from '../../core/hosts';
import { Track } from '../../core/labels';
import { CanaryMatch, ResolvedMatch, resolveMatches } from '../../core/match';
import { Claim } from '../../core/ownership';
import { PropChecker } from '../../core/validate';
import { ProgressionEngine } from '../../engines/progression';
import { checkTrafficPolicy } from './traffic-policy';

// What IstioCanary accepts, in one place: its props, their declared fields and limits, and the
// one function that checks them and says what the construct builds from.

/** The `apiVersion` of the Istio networking objects. */
export enum IstioApiVersion {
  /** `networking.istio.io/v1`, served by Istio 1.22 and later. */
  V1 = 'networking.istio.io/v1',
  /** `networking.istio.io/v1beta1`, for meshes older than Istio 1.22. Same fields. */
  V1BETA1 = 'networking.istio.io/v1beta1',
}

/**
 * Mirror (shadow) ordinary traffic to the canary: responses from the canary are discarded, so
 * it can be watched under real load before it serves anyone (a dark launch).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export interface IstioMirrorProps {
  /**
   * Percent of the default route's requests copied to the canary (0-100, fractions allowed).
   * @default 100
   */
  readonly percentage?: number;
}

/** A delay injected before forwarding. */
export interface IstioDelayFault {
  /** How long to delay. */
  readonly fixedDelay: Duration;
  /**
   * Percent of requests delayed (0-100, fractions allowed).
   * @default 100
   */
  readonly percentage?: number;
}

/** An error returned instead of forwarding. */
export interface IstioAbortFault {
  /** HTTP status to return (200-599). */
  readonly httpStatus: number;
  /**
   * Percent of requests aborted (0-100, fractions allowed).
   * @default 100
   */
  readonly percentage?: number;
}

/**
 * Fault injection on the targeted routes (the `match` entries), to test how callers cope with a
 * slow or failing canary. Ordinary traffic is never faulted.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection
 */
export interface IstioFaultProps {
  /**
   * Delay requests.
   * @default - no delay
   */
  readonly delay?: IstioDelayFault;
  /**
   * Abort requests.
   * @default - no abort
   */
  readonly abort?: IstioAbortFault;
}

/**
 * Retries of every route.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface IstioRetryProps {
  /** Retries allowed per request (0 disables Istio's default of 2). */
  readonly attempts: number;
  /**
   * Timeout of each attempt.
   * @default - the route timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * Conditions to retry on (Envoy `x-envoy-retry-on` / `x-envoy-retry-grpc-on` policies or status codes).
   * @default - Istio's default: connect-failure,refused-stream,unavailable,cancelled,503
   */
  readonly retryOn?: string[];
}

/** Props of an Istio canary. */
export interface IstioCanaryProps extends CanaryBaseProps {
  /**
   * Targeted routes, in order, before the weighted default route.
   * @default - none
   */
  readonly match?: CanaryMatch[];
  /**
   * More hosts the VirtualService answers for, besides the Service FQDN (e.g. the external
   * host names an ingress gateway serves).
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService
   * @default - the Service FQDN only
   */
  readonly hosts?: string[];
  /**
   * Istio Gateways (`name` or `namespace/name`) whose traffic the routes also split.
   * @default - mesh (sidecar) traffic only
   */
  readonly gateways?: string[];
  /**
   * Also split mesh (sidecar-to-sidecar) traffic when `gateways` is set (adds the reserved `mesh` gateway).
   * @default true
   */
  readonly meshTraffic?: boolean;
  /**
   * Write the Service as a fully qualified host (`<name>.<namespace>.svc.cluster.local`) in the
   * VirtualService and DestinationRule. By default it is the short name `<name>`, which istiod
   * resolves in the rule's own namespace, so the output keeps routing when a kustomize
   * `namespace:` overlay or an Argo CD ApplicationSet moves it to another namespace.
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService
   * @default false
   */
  readonly fqdnHosts?: boolean;
  /**
   * apiVersion of the VirtualService and DestinationRule.
   * @default IstioApiVersion.V1
   */
  readonly apiVersion?: IstioApiVersion;
  /**
   * Mirror ordinary traffic to the canary.
   * @default - no mirroring
   */
  readonly mirror?: IstioMirrorProps;
  /**
   * Fault injection on the targeted routes.
   * @default - none
   */
  readonly fault?: IstioFaultProps;
  /**
   * Timeout of every route.
   * @default - Istio's default (none)
   */
  readonly timeout?: Duration;
  /**
   * Retries of every route.
   * @default - Istio's default (2 attempts)
   */
  readonly retries?: IstioRetryProps;
  /**
   * Traffic policy of the DestinationRule (load balancing, connection pool, outlier detection, TLS).
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
   * @default - none
   */
  readonly trafficPolicy?: DestinationRuleSpecTrafficPolicy;
}

const PERCENT = { min: 0, max: 100 };
/** The props IstioCanary takes: any other key is refused. */
export const ISTIO_CANARY_FIELDS: Record<keyof IstioCanaryProps, true> = {
  ...CANARY_BASE_FIELDS, fqdnHosts: true, match: true, hosts: true, gateways: true, meshTraffic: true, apiVersion: true, mirror: true, fault: true, timeout: true,
  retries: true, trafficPolicy: true,
};
declareAcceptedProps('IstioCanary', ISTIO_CANARY_FIELDS, { host: 'hosts', hostnames: 'hosts', mesh: 'meshTraffic (on by default)', gateway: 'gateways' });
const MIRROR_FIELDS: Record<keyof IstioMirrorProps, true> = { percentage: true };
const FAULT_FIELDS: Record<keyof IstioFaultProps, true> = { delay: true, abort: true };
const DELAY_FIELDS: Record<keyof IstioDelayFault, true> = { fixedDelay: true, percentage: true };
const ABORT_FIELDS: Record<keyof IstioAbortFault, true> = { httpStatus: true, percentage: true };
const RETRY_FIELDS: Record<keyof IstioRetryProps, true> = { attempts: true, perTryTimeout: true, retryOn: true };
const GATEWAY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded', 'internal',
  'resource-exhausted', 'unavailable',
]);


/** The IstioCanary props, checked: what the construct builds its routes from. */
export interface ResolvedIstioProps {
  /** How the routes name Service `<name>`: the short name, or the FQDN with `fqdnHosts`. */
  readonly routeHost: string;
  readonly matches: ResolvedMatch[];
  readonly apiVersion: IstioApiVersion;
  /** The gateways the VirtualService binds, with `mesh` when mesh traffic is split too. */
  readonly gateways: string[];
  /** The VirtualService hosts: the route host first. */
  readonly hosts: string[];
  /** The (gateway, host) routes to claim app-wide. */
  readonly claims: Claim[];
  readonly routeOptions: Pick<VirtualServiceSpecHttp, 'timeout' | 'retries'>;
  readonly fault: VirtualServiceSpecHttp['fault'];
  readonly mirror: Pick<VirtualServiceSpecHttp, 'mirror' | 'mirrorPercentage'>;
  readonly trafficPolicy?: DestinationRuleSpecTrafficPolicy;
}

/** Checks the IstioCanary props beyond the common ones, in the order their errors are reported. */
export function resolveIstioProps(spec: CommonSpec, props: IstioCanaryProps): ResolvedIstioProps {
  const check: PropChecker = spec.check;
  const routeHost = check.boolean('fqdnHosts', props.fqdnHosts, false) ? serviceHost(spec) : spec.serviceName;
  const matches = resolveMatches(check, props.match, hasCanary(spec));
  const apiVersion = check.oneOf('apiVersion', props.apiVersion, Object.values(IstioApiVersion), IstioApiVersion.V1);
  checkMeshPods(spec, 'an IstioCanary');
  const gateways = resolveGateways(spec, props);
  const { hosts, claims } = resolveHosts(spec, props, gateways, routeHost);
  const routeOptions = resolveRouteOptions(spec, props);
  if (spec.progression.engine !== ProgressionEngine.MANUAL) {
    if (props.fault !== undefined) check.fail('fault', 'is injected on the targeted routes, which the progression engine owns; remove fault, or use Progression.manual()');
  }
  const fault = resolveFault(spec, props, matches);
  const mirror = resolveMirror(spec, props, routeHost);
  checkTrafficPolicy(check, props.trafficPolicy);
  return { routeHost, matches, apiVersion, gateways, hosts, claims, routeOptions, fault, mirror, trafficPolicy: props.trafficPolicy };
}

function resolveGateways(spec: CommonSpec, props: IstioCanaryProps): string[] {
  const check: PropChecker = spec.check;
  const gateways = check.stringList('gateways', props.gateways) ?? [];
  gateways.forEach((gateway, i) => {
    if (gateway === 'mesh') check.fail(`gateways[${i}]`, 'is "mesh": mesh traffic is split by default; use meshTraffic: false to split gateway traffic only');
    if (!GATEWAY.test(gateway) || gateway.length > 253) {
      check.fail(`gateways[${i}]`, `must be a Gateway name or "namespace/name" (DNS-1123), got ${showValue(gateway)}`);
    }
    if (gateways.indexOf(gateway) !== i) check.fail(`gateways[${i}]`, `repeats ${showValue(gateway)}`);
  });
  const mesh = check.boolean('meshTraffic', props.meshTraffic, true);
  if (!mesh && gateways.length === 0) {
    check.fail('meshTraffic', 'is false but no gateways are given, so the VirtualService would route nothing; give gateways or remove meshTraffic');
  }
  return gateways.length > 0 && mesh ? [...gateways, 'mesh'] : gateways;
}

/**
 * The VirtualService hosts: the Service's own, then the user's, with istiod's rules mirrored
 * (pkg/config/validation ValidateVirtualService: no "*" bound to the mesh gateway, no two hosts
 * that match each other) and one more: a wildcard covering in-cluster names would take the mesh
 * traffic of every other Service in the namespace. Each (gateway, host) pair is claimed app-wide.
 */
function resolveHosts(spec: CommonSpec, props: IstioCanaryProps, gateways: string[], routeHost: string): { hosts: string[]; claims: Claim[] } {
  const check: PropChecker = spec.check;
  const throughGateway = gateways.length > 0;
  const mesh = !throughGateway || gateways.includes('mesh');
  const extra = check.stringList('hosts', props.hosts) ?? [];
  const all = [routeHost, ...extra];
  extra.forEach((host, i) => {
    if (host === '*') {
      if (!throughGateway) check.fail(`hosts[${i}]`, 'is "*", which Istio allows only for gateway traffic; give gateways or a host name');
      if (mesh) check.fail(`hosts[${i}]`, 'is "*", which istiod refuses on a VirtualService bound to the mesh gateway; set meshTraffic: false or give host names');
    } else {
      check.hostname(`hosts[${i}]`, host);
    }
    if (mesh && capturesClusterServices(host)) {
      check.fail(`hosts[${i}]`, `${showValue(host)} covers in-cluster Service names: for mesh traffic it would route requests to every other Service it matches to this canary's pods; list exact host names`);
    }
    const earlier = all.slice(0, i + 1).find((other) => hostsOverlap(resolveIstioHost(other, effectiveNamespace(spec)), resolveIstioHost(host, effectiveNamespace(spec))));
    if (earlier !== undefined) {
      check.fail(`hosts[${i}]`, `${showValue(host)} ${earlier === host ? 'repeats' : `overlaps ${showValue(earlier)}`}${earlier === routeHost ? ' (the Service is always a host)' : ''}; istiod refuses duplicate hosts in one VirtualService`);
    }
  });
  if (throughGateway && extra.length === 0) {
    check.fail('hosts', 'is empty while gateways are given: gateway requests carry external host names (e.g. "www.example.com"); list them in hosts');
  }
  const claims: Claim[] = [];
  for (const gateway of throughGateway ? gateways : ['mesh']) {
    const gatewayKey = gateway === 'mesh' || gateway.includes('/') ? gateway : `${effectiveNamespace(spec)}/${gateway}`;
    all.forEach((host, i) => {
      const resolved = resolveIstioHost(host, effectiveNamespace(spec));
      claims.push(routeClaim(i === 0 ? 'name' : `hosts[${i - 1}]`, `istio|${gatewayKey}|${resolved}`, `the Istio route for ${resolved} through ${gateway === 'mesh' ? 'the mesh' : `gateway ${gatewayKey}`}`));
    });
  }
  return { hosts: all, claims };
}

function resolveRouteOptions(spec: CommonSpec, props: IstioCanaryProps): Pick<VirtualServiceSpecHttp, 'timeout' | 'retries'> {
  const check: PropChecker = spec.check;
  const timeout = check.duration('timeout', props.timeout);
  const retries = check.object('retries', props.retries, false, RETRY_FIELDS);
  if (!retries) return { timeout: timeout && protoDuration(timeout) };
  const attempts = check.integer('retries.attempts', retries.attempts, { min: 0, max: 1000 });
  if (attempts === undefined) check.fail('retries.attempts', 'is required when retries is set');
  const perTry = check.duration('retries.perTryTimeout', retries.perTryTimeout);
  const retryOn = check.stringList('retries.retryOn', retries.retryOn);
  retryOn?.forEach((policy, i) => {
    if (!RETRY_ON.has(policy) && !/^[1-5][0-9][0-9]$/.test(policy)) {
      check.fail(`retries.retryOn[${i}]`, `must be an Envoy retry policy (${[...RETRY_ON].join(', ')}) or an HTTP status code, got ${showValue(policy)}`);
    }
  });
  return {
    timeout: timeout && protoDuration(timeout),
    retries: { attempts, perTryTimeout: perTry && protoDuration(perTry), retryOn: retryOn?.join(',') },
  };
}

function resolveFault(spec: CommonSpec, props: IstioCanaryProps, matches: ResolvedMatch[]): VirtualServiceSpecHttp['fault'] {
  const check: PropChecker = spec.check;
  const fault = check.object('fault', props.fault, false, FAULT_FIELDS);
  if (!fault) return undefined;
  if (matches.length === 0) {
    check.fail('fault', 'is injected on the targeted routes only (ordinary traffic also reaches stable), but there is no match; add a match entry for the requests to fault');
  }
  if (!fault.delay && !fault.abort) check.fail('fault', 'needs delay or abort');
  const delay = check.object('fault.delay', fault.delay, false, DELAY_FIELDS);
  const abort = check.object('fault.abort', fault.abort, false, ABORT_FIELDS);
  const fixedDelay = delay && check.duration('fault.delay.fixedDelay', delay.fixedDelay);
  if (delay && !fixedDelay) check.fail('fault.delay.fixedDelay', 'is required');
  return {
    delay: delay && {
      fixedDelay: protoDuration(fixedDelay!),
      percentage: { value: check.number('fault.delay.percentage', delay.percentage, PERCENT, 100) },
    },
    abort: abort && {
      httpStatus: check.integer('fault.abort.httpStatus', abort.httpStatus, { min: 200, max: 599 })
        ?? check.fail('fault.abort.httpStatus', 'is required'),
      percentage: { value: check.number('fault.abort.percentage', abort.percentage, PERCENT, 100) },
    },
  };
}

function resolveMirror(spec: CommonSpec, props: IstioCanaryProps, routeHost: string): Pick<VirtualServiceSpecHttp, 'mirror' | 'mirrorPercentage'> {
  const check: PropChecker = spec.check;
  const mirror = check.object('mirror', props.mirror, false, MIRROR_FIELDS);
  if (!mirror) return {};
  checkMirrorTarget(spec);
  return {
    mirror: { host: routeHost, subset: Track.CANARY, port: { number: spec.port } },
    mirrorPercentage: { value: check.number('mirror.percentage', mirror.percentage, PERCENT, 100) },
  };
}

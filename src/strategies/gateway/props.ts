import { Duration } from 'cdk8s';

import { HttpRouteSpecParentRefs } from '../../../imports/gateway.networking.k8s.io';
import { CANARY_BASE_FIELDS, CanaryBaseProps, CommonSpec, effectiveNamespace, hasCanary, withAlbTargetServices } from '../../canary/common-props';
import { checkMeshPods } from '../../canary/mesh-pods';
import { declareAcceptedProps } from '../../core/accepted-props';
import { showValue } from '../../core/errors';
import { CanaryMatch, HeaderMatchType, PathMatchType, prefixUnsupported, ResolvedMatch, resolveMatches } from '../../core/match';
import { pathProblem, withinPrefix } from '../../core/paths';
import { CanaryProtocol, grpcMethodOfPath, GrpcMethodPath } from '../../core/protocol';
import { compareRanks, grpcRouteRank, httpRouteRank } from '../../core/route-precedence';
import { PORT_RANGE, PropChecker } from '../../core/validate';
import { ProgressionEngine } from '../../engines/progression';
import { GatewayCreateProps, resolveCreateGateway, ResolvedCreateGateway, resolveWaypoint } from './created-gateways';
import {
  GatewayApiChannel, GatewayMirrorProps, GatewayRetryProps, GatewayStickySessionProps, ResolvedRuleOptions, resolveRuleOptions,
} from './rule-options';

// What GatewayCanary accepts, in one place: its props, their declared fields and limits, and the
// one function that checks them and says what the construct builds from.

/**
 * A parent Gateway of the HTTPRoute.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#parentreference
 */
export interface GatewayParentRef {
  /** Name of the Gateway. */
  readonly name: string;
  /**
   * Namespace of the Gateway; its listener's `allowedRoutes` must admit this namespace.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * Listener name to attach to.
   * @default - every listener that admits the route
   */
  readonly sectionName?: string;
  /**
   * Listener port to attach to.
   * @default - every port
   */
  readonly port?: number;
}

/** How the HTTPRoute matches the request path. */
export enum GatewayPathType {
  /** Path prefix, element-wise (`/api` matches `/api` and `/api/x`, not `/apix`). */
  PREFIX = 'PathPrefix',
  /** Exact path. */
  EXACT = 'Exact',
}

/** Props of a Gateway API canary. */
export interface GatewayCanaryProps extends CanaryBaseProps {
  /**
   * The Gateway the route attaches to (north-south traffic).
   * @default - see gateways, createGateway and mesh
   */
  readonly gateway?: GatewayParentRef;
  /**
   * Several parent Gateways (instead of `gateway`).
   * @default - none
   */
  readonly gateways?: GatewayParentRef[];
  /**
   * Create a Gateway and attach the route to it.
   * @default - no Gateway is created
   */
  readonly createGateway?: GatewayCreateProps;
  /**
   * Mesh (GAMMA) mode: the route attaches to Service `<name>` itself and splits east-west traffic
   * between Services `<name>-stable` and `<name>-canary`. Once a route is attached to a Service,
   * requests to it that match none of the route's rules are rejected (404), so keep the path `/`.
   * @see https://gateway-api.sigs.k8s.io/mesh/
   * @default false
   */
  readonly mesh?: boolean;
  /**
   * Host names the route answers for (north-south only).
   * @default - every host of the parent listeners
   */
  readonly hostnames?: string[];
  /**
   * Path every rule matches (HTTPRoute only: a GRPCRoute matches gRPC services and methods, given
   * in `match` as paths `/<package.Service>` and `/<package.Service>/<Method>`).
   * @default "/"
   */
  readonly path?: string;
  /**
   * How `path` matches.
   * @default GatewayPathType.PREFIX
   */
  readonly pathType?: GatewayPathType;
  /**
   * Targeted rules, before the weighted default rule. Header conditions are Exact or
   * RegularExpression (Gateway API has no prefix match; RegularExpression support is
   * implementation-specific). With `protocol: GRPC` a path condition names a gRPC service or
   * method: `pathPrefix: '/shop.Cart'` matches every method of service `shop.Cart`,
   * `pathExact: '/shop.Cart/Checkout'` one method (the GRPCRoute `method` match).
   * @default - none
   */
  readonly match?: CanaryMatch[];
  /**
   * Request timeout of every rule (HTTPRoute only: GRPCRoute has no timeouts).
   * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutetimeouts
   * @default - the implementation's default
   */
  readonly timeout?: Duration;
  /**
   * The Gateway API channel the cluster's CRDs come from: `retries` and `stickySessions` need
   * EXPERIMENTAL.
   * @default GatewayApiChannel.STANDARD
   */
  readonly channel?: GatewayApiChannel;
  /**
   * Mirror (shadow) a share of the weighted rule's requests to the canary Service (HTTPRoute and
   * GRPCRoute). Manual progression only.
   * @default - no mirroring
   */
  readonly mirror?: GatewayMirrorProps;
  /**
   * Retry failed requests on every rule (HTTPRoute only; channel EXPERIMENTAL).
   * @default - the implementation's
   */
  readonly retries?: GatewayRetryProps;
  /**
   * Cookie session persistence on every rule (channel EXPERIMENTAL): a client that reached the
   * canary stays there.
   * @default - every request is split anew
   */
  readonly stickySessions?: GatewayStickySessionProps;
  /**
   * Istio ambient: the waypoint that serves the mesh route. Service `<name>` gets
   * `istio.io/use-waypoint: <waypoint>`, and engine analysis reads the waypoint's metrics
   * (reporter="waypoint"). Needs `mesh: true`.
   * @see https://istio.io/latest/docs/ambient/usage/waypoint/
   * @default - no waypoint (sidecar mesh or another GAMMA implementation)
   */
  readonly waypoint?: string;
  /**
   * With `waypoint`: also emit the waypoint, Gateway `<waypoint>` of class `istio-waypoint` with
   * an HBONE listener on 15008.
   * @default false
   */
  readonly createWaypoint?: boolean;
}

/** CRD limits of HTTPRoute (gateway.networking.k8s.io/v1), checked here rather than at apply time. */
const MAX_RULES = 16;
const MAX_HEADER_MATCHES = 16;
const MAX_PARENT_REFS = 32;
const MAX_HOSTNAMES = 16;
/** The props GatewayCanary takes: any other key is refused. */
export const GATEWAY_CANARY_FIELDS: Record<keyof GatewayCanaryProps, true> = {
  ...CANARY_BASE_FIELDS, gateway: true, gateways: true, createGateway: true, mesh: true, hostnames: true, path: true, pathType: true, match: true, timeout: true,
  channel: true, mirror: true, retries: true, stickySessions: true, waypoint: true, createWaypoint: true,
};
declareAcceptedProps('GatewayCanary', GATEWAY_CANARY_FIELDS, { host: 'hostnames', hosts: 'hostnames', meshTraffic: 'mesh' });
const PARENT_FIELDS: Record<keyof GatewayParentRef, true> = { name: true, namespace: true, sectionName: true, port: true };

/** The GatewayCanary props, checked: what the construct builds its routes from. */
export interface ResolvedGatewayProps {
  readonly mesh: boolean;
  readonly matches: ResolvedMatch[];
  readonly path: string;
  readonly pathType: GatewayPathType;
  /** With protocol GRPC: the gRPC service (and method) each entry matches; undefined for an HTTPRoute. */
  readonly methods?: Map<ResolvedMatch, GrpcMethodPath | undefined>;
  readonly hostnames: string[];
  /** The Gateway to create, with every default filled in. */
  readonly create?: ResolvedCreateGateway;
  readonly parents: HttpRouteSpecParentRefs[];
  readonly timeout?: Duration;
  readonly ruleOptions: ResolvedRuleOptions;
  /** The ambient waypoint serving the mesh route. */
  readonly waypoint?: { readonly name: string; readonly create: boolean };
}

/** The common props as GatewayCanary passes them on (see withAlbTargetServices). */
export function gatewayBaseProps(props: GatewayCanaryProps): GatewayCanaryProps {
  return withAlbTargetServices(props, props?.createGateway?.alb?.targetType);
}

/** Checks the GatewayCanary props beyond the common ones, in the order their errors are reported. */
export function resolveGatewayProps(spec: CommonSpec, props: GatewayCanaryProps): ResolvedGatewayProps {
  const check: PropChecker = spec.check;
  const mesh = check.boolean('mesh', props.mesh, false);
  const grpc = spec.protocol === CanaryProtocol.GRPC;
  checkEngine(spec, props, mesh, grpc);
  if (grpc) {
    for (const prop of ['path', 'pathType', 'timeout'] as const) {
      if (props[prop] !== undefined) check.fail(prop, `is set, but protocol is GRPC and a GRPCRoute has no ${prop === 'timeout' ? 'timeouts' : 'paths: it matches gRPC services and methods; target them in match with pathPrefix "/<package.Service>" or pathExact "/<package.Service>/<Method>"'}`);
    }
  }
  const matches = resolveMatches(check, props.match, hasCanary(spec));
  const path = resolvePath(spec, props);
  const pathType = check.oneOf('pathType', props.pathType, Object.values(GatewayPathType), GatewayPathType.PREFIX);
  const methods = grpc ? grpcMethods(spec, matches) : undefined;
  checkMatchesForGatewayApi(spec, matches, methods ? (m) => grpcRank(m, methods) : (m) => httpRank(m, path, pathType));
  if (!grpc) checkPathsWithinRoute(spec, matches, path, pathType);
  const hostnames = resolveHostnames(spec, props, mesh);
  const create = resolveCreateGateway(spec, props.createGateway, mesh, hostnames);
  const parents = resolveParents(spec, props, mesh, create);
  const timeout = check.duration('timeout', props.timeout);
  const ruleOptions = resolveRuleOptions(spec, props, { alb: create?.alb !== undefined });
  const waypoint = resolveWaypoint(spec, props.waypoint, props.createWaypoint, mesh);
  if (mesh) checkMeshPods(spec, waypoint ? 'an ambient (waypoint) GatewayCanary' : 'a mesh (GAMMA) GatewayCanary');
  return { mesh, matches, path, pathType, methods, hostnames, create, parents, timeout, ruleOptions, waypoint };
}

/**
 * What the engines cannot do here. Argo's Gateway API plugin drives HTTPRoutes and GRPCRoutes;
 * Flagger's gatewayapi:v1 provider generates one HTTPRoute named after the apex Service, on the
 * default path, for Gateways (pkg/router/gateway_api.go): no GRPCRoute, no mesh parent, no path
 * of ours, and our own route `<name>` would be a second route for the same hosts.
 */
function checkEngine(spec: CommonSpec, props: GatewayCanaryProps, mesh: boolean, grpc: boolean): void {
  const check: PropChecker = spec.check;
  if (spec.progression.engine !== ProgressionEngine.FLAGGER) return;
  if (grpc) check.fail('protocol', 'is GRPC, but Flagger\'s gatewayapi:v1 provider generates an HTTPRoute only; use Progression.argoRollouts, or protocol HTTP');
  if (mesh) check.fail('mesh', 'is true, but Flagger\'s gatewayapi:v1 provider routes from Gateways only; use IstioCanary with Flagger for mesh traffic, or Progression.argoRollouts');
  for (const prop of ['path', 'pathType', 'timeout', 'retries', 'stickySessions'] as const) {
    if (props[prop] !== undefined) check.fail(prop, 'is set, but Flagger generates the HTTPRoute itself (all paths, its own timeouts, no retry or sessionPersistence); remove it, or use Progression.argoRollouts');
  }
  if (spec.serviceName !== spec.name) check.fail('serviceName', `is ${showValue(spec.serviceName)}, but Flagger names its HTTPRoute after the apex Service: the construct's HTTPRoute ${spec.name} would stay beside it for the same hosts; leave serviceName out under Flagger`);
}

/**
 * Gateway API has no prefix header match, and it ranks rules by their conditions before their
 * order: an entry that outranks one listed before it would win where Istio and ingress-nginx let
 * the first entry win. Both are errors here, not surprises.
 */
function checkMatchesForGatewayApi(spec: CommonSpec, matches: ResolvedMatch[], rank: (m: ResolvedMatch) => number[]): void {
  const check: PropChecker = spec.check;
  const route = spec.protocol === CanaryProtocol.GRPC ? 'a GRPCRoute' : 'an HTTPRoute';
  if (matches.length > MAX_RULES - 1) {
    check.fail('match', `has ${matches.length} entries; ${route} holds at most ${MAX_RULES} rules, one of them the default, so at most ${MAX_RULES - 1} entries`);
  }
  const outranks = (a: number[], b: number[]) => compareRanks(a, b) > 0;
  const order = spec.protocol === CanaryProtocol.GRPC
    ? 'GRPCRoute ranks rules by the length of the matched service, then of the method, then the number of header matches'
    : 'Gateway API ranks rules by exact path, then longest path prefix, then number of header matches';
  matches.forEach((m, i) => {
    const prefix = m.headers.find((h) => h.type === HeaderMatchType.PREFIX);
    if (prefix) {
      check.fail(`${m.prop}.headerPrefix`, prefixUnsupported(prefix, 'Gateway API'));
    }
    if (headerCount(m) > MAX_HEADER_MATCHES) {
      check.fail(m.prop, `has ${headerCount(m)} header conditions; ${route} match holds at most ${MAX_HEADER_MATCHES}`);
    }
    const earlier = matches.slice(0, i).find((e) => outranks(rank(m), rank(e)));
    if (earlier) {
      check.fail(m.prop, `takes precedence over ${earlier.prop}, listed before it: ${order} (${m.prop}: ${headerCount(m)} headers; ${earlier.prop}: ${headerCount(earlier)}), whatever their order, where Istio and ingress-nginx let the first entry win; list entries in that order`);
    }
  });
}

/** A targeted rule only narrows the route: its path must lie within the route's path. */
function checkPathsWithinRoute(spec: CommonSpec, matches: ResolvedMatch[], routePath: string, routePathType: GatewayPathType): void {
  for (const m of matches) {
    if (!m.path || m.path.type === PathMatchType.REGEX) continue;
    const inside = routePathType === GatewayPathType.EXACT ? m.path.value === routePath : withinPrefix(m.path.value, routePath);
    if (!inside) {
      spec.check.fail(`${m.prop}.${m.path.type === PathMatchType.EXACT ? 'pathExact' : 'pathPrefix'}`, `is ${showValue(m.path.value)}, outside the route's path ${showValue(routePath)} (${routePathType}); a targeted rule only narrows the route`);
    }
  }
}

/**
 * The gRPC service (and method) of each entry's path condition: a GRPCRoute matches those, so
 * a path that names no service and method cannot be expressed.
 */
function grpcMethods(spec: CommonSpec, matches: ResolvedMatch[]): Map<ResolvedMatch, GrpcMethodPath | undefined> {
  const methods = new Map<ResolvedMatch, GrpcMethodPath | undefined>();
  for (const m of matches) {
    if (!m.path) {
      methods.set(m, undefined);
      continue;
    }
    const field = { [PathMatchType.PREFIX]: 'pathPrefix', [PathMatchType.EXACT]: 'pathExact', [PathMatchType.REGEX]: 'pathRegex' }[m.path.type];
    const method = m.path.type === PathMatchType.REGEX ? undefined : grpcMethodOfPath(m.path.value, m.path.type === PathMatchType.EXACT);
    if (!method) {
      spec.check.fail(`${m.prop}.${field}`, `is ${showValue(m.path.value)}, which a GRPCRoute cannot match: it matches a gRPC service (pathPrefix "/<package.Service>", e.g. "/shop.Cart") or one method (pathExact "/<package.Service>/<Method>", e.g. "/shop.Cart/Checkout"), names of letters, digits and "_" (the CRD's rules)`);
    }
    methods.set(m, method);
  }
  return methods;
}

/**
 * The path, held to the HTTPRoute CRD's rules for Exact and PathPrefix (its CEL validations of
 * `matches[].path`, identical in v1.2.1 and v1.6.1): absolute, at most 1024 characters, only
 * URL path characters or %-escapes, no "//", "/./", "/../", "%2f", "#", no trailing "/." or "/..".
 */
function resolvePath(spec: CommonSpec, props: GatewayCanaryProps): string {
  if (props.path === undefined) return '/';
  const path = spec.check.string('path', props.path);
  const problem = pathProblem(path);
  if (problem) spec.check.fail('path', `${problem} (the HTTPRoute CRD's rule), got ${showValue(path)}`);
  return path;
}

function resolveHostnames(spec: CommonSpec, props: GatewayCanaryProps, mesh: boolean): string[] {
  const check: PropChecker = spec.check;
  const hostnames = check.stringList('hostnames', props.hostnames) ?? [];
  if (mesh && hostnames.length > 0) check.fail('hostnames', 'must be empty in mesh mode: a mesh route matches requests to its parent Service, not by host name');
  if (hostnames.length > MAX_HOSTNAMES) check.fail('hostnames', `has ${hostnames.length} entries; an HTTPRoute holds at most ${MAX_HOSTNAMES}`);
  hostnames.forEach((host, i) => {
    check.hostname(`hostnames[${i}]`, host);
    if (hostnames.indexOf(host) !== i) check.fail(`hostnames[${i}]`, `repeats ${showValue(host)}`);
  });
  return hostnames;
}

function resolveParentRef(spec: CommonSpec, prop: string, ref: GatewayParentRef): HttpRouteSpecParentRefs {
  const check: PropChecker = spec.check;
  check.object(prop, ref, true, PARENT_FIELDS);
  return {
    name: check.dns1123Subdomain(`${prop}.name`, ref.name),
    namespace: ref.namespace === undefined ? undefined : check.dns1123Label(`${prop}.namespace`, ref.namespace),
    sectionName: ref.sectionName === undefined ? undefined : check.dns1123Subdomain(`${prop}.sectionName`, ref.sectionName),
    port: check.integer(`${prop}.port`, ref.port, PORT_RANGE),
  };
}

function resolveParents(spec: CommonSpec, props: GatewayCanaryProps, mesh: boolean, create: ResolvedCreateGateway | undefined): HttpRouteSpecParentRefs[] {
  const check: PropChecker = spec.check;
  const given = ['gateway', 'gateways', 'createGateway', 'mesh'].filter((p) => p === 'mesh' ? mesh : props[p as keyof GatewayCanaryProps] !== undefined);
  if (given.length === 0) {
    check.fail('gateway', 'is missing: the route needs a parent; give gateway (or gateways), createGateway, or mesh: true for east-west traffic');
  }
  if (given.length > 1) check.fail(given[1], `cannot be combined with ${given[0]}: give one of gateway, gateways, createGateway or mesh`);
  if (mesh) return [{ group: '', kind: 'Service', name: spec.serviceName, port: spec.port }];
  if (create) return [{ name: create.name }];
  if (props.gateway !== undefined) return [resolveParentRef(spec, 'gateway', props.gateway)];
  check.list('gateways', props.gateways, 'a non-empty list of GatewayParentRef');
  if (!Array.isArray(props.gateways) || props.gateways.length === 0) {
    check.fail('gateways', `must be a non-empty list of GatewayParentRef, got ${showValue(props.gateways)}`);
  }
  if (props.gateways.length > MAX_PARENT_REFS) check.fail('gateways', `has ${props.gateways.length} entries; an HTTPRoute holds at most ${MAX_PARENT_REFS} parents`);
  const refs = props.gateways.map((ref, i) => resolveParentRef(spec, `gateways[${i}]`, ref));
  checkParentsDistinct(spec, refs);
  return refs;
}

/**
 * The HTTPRoute CRD's parentRefs rules (CEL, v1.2.1 and v1.6.1): references to one Gateway
 * either all name a sectionName or none does, and no two name the same one (port does not tell
 * them apart). An unset namespace is the route's own: the same Gateway however it is written.
 */
function checkParentsDistinct(spec: CommonSpec, refs: HttpRouteSpecParentRefs[]): void {
  const seen = new Map<string, { index: number; section?: string }[]>();
  refs.forEach((ref, i) => {
    const gateway = `${ref.namespace ?? effectiveNamespace(spec)}/${ref.name}`;
    const earlier = seen.get(gateway) ?? [];
    for (const other of earlier) {
      if ((other.section === undefined) !== (ref.sectionName === undefined)) {
        spec.check.fail(`gateways[${i}].sectionName`, `must be given on every reference to Gateway ${gateway} or on none (gateways[${other.index}] ${other.section === undefined ? 'has none' : 'has one'}), as the HTTPRoute CRD requires`);
      }
      if (other.section === ref.sectionName) {
        spec.check.fail(`gateways[${i}]`, `refers to Gateway ${gateway}${ref.sectionName === undefined ? '' : ` listener ${ref.sectionName}`} again, like gateways[${other.index}]; give each reference its own sectionName (a port alone does not tell them apart)`);
      }
    }
    seen.set(gateway, [...earlier, { index: i, section: ref.sectionName }]);
  });
}

function headerCount(match: ResolvedMatch): number {
  return match.headers.length + (match.cookie === undefined ? 0 : 1);
}

/** The rank of an entry in an HTTPRoute (see core/route-precedence.ts). */
function httpRank(match: ResolvedMatch, routePath: string, routePathType: GatewayPathType): number[] {
  const path = match.path ?? { type: routePathType === GatewayPathType.EXACT ? PathMatchType.EXACT : PathMatchType.PREFIX, value: routePath };
  const kind = path.type === PathMatchType.EXACT ? 'Exact' : path.type === PathMatchType.PREFIX ? 'PathPrefix' : 'RegularExpression';
  return httpRouteRank(kind, path.value.length, headerCount(match));
}

/** The rank of an entry in a GRPCRoute. */
function grpcRank(match: ResolvedMatch, methods: Map<ResolvedMatch, GrpcMethodPath | undefined>): number[] {
  const method = methods.get(match);
  return grpcRouteRank(method?.service.length ?? 0, method?.method?.length ?? 0, headerCount(match));
}

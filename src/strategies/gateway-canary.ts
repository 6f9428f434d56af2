import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import {
  Gateway, GatewaySpecListeners, GatewaySpecListenersTlsMode, GrpcRoute, GrpcRouteSpecRules, GrpcRouteSpecRulesMatches,
  GrpcRouteSpecRulesMatchesHeadersType, GrpcRouteSpecRulesMatchesMethodType, HttpRoute, HttpRouteSpecParentRefs, HttpRouteSpecRules,
  HttpRouteSpecRulesMatches, HttpRouteSpecRulesMatchesHeaders, HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway.networking.k8s.io';
import { CanaryBase } from '../canary/canary-base';
import { CANARY_BASE_FIELDS, CanaryBaseProps } from '../canary/common-props';
import { gatewayDuration } from '../core/duration';
import { showValue } from '../core/errors';
import { hostsOverlap } from '../core/hosts';
import { Track } from '../core/labels';
import { CanaryMatch, cookieAlwaysRegex, HeaderMatchType, PathMatchType, prefixUnsupported, ResolvedMatch, resolveMatches } from '../core/match';
import { pathProblem, withinPrefix } from '../core/paths';
import { CanaryProtocol, grpcMethodOfPath, GrpcMethodPath } from '../core/protocol';
import { compareRanks, grpcRouteRank, httpRouteRank } from '../core/route-precedence';
import { PropChecker } from '../core/validate';
import { weightedTargets } from '../core/weights';
import { MetricSource } from '../engines/analysis';
import { GATEWAY_API_PLUGIN } from '../engines/argo-rollouts';
import { FlaggerProvider } from '../engines/flagger';
import { ProgressionEngine } from '../engines/progression';

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

/**
 * A Gateway for users who have none yet, as in an Envoy Gateway quick start: an HTTP listener,
 * and an HTTPS listener when a certificate Secret is given. Both admit routes from the Gateway's
 * own namespace.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway
 */
export interface GatewayCreateProps {
  /** GatewayClass of the implementation (e.g. `eg` for Envoy Gateway, `istio`, `cilium`). */
  readonly gatewayClassName: string;
  /**
   * Name of the Gateway.
   * @default - `<name>-gateway`
   */
  readonly name?: string;
  /**
   * Host name the listeners accept.
   * @default - any host
   */
  readonly hostname?: string;
  /**
   * Port of the HTTP listener.
   * @default 80
   */
  readonly httpPort?: number;
  /**
   * Secret (type kubernetes.io/tls, same namespace) for an HTTPS listener; no HTTPS listener without it.
   * @default - HTTP only
   */
  readonly certificateSecret?: string;
  /**
   * Port of the HTTPS listener.
   * @default 443
   */
  readonly httpsPort?: number;
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
}

/** CRD limits of HTTPRoute (gateway.networking.k8s.io/v1), checked here rather than at apply time. */
const MAX_RULES = 16;
const MAX_HEADER_MATCHES = 16;
const MAX_PARENT_REFS = 32;
const MAX_HOSTNAMES = 16;
const PORT_RANGE = { min: 1, max: 65535 };
const FIELDS: Record<keyof GatewayCanaryProps, true> = {
  ...CANARY_BASE_FIELDS, gateway: true, gateways: true, createGateway: true, mesh: true, hostnames: true, path: true, pathType: true, match: true, timeout: true,
};
const PARENT_FIELDS: Record<keyof GatewayParentRef, true> = { name: true, namespace: true, sectionName: true, port: true };
const CREATE_FIELDS: Record<keyof GatewayCreateProps, true> = {
  gatewayClassName: true, name: true, hostname: true, httpPort: true, certificateSecret: true, httpsPort: true,
};

/**
 * A canary split by a Gateway API HTTPRoute: explicit weights on per-track Services, targeted
 * rules before the weighted default, attached to a Gateway (north-south) or to the Service itself
 * (mesh / GAMMA).
 */
export class GatewayCanary extends CanaryBase {
  /** Service `<name>`: the stable track (north-south), or both tracks as the mesh route's parent. */
  public readonly service?: kplus.Service;
  /** Service `<name>-stable`, the stable backend in mesh mode; undefined otherwise. */
  public readonly stableService?: kplus.Service;
  /** Service `<name>-canary`, the canary backend; undefined in steady state. */
  public readonly canaryService?: kplus.Service;
  /** HTTPRoute `<name>`; undefined with `protocol: GRPC`. */
  public readonly httpRoute?: HttpRoute;
  /** GRPCRoute `<name>`, with `protocol: GRPC`; undefined otherwise. */
  public readonly grpcRoute?: GrpcRoute;
  /** The Gateway, when `createGateway` is set. */
  public readonly gateway?: Gateway;

  constructor(scope: Construct, id: string, props: GatewayCanaryProps) {
    super(scope, id, 'GatewayCanary', props, FIELDS);
    try {
      const check: PropChecker = this._check;
      const mesh = check.boolean('mesh', props.mesh, false);
      const grpc = this.protocol === CanaryProtocol.GRPC;
      this.checkEngine(props, mesh, grpc);
      if (grpc) {
        for (const prop of ['path', 'pathType', 'timeout'] as const) {
          if (props[prop] !== undefined) check.fail(prop, `is set, but protocol is GRPC and a GRPCRoute has no ${prop === 'timeout' ? 'timeouts' : 'paths: it matches gRPC services and methods; target them in match with pathPrefix "/<package.Service>" or pathExact "/<package.Service>/<Method>"'}`);
        }
      }
      const matches = resolveMatches(check, props.match, this._hasCanary);
      const path = this.resolvePath(props);
      const pathType = check.oneOf('pathType', props.pathType, Object.values(GatewayPathType), GatewayPathType.PREFIX);
      const methods = grpc ? this.grpcMethods(matches) : undefined;
      this.checkMatchesForGatewayApi(matches, methods ? (m) => grpcRank(m, methods) : (m) => httpRank(m, path, pathType));
      if (!grpc) this.checkPathsWithinRoute(matches, path, pathType);
      const hostnames = this.resolveHostnames(props, mesh);
      const create = this.resolveCreateGateway(props, mesh, hostnames);
      const parents = this.resolveParents(props, mesh, create);
      const timeout = check.duration('timeout', props.timeout);
      if (mesh) this._checkMeshPods('a mesh (GAMMA) GatewayCanary');
      this.claimRoutes(parents, hostnames, grpc ? undefined : { path, pathType });
      const split = this._routedSplit(matches.map((m) => m.weight));

      this._addTracks(split);
      if (create) this.gateway = this.createGateway(create);
      if (this._flaggerRoutes) {
        // Flagger generates the Services and the HTTPRoute `<serviceName>` (pkg/router/gateway_api.go).
        this._addFlaggerCanary({
          provider: FlaggerProvider.GATEWAY_API,
          service: {
            appProtocol: this._portProtocol.appProtocol,
            hosts: hostnames.length > 0 ? hostnames : undefined,
            gatewayRefs: parents.map((p) => ({ name: p.name, namespace: p.namespace, sectionName: p.sectionName, port: p.port })),
          },
          matches,
          metricSource: MetricSource.ISTIO,
          anyReporter: true,
        });
        this._register();
        return;
      }
      const argoRuns = this._argoRuns;
      if (mesh) {
        this.service = this._addService('Service', undefined);
        this.stableService = this._addService('StableService', `${this.name}-stable`, Track.STABLE);
      } else {
        this.service = this._addService('Service', undefined, Track.STABLE);
      }
      this.canaryService = this._addCanaryService();
      const ruleMatches = this._staticMatches(matches);

      const stableRef = { name: (this.stableService ?? this.service!).name, port: this.port };
      const canaryRef = this.canaryService && { name: this.canaryService.name, port: this.port };
      // Both route kinds take the same backendRefs (name, port, weight; no filters here).
      // Argo's plugin sets the weights of the rule's two backendRefs (stable first, canary second).
      const backends = (weight: number): { name: string; port: number; weight: number }[] => (argoRuns
        ? [{ ...stableRef, weight: 100 }, { ...canaryRef!, weight: 0 }]
        : weightedTargets(weight, stableRef, canaryRef).map(({ target, weight: share }) => ({ ...target, weight: share })));
      const routeSpec = { parentRefs: parents, hostnames: hostnames.length > 0 ? hostnames : undefined };
      if (methods) {
        const rules: GrpcRouteSpecRules[] = [
          ...ruleMatches.map((m): GrpcRouteSpecRules => ({ matches: [grpcRuleMatch(m, methods.get(m))], backendRefs: backends(m.weight) })),
          { backendRefs: backends(this.weight) },
        ];
        this.grpcRoute = new GrpcRoute(this, 'GrpcRoute', { metadata: this._objectMetadata(), spec: { ...routeSpec, rules } });
      } else {
        const pathMatch = { type: pathType as string as HttpRouteSpecRulesMatchesPathType, value: path };
        const timeouts = timeout && { request: gatewayDuration(timeout) };
        const rules: HttpRouteSpecRules[] = [
          ...ruleMatches.map((m): HttpRouteSpecRules => ({ matches: [this.ruleMatch(m, pathMatch)], backendRefs: backends(m.weight), timeouts })),
          { matches: [{ path: pathMatch }], backendRefs: backends(this.weight), timeouts },
        ];
        this.httpRoute = new HttpRoute(this, 'HttpRoute', { metadata: this._objectMetadata(), spec: { ...routeSpec, rules } });
      }
      const routeKey = methods ? 'grpcRoutes' : 'httpRoutes';
      this._addArgoRollout({
        stableService: stableRef.name,
        // The Gateway API plugin (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi); it edits
        // the route in the Rollout's namespace; useHeaderRoutes lets it add the header routes.
        trafficRouting: {
          plugins: { [GATEWAY_API_PLUGIN]: { [routeKey]: [{ name: this.name, useHeaderRoutes: matches.length > 0 ? true : undefined }], namespace: this.namespace } },
        },
        matches,
        metrics: { source: MetricSource.ISTIO, anyReporter: true },
      });
      this._register();
    } catch (error) {
      throw this._abandon(error);
    }
  }

  /**
   * What the engines cannot do here. Argo's Gateway API plugin drives HTTPRoutes and GRPCRoutes;
   * Flagger's gatewayapi:v1 provider generates one HTTPRoute named after the apex Service, on the
   * default path, for Gateways (pkg/router/gateway_api.go): no GRPCRoute, no mesh parent, no path
   * of ours, and our own route `<name>` would be a second route for the same hosts.
   */
  private checkEngine(props: GatewayCanaryProps, mesh: boolean, grpc: boolean): void {
    const check: PropChecker = this._check;
    if (this._progression.engine !== ProgressionEngine.FLAGGER) return;
    if (grpc) check.fail('protocol', 'is GRPC, but Flagger\'s gatewayapi:v1 provider generates an HTTPRoute only; use Progression.argoRollouts, or protocol HTTP');
    if (mesh) check.fail('mesh', 'is true, but Flagger\'s gatewayapi:v1 provider routes from Gateways only; use IstioCanary with Flagger for mesh traffic, or Progression.argoRollouts');
    for (const prop of ['path', 'pathType', 'timeout'] as const) {
      if (props[prop] !== undefined) check.fail(prop, 'is set, but Flagger generates the HTTPRoute itself (all paths, its own timeouts); remove it, or use Progression.argoRollouts');
    }
    if (this.serviceName !== this.name) check.fail('serviceName', `is ${showValue(this.serviceName)}, but Flagger names its HTTPRoute after the apex Service: the construct's HTTPRoute ${this.name} would stay beside it for the same hosts; leave serviceName out under Flagger`);
  }

  private ruleMatch(match: ResolvedMatch, path: HttpRouteSpecRulesMatches['path']): HttpRouteSpecRulesMatches {
    const headers: HttpRouteSpecRulesMatchesHeaders[] = headerMatches(match).map((h) => ({
      ...h, type: h.regex ? HttpRouteSpecRulesMatchesHeadersType.REGULAR_EXPRESSION : HttpRouteSpecRulesMatchesHeadersType.EXACT,
    }));
    const own = match.path && {
      type: { [PathMatchType.PREFIX]: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, [PathMatchType.EXACT]: HttpRouteSpecRulesMatchesPathType.EXACT,
        [PathMatchType.REGEX]: HttpRouteSpecRulesMatchesPathType.REGULAR_EXPRESSION }[match.path.type],
      value: match.path.value,
    };
    return { path: own ?? path, headers: headers.length > 0 ? headers : undefined };
  }

  /**
   * Gateway API has no prefix header match, and it ranks rules by their conditions before their
   * order: an entry that outranks one listed before it would win where Istio and ingress-nginx let
   * the first entry win. Both are errors here, not surprises.
   */
  private checkMatchesForGatewayApi(matches: ResolvedMatch[], rank: (m: ResolvedMatch) => number[]): void {
    const check: PropChecker = this._check;
    const route = this.protocol === CanaryProtocol.GRPC ? 'a GRPCRoute' : 'an HTTPRoute';
    if (matches.length > MAX_RULES - 1) {
      check.fail('match', `has ${matches.length} entries; ${route} holds at most ${MAX_RULES} rules, one of them the default, so at most ${MAX_RULES - 1} entries`);
    }
    const outranks = (a: number[], b: number[]) => compareRanks(a, b) > 0;
    const order = this.protocol === CanaryProtocol.GRPC
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
  private checkPathsWithinRoute(matches: ResolvedMatch[], routePath: string, routePathType: GatewayPathType): void {
    for (const m of matches) {
      if (!m.path || m.path.type === PathMatchType.REGEX) continue;
      const inside = routePathType === GatewayPathType.EXACT ? m.path.value === routePath : withinPrefix(m.path.value, routePath);
      if (!inside) {
        this._check.fail(`${m.prop}.${m.path.type === PathMatchType.EXACT ? 'pathExact' : 'pathPrefix'}`, `is ${showValue(m.path.value)}, outside the route's path ${showValue(routePath)} (${routePathType}); a targeted rule only narrows the route`);
      }
    }
  }

  /**
   * The gRPC service (and method) of each entry's path condition: a GRPCRoute matches those, so
   * a path that names no service and method cannot be expressed.
   */
  private grpcMethods(matches: ResolvedMatch[]): Map<ResolvedMatch, GrpcMethodPath | undefined> {
    const methods = new Map<ResolvedMatch, GrpcMethodPath | undefined>();
    for (const m of matches) {
      if (!m.path) {
        methods.set(m, undefined);
        continue;
      }
      const field = { [PathMatchType.PREFIX]: 'pathPrefix', [PathMatchType.EXACT]: 'pathExact', [PathMatchType.REGEX]: 'pathRegex' }[m.path.type];
      const method = m.path.type === PathMatchType.REGEX ? undefined : grpcMethodOfPath(m.path.value, m.path.type === PathMatchType.EXACT);
      if (!method) {
        this._check.fail(`${m.prop}.${field}`, `is ${showValue(m.path.value)}, which a GRPCRoute cannot match: it matches a gRPC service (pathPrefix "/<package.Service>", e.g. "/shop.Cart") or one method (pathExact "/<package.Service>/<Method>", e.g. "/shop.Cart/Checkout"), names of letters, digits and "_" (the CRD's rules)`);
      }
      methods.set(m, method);
    }
    return methods;
  }

  /**
   * Claims the route's hosts on each parent. Routes of one kind split a listener's host by path;
   * an HTTPRoute and a GRPCRoute with a common host on one listener do not share it at all: the
   * Gateway accepts the older and rejects the other (GRPCRoute `hostnames`, Gateway API v1.2.1).
   */
  private claimRoutes(parents: HttpRouteSpecParentRefs[], hostnames: string[], http: { path: string; pathType: GatewayPathType } | undefined): void {
    const kinds = { mine: http ? 'HTTPRoute' : 'GRPCRoute', other: http ? 'GRPCRoute' : 'HTTPRoute' };
    for (const parent of parents) {
      const parentKey = `${parent.kind ?? 'Gateway'}/${parent.namespace ?? this._effectiveNamespace}/${parent.name}/${parent.sectionName ?? '*'}`;
      for (const hostname of hostnames.length > 0 ? hostnames : ['*']) {
        const host = hostname === '*' ? '(any host)' : hostname;
        const prop = hostnames.length > 0 ? 'hostnames' : http ? 'path' : 'protocol';
        const kindKey = (kind: string) => `gateway-kind|${parentKey}|${hostname}|${kind}`;
        this._claimRoute(prop, kindKey(kinds.mine), `a ${kinds.mine} for ${host} on ${parentKey}`, {
          shared: true,
          excludes: { key: kindKey(kinds.other), why: `attaches a ${kinds.other} there: on one listener, Gateway API accepts only the older of an HTTPRoute and a GRPCRoute with a common host name; give them different host names or listeners` },
        });
        this._claimRoute(prop, http ? `gateway|${parentKey}|${hostname}|${http.pathType}|${http.path}` : `gateway|${parentKey}|${hostname}|grpc`,
          http ? `the Gateway API route ${host}${http.path} (${http.pathType}) on ${parentKey}` : `the GRPCRoute for ${host} on ${parentKey}`);
      }
    }
  }

  /**
   * The path, held to the HTTPRoute CRD's rules for Exact and PathPrefix (its CEL validations of
   * `matches[].path`, identical in v1.2.1 and v1.6.1): absolute, at most 1024 characters, only
   * URL path characters or %-escapes, no "//", "/./", "/../", "%2f", "#", no trailing "/." or "/..".
   */
  private resolvePath(props: GatewayCanaryProps): string {
    if (props.path === undefined) return '/';
    const path = this._check.string('path', props.path);
    const problem = pathProblem(path);
    if (problem) this._check.fail('path', `${problem} (the HTTPRoute CRD's rule), got ${showValue(path)}`);
    return path;
  }


  private resolveHostnames(props: GatewayCanaryProps, mesh: boolean): string[] {
    const check: PropChecker = this._check;
    const hostnames = check.stringList('hostnames', props.hostnames) ?? [];
    if (mesh && hostnames.length > 0) check.fail('hostnames', 'must be empty in mesh mode: a mesh route matches requests to its parent Service, not by host name');
    if (hostnames.length > MAX_HOSTNAMES) check.fail('hostnames', `has ${hostnames.length} entries; an HTTPRoute holds at most ${MAX_HOSTNAMES}`);
    hostnames.forEach((host, i) => {
      check.hostname(`hostnames[${i}]`, host);
      if (hostnames.indexOf(host) !== i) check.fail(`hostnames[${i}]`, `repeats ${showValue(host)}`);
    });
    return hostnames;
  }

  private resolveParentRef(prop: string, ref: GatewayParentRef): HttpRouteSpecParentRefs {
    const check: PropChecker = this._check;
    check.object(prop, ref, true, PARENT_FIELDS);
    return {
      name: check.dns1123Subdomain(`${prop}.name`, ref.name),
      namespace: ref.namespace === undefined ? undefined : check.dns1123Label(`${prop}.namespace`, ref.namespace),
      sectionName: ref.sectionName === undefined ? undefined : check.dns1123Subdomain(`${prop}.sectionName`, ref.sectionName),
      port: check.integer(`${prop}.port`, ref.port, PORT_RANGE),
    };
  }

  private resolveParents(props: GatewayCanaryProps, mesh: boolean, create: Required<GatewayCreateProps> | undefined): HttpRouteSpecParentRefs[] {
    const check: PropChecker = this._check;
    const given = ['gateway', 'gateways', 'createGateway', 'mesh'].filter((p) => p === 'mesh' ? mesh : props[p as keyof GatewayCanaryProps] !== undefined);
    if (given.length === 0) {
      check.fail('gateway', 'is missing: the route needs a parent; give gateway (or gateways), createGateway, or mesh: true for east-west traffic');
    }
    if (given.length > 1) check.fail(given[1], `cannot be combined with ${given[0]}: give one of gateway, gateways, createGateway or mesh`);
    if (mesh) return [{ group: '', kind: 'Service', name: this.serviceName, port: this.port }];
    if (create) return [{ name: create.name }];
    if (props.gateway !== undefined) return [this.resolveParentRef('gateway', props.gateway)];
    check.list('gateways', props.gateways, 'a non-empty list of GatewayParentRef');
    if (!Array.isArray(props.gateways) || props.gateways.length === 0) {
      check.fail('gateways', `must be a non-empty list of GatewayParentRef, got ${showValue(props.gateways)}`);
    }
    if (props.gateways.length > MAX_PARENT_REFS) check.fail('gateways', `has ${props.gateways.length} entries; an HTTPRoute holds at most ${MAX_PARENT_REFS} parents`);
    const refs = props.gateways.map((ref, i) => this.resolveParentRef(`gateways[${i}]`, ref));
    this.checkParentsDistinct(refs);
    return refs;
  }

  /**
   * The HTTPRoute CRD's parentRefs rules (CEL, v1.2.1 and v1.6.1): references to one Gateway
   * either all name a sectionName or none does, and no two name the same one (port does not tell
   * them apart). An unset namespace is the route's own: the same Gateway however it is written.
   */
  private checkParentsDistinct(refs: HttpRouteSpecParentRefs[]): void {
    const seen = new Map<string, { index: number; section?: string }[]>();
    refs.forEach((ref, i) => {
      const gateway = `${ref.namespace ?? this._effectiveNamespace}/${ref.name}`;
      const earlier = seen.get(gateway) ?? [];
      for (const other of earlier) {
        if ((other.section === undefined) !== (ref.sectionName === undefined)) {
          this._check.fail(`gateways[${i}].sectionName`, `must be given on every reference to Gateway ${gateway} or on none (gateways[${other.index}] ${other.section === undefined ? 'has none' : 'has one'}), as the HTTPRoute CRD requires`);
        }
        if (other.section === ref.sectionName) {
          this._check.fail(`gateways[${i}]`, `refers to Gateway ${gateway}${ref.sectionName === undefined ? '' : ` listener ${ref.sectionName}`} again, like gateways[${other.index}]; give each reference its own sectionName (a port alone does not tell them apart)`);
        }
      }
      seen.set(gateway, [...earlier, { index: i, section: ref.sectionName }]);
    });
  }

  private resolveCreateGateway(props: GatewayCanaryProps, mesh: boolean, hostnames: readonly string[]): Required<GatewayCreateProps> | undefined {
    const check: PropChecker = this._check;
    const create = check.object('createGateway', props.createGateway, false, CREATE_FIELDS);
    if (!create || mesh) return undefined;
    const httpPort = check.integer('createGateway.httpPort', create.httpPort, PORT_RANGE, 80);
    const httpsPort = check.integer('createGateway.httpsPort', create.httpsPort, PORT_RANGE, 443);
    if (create.certificateSecret !== undefined && httpPort === httpsPort) {
      check.fail('createGateway.httpsPort', `is ${httpsPort}, the same as httpPort; the HTTP and HTTPS listeners need different ports`);
    }
    const hostname = create.hostname === undefined ? '' : check.hostname('createGateway.hostname', create.hostname);
    // A route attaches to a listener only where their hostnames intersect (Gateway API spec,
    // HTTPRouteSpec.hostnames): none in common and the route is never attached (404 for all).
    if (hostname !== '' && hostnames.length > 0 && !hostnames.some((h) => hostsOverlap(h, hostname))) {
      check.fail('hostnames', `${showValue(hostnames)} has no name in common with createGateway.hostname ${showValue(hostname)}, so the route would not attach to the Gateway's listeners and every request would get 404; give a hostname the listener accepts, or change createGateway.hostname`);
    }
    return {
      gatewayClassName: check.dns1123Subdomain('createGateway.gatewayClassName', create.gatewayClassName),
      name: create.name === undefined ? `${this.name}-gateway` : check.dns1123Subdomain('createGateway.name', create.name),
      hostname,
      httpPort,
      certificateSecret: create.certificateSecret === undefined ? '' : check.dns1123Subdomain('createGateway.certificateSecret', create.certificateSecret),
      httpsPort,
    };
  }

  /** @internal */
  protected override _propOfObject(object: ApiObject): string {
    return object.kind === 'Gateway' ? 'createGateway.name' : super._propOfObject(object);
  }

  private createGateway(create: Required<GatewayCreateProps>): Gateway {
    const hostname = create.hostname === '' ? undefined : create.hostname;
    const listeners: GatewaySpecListeners[] = [{ name: 'http', protocol: 'HTTP', port: create.httpPort, hostname }];
    if (create.certificateSecret !== '') {
      listeners.push({
        name: 'https', protocol: 'HTTPS', port: create.httpsPort, hostname,
        tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: create.certificateSecret }] },
      });
    }
    return new Gateway(this, 'Gateway', {
      metadata: { name: create.name, namespace: this.namespace, labels: this._objectLabels },
      spec: { gatewayClassName: create.gatewayClassName, listeners },
    });
  }
}

/** Header conditions of a match in the form both route kinds take, the cookie as a `cookie` header regex. */
function headerMatches(match: ResolvedMatch): { name: string; value: string; regex: boolean }[] {
  const headers = match.headers.map((h) => ({ name: h.name, value: h.value, regex: h.type === HeaderMatchType.REGEX }));
  if (match.cookie !== undefined) headers.push({ name: 'cookie', value: cookieAlwaysRegex(match.cookie), regex: true });
  return headers;
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

function grpcRuleMatch(match: ResolvedMatch, method: GrpcMethodPath | undefined): GrpcRouteSpecRulesMatches {
  const headers = headerMatches(match).map((h) => ({
    ...h, type: h.regex ? GrpcRouteSpecRulesMatchesHeadersType.REGULAR_EXPRESSION : GrpcRouteSpecRulesMatchesHeadersType.EXACT,
  }));
  return {
    method: method && { type: GrpcRouteSpecRulesMatchesMethodType.EXACT, service: method.service, method: method.method },
    headers: headers.length > 0 ? headers : undefined,
  };
}

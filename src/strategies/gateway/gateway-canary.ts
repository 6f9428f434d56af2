import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { LoadBalancerConfiguration, TargetGroupConfiguration } from '../../../imports/gateway.k8s.aws';
import {
  Gateway, GatewayClass, GrpcRoute, GrpcRouteSpecRules, GrpcRouteSpecRulesFiltersType, GrpcRouteSpecRulesMatches,
  GrpcRouteSpecRulesMatchesHeadersType, GrpcRouteSpecRulesMatchesMethodType, HttpRoute, HttpRouteSpecParentRefs, HttpRouteSpecRules,
  HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesMatches, HttpRouteSpecRulesMatchesHeaders, HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesPathType,
} from '../../../imports/gateway.networking.k8s.io';
import { CanaryBase } from '../../canary/canary-base';
import { gatewayDuration } from '../../core/duration';
import { Track } from '../../core/labels';
import { cookieAlwaysRegex, HeaderMatchType, PathMatchType, ResolvedMatch } from '../../core/match';
import { GrpcMethodPath } from '../../core/protocol';
import { weightedTargets } from '../../core/weights';
import { IstioReporter, MetricSource } from '../../engines/analysis';
import { GATEWAY_API_PLUGIN } from '../../engines/argo-rollouts';
import { flaggerBackendServices, FlaggerProvider } from '../../engines/flagger';
import { addAlbGatewayObjects, addCreatedGateway, addWaypoint, AlbGatewayObjects, ResolvedCreateGateway } from './created-gateways';
import { GATEWAY_CANARY_FIELDS, gatewayBaseProps, GatewayCanaryProps, GatewayPathType, resolveGatewayProps } from './props';
import { addExperimentalRuleFields, MirrorShare } from './rule-options';

/** The label that puts a Service's traffic through an ambient waypoint (istio.io docs, ambient/usage/waypoint, "Use a waypoint proxy"). */
const USE_WAYPOINT = 'istio.io/use-waypoint';

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
  /** The ambient waypoint Gateway, with `createWaypoint`. */
  public readonly waypoint?: Gateway;

  constructor(scope: Construct, id: string, props: GatewayCanaryProps) {
    super(scope, id, 'GatewayCanary', gatewayBaseProps(props), GATEWAY_CANARY_FIELDS);
    try {
      const { mesh, matches, path, pathType, methods, hostnames, create, parents, timeout, ruleOptions, waypoint } = resolveGatewayProps(this._spec, props);
      this.claimRoutes(parents, hostnames, methods ? undefined : { path, pathType });
      const split = this._routedSplit(matches.map((m) => m.weight));

      this._addTracks(split);
      if (create) this.gateway = addCreatedGateway(this, this._objectMetadata(), create);
      if (this._flaggerRoutes) {
        // The ALB's target groups are Flagger's own backend Services.
        if (create?.alb) this.addAlbObjects(create, flaggerBackendServices(this.serviceName));
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
          reporter: IstioReporter.ANY,
        });
        this._register();
        return;
      }
      const argoRuns = this._argoRuns;
      if (mesh) {
        this.service = this._addService('Service', undefined);
        this.stableService = this._addService('StableService', `${this.name}-stable`, Track.STABLE);
        if (waypoint) this.service.metadata.addLabel(USE_WAYPOINT, waypoint.name);
        if (waypoint?.create) this.waypoint = addWaypoint(this, this._objectMetadata(), waypoint.name);
      } else {
        this.service = this._addService('Service', undefined, Track.STABLE);
      }
      this.canaryService = this._addCanaryService();
      const ruleMatches = this._staticMatches(matches);

      const stableRef = { name: (this.stableService ?? this.service!).name, port: this.port };
      const canaryRef = this.canaryService && { name: this.canaryService.name, port: this.port };
      // The ALB's target groups are the route's backends.
      if (create?.alb) this.addAlbObjects(create, [stableRef.name, ...(canaryRef ? [canaryRef.name] : [])]);
      // Both route kinds take the same backendRefs (name, port, weight; no filters here).
      // Argo's plugin sets the weights of the rule's two backendRefs (stable first, canary second).
      const backends = (weight: number): { name: string; port: number; weight: number }[] => (argoRuns
        ? [{ ...stableRef, weight: 100 }, { ...canaryRef!, weight: 0 }]
        : weightedTargets(weight, stableRef, canaryRef).map(({ target, weight: share }) => ({ ...target, weight: share })));
      const routeSpec = { parentRefs: parents, hostnames: hostnames.length > 0 ? hostnames : undefined };
      // The mirror copies the weighted (default) rule's requests to the canary Service.
      const mirror = ruleOptions.mirror && canaryRef && mirrorFilter(ruleOptions.mirror, canaryRef);
      let route: HttpRoute | GrpcRoute;
      if (methods) {
        const rules: GrpcRouteSpecRules[] = [
          ...ruleMatches.map((m): GrpcRouteSpecRules => ({ matches: [grpcRuleMatch(m, methods.get(m))], backendRefs: backends(m.weight) })),
          { backendRefs: backends(this.weight), filters: mirror && [{ ...mirror, type: GrpcRouteSpecRulesFiltersType.REQUEST_MIRROR }] },
        ];
        route = this.grpcRoute = new GrpcRoute(this, 'GrpcRoute', { metadata: this._objectMetadata(), spec: { ...routeSpec, rules } });
      } else {
        const pathMatch = { type: pathType as string as HttpRouteSpecRulesMatchesPathType, value: path };
        const timeouts = timeout && { request: gatewayDuration(timeout) };
        const rules: HttpRouteSpecRules[] = [
          ...ruleMatches.map((m): HttpRouteSpecRules => ({ matches: [this.ruleMatch(m, pathMatch)], backendRefs: backends(m.weight), timeouts })),
          { matches: [{ path: pathMatch }], backendRefs: backends(this.weight), timeouts, filters: mirror && [{ ...mirror, type: HttpRouteSpecRulesFiltersType.REQUEST_MIRROR }] },
        ];
        route = this.httpRoute = new HttpRoute(this, 'HttpRoute', { metadata: this._objectMetadata(), spec: { ...routeSpec, rules } });
      }
      addExperimentalRuleFields(route, ruleOptions);
      const routeKey = methods ? 'grpcRoutes' : 'httpRoutes';
      this._addArgoRollout({
        stableService: stableRef.name,
        // The Gateway API plugin (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi); it edits
        // the route in the Rollout's namespace; useHeaderRoutes lets it add the header routes.
        trafficRouting: {
          plugins: { [GATEWAY_API_PLUGIN]: { [routeKey]: [{ name: this.name, useHeaderRoutes: matches.length > 0 ? true : undefined }], namespace: this.namespace } },
        },
        matches,
        metrics: { source: MetricSource.ISTIO, reporter: waypoint ? IstioReporter.WAYPOINT : IstioReporter.ANY },
      });
      this._register();
    } catch (error) {
      throw this._abandon(error);
    }
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

  private albObjects?: AlbGatewayObjects;

  /** GatewayClass `<gatewayClassName>` of the ALB controller, with `createGateway.alb`. */
  public get albGatewayClass(): GatewayClass | undefined {
    return this.albObjects?.gatewayClass;
  }

  /** The LoadBalancerConfiguration of the ALB Gateway, with `createGateway.alb`. */
  public get albLoadBalancerConfiguration(): LoadBalancerConfiguration | undefined {
    return this.albObjects?.loadBalancerConfiguration;
  }

  /** The TargetGroupConfiguration of each backend Service, with `createGateway.alb`. */
  public get albTargetGroupConfigurations(): TargetGroupConfiguration[] {
    return [...this.albObjects?.targetGroupConfigurations ?? []];
  }

  private addAlbObjects(create: ResolvedCreateGateway, services: readonly string[]): void {
    this.albObjects = addAlbGatewayObjects(this, this._objectMetadata(), create, services, this.protocol);
  }

  /** @internal */
  protected override _propOfObject(object: ApiObject): string {
    if (object === this.waypoint) return 'waypoint';
    const created: Record<string, string> = { Gateway: 'createGateway.name', LoadBalancerConfiguration: 'createGateway.name', GatewayClass: 'createGateway.gatewayClassName' };
    return created[object.kind] ?? super._propOfObject(object);
  }
}

/** Header conditions of a match in the form both route kinds take, the cookie as a `cookie` header regex. */
function headerMatches(match: ResolvedMatch): { name: string; value: string; regex: boolean }[] {
  const headers = match.headers.map((h) => ({ name: h.name, value: h.value, regex: h.type === HeaderMatchType.REGEX }));
  if (match.cookie !== undefined) headers.push({ name: 'cookie', value: cookieAlwaysRegex(match.cookie), regex: true });
  return headers;
}

/** The RequestMirror filter body to the canary Service: `percent`, or an exact `fraction`, or neither for all requests. */
function mirrorFilter(share: MirrorShare, canary: { name: string; port: number }) {
  return { requestMirror: { backendRef: canary, percent: share.percent, fraction: share.fraction } };
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

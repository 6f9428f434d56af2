import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import {
  DestinationRuleSpec, toJson_DestinationRuleSpec, toJson_VirtualServiceSpec, VirtualServiceSpec,
  VirtualServiceSpecHttp, VirtualServiceSpecHttpMatch, VirtualServiceSpecHttpMatchHeaders, VirtualServiceSpecHttpRoute,
} from '../../../imports/networking.istio.io';
import { CanaryBase } from '../../canary/canary-base';
import { dataKey } from '../../core/data-keys';
import { appSelector, Track, TRACK_LABEL } from '../../core/labels';
import { cookieAlwaysRegex, HeaderMatchType, PathMatchType, ResolvedMatch } from '../../core/match';
import { PortProtocolReader } from '../../core/protocol';
import { weightedTargets } from '../../core/weights';
import { MetricSource } from '../../engines/analysis';
import { FlaggerProvider } from '../../engines/flagger';
import { ISTIO_CANARY_FIELDS, IstioCanaryProps, resolveIstioProps } from './props';

/**
 * A canary split by Istio: Service `<name>` selects both tracks, a DestinationRule defines the
 * `stable` and `canary` subsets by the `track` label, and a VirtualService routes targeted
 * requests first, then splits everyone else by `weight`.
 */
export class IstioCanary extends CanaryBase {
  /** Service `<name>`, selecting both tracks by `app` (subsets need every pod behind the host); undefined when Flagger generates it. */
  public readonly service?: kplus.Service;
  /** DestinationRule `<name>` with the track subsets; undefined when Flagger generates its own. */
  public readonly destinationRule?: ApiObject;
  /** VirtualService `<name>` with the routes; undefined when Flagger generates it. */
  public readonly virtualService?: ApiObject;
  /** The routes, in order: one per `match` entry, then the default. */
  public readonly routes: VirtualServiceSpecHttp[];
  /** How the routes name Service `<name>`: the short name, or the FQDN with `fqdnHosts`. */
  public readonly routeHost: string;

  constructor(scope: Construct, id: string, props: IstioCanaryProps) {
    super(scope, id, 'IstioCanary', props, ISTIO_CANARY_FIELDS);
    try {
      const { routeHost, matches, apiVersion, gateways, hosts, claims, routeOptions, fault, mirror, trafficPolicy } = resolveIstioProps(this._spec, props);
      this.routeHost = routeHost;
      this._claimRoutes(claims);
      const split = this._routedSplit(matches.map((m) => m.weight));

      if (this._flaggerRoutes) {
        // Flagger generates Service, VirtualService and DestinationRules (pkg/router/istio.go).
        this.routes = [];
        this._addTracks(split);
        this._addFlaggerCanary({
          provider: FlaggerProvider.ISTIO,
          service: {
            hosts: hosts.length > 1 ? hosts.slice(1) : undefined, gateways: gateways.length > 0 ? gateways : undefined,
            ...routeOptions, trafficPolicy: trafficPolicy,
          },
          matches,
          metricSource: MetricSource.ISTIO,
        });
        this._register();
        return;
      }
      const argoRuns = this._argoRuns;
      this.routes = [
        ...this._staticMatches(matches).map((m, i): VirtualServiceSpecHttp => ({
          name: `match-${i}`,
          match: this.requestMatches(m),
          route: this.weightedRoute(m.weight),
          fault,
          ...routeOptions,
        })),
        { name: 'default', route: argoRuns ? this.argoRoute() : this.weightedRoute(this.weight), ...mirror, ...routeOptions },
      ];

      this._addTracks(split);
      this.service = this._addService('Service', undefined);
      const drSpec: DestinationRuleSpec = {
        host: this.routeHost,
        // Under Argo Rollouts both subsets hold pods of the stable template; Argo adds each
        // ReplicaSet's rollouts-pod-template-hash to the subset's labels (rollout/trafficrouting/istio).
        subsets: argoRuns
          ? [Track.STABLE, Track.CANARY].map((track) => ({ name: track, labels: appSelector(this.name) }))
          : [Track.STABLE, ...(this._canaryTrack ? [Track.CANARY] : [])].map((track) => ({ name: track, labels: { [TRACK_LABEL]: track } })),
        trafficPolicy: trafficPolicy,
      };
      this.destinationRule = new ApiObject(this, 'DestinationRule', {
        apiVersion, kind: 'DestinationRule', metadata: this._objectMetadata(), spec: toJson_DestinationRuleSpec(drSpec),
      });
      const vsSpec: VirtualServiceSpec = {
        hosts,
        gateways: gateways.length > 0 ? gateways : undefined,
        http: [...this.routes],
      };
      this.virtualService = new ApiObject(this, 'VirtualService', {
        apiVersion, kind: 'VirtualService', metadata: this._objectMetadata(), spec: toJson_VirtualServiceSpec(vsSpec),
      });
      // Subset-level splitting: Argo edits the DestinationRule and VirtualService, not the Service.
      this._addArgoRollout({
        trafficRouting: {
          istio: {
            virtualService: { name: this.name, routes: ['default'] },
            destinationRule: { name: this.name, canarySubsetName: Track.CANARY, stableSubsetName: Track.STABLE },
          },
        },
        matches,
        metrics: { source: MetricSource.ISTIO },
      });
      this._register();
    } catch (error) {
      throw this._abandon(error);
    }
  }

  /** @internal */
  protected override get _portProtocolReader(): PortProtocolReader {
    return PortProtocolReader.ISTIO;
  }

  /** The route Argo Rollouts sets the weights of: both subsets, all to stable until a release. */
  private argoRoute(): VirtualServiceSpecHttpRoute[] {
    return [Track.STABLE, Track.CANARY].map((track) => ({
      destination: { host: this.routeHost, subset: track, port: { number: this.port } }, weight: track === Track.STABLE ? 100 : 0,
    }));
  }

  private weightedRoute(weight: number): VirtualServiceSpecHttpRoute[] {
    const destination = (track: Track) => ({ host: this.routeHost, subset: track, port: { number: this.port } });
    return weightedTargets(weight, destination(Track.STABLE), this._canaryTrack && destination(Track.CANARY))
      .map(({ target, weight: share }) => ({ destination: target, weight: share }));
  }

  /**
   * The entry as Istio HTTPMatchRequests (OR-ed; within one, `uri` and `headers` are AND-ed).
   * Istio's `uri.prefix` is a string prefix (`/error` would take `/errors` too), so a path
   * prefix becomes the element-wise match Gateway API defines: exactly `/error`, or `/error/…`.
   */
  private requestMatches(match: ResolvedMatch): VirtualServiceSpecHttpMatch[] {
    const headers = this.headerMatches(match);
    const withHeaders = (uri?: VirtualServiceSpecHttpMatch['uri']): VirtualServiceSpecHttpMatch => ({
      uri, headers: Object.keys(headers).length > 0 ? headers : undefined,
    });
    const path = match.path;
    if (path === undefined) return [withHeaders()];
    if (path.type !== PathMatchType.PREFIX) return [withHeaders({ [path.type]: path.value })];
    const base = path.value.replace(/\/+$/, '');
    return base === '' ? [withHeaders({ prefix: '/' })] : [withHeaders({ exact: base }), withHeaders({ prefix: `${base}/` })];
  }

  private headerMatches(match: ResolvedMatch): { [name: string]: VirtualServiceSpecHttpMatchHeaders } {
    const headers: { [name: string]: VirtualServiceSpecHttpMatchHeaders } = {};
    for (const h of match.headers) headers[dataKey(h.name)] = { [h.type]: h.value };
    if (match.cookie !== undefined) headers.cookie = { [HeaderMatchType.REGEX]: cookieAlwaysRegex(match.cookie) };
    return headers;
  }
}

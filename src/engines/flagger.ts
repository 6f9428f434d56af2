import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

import { ObjectMetadata } from '../core/metadata';
import { EngineCreatedObject } from '../core/ownership';
import { analysisMetrics, IstioReporter, MetricSource } from './analysis';
import { ResolvedFlagger } from './resolve';

/** Flagger's API group and version (v1.44.0 CRDs). */
export const FLAGGER_API_VERSION = 'flagger.app/v1beta1';

/** Flagger's traffic providers this library drives (the Canary CRD's `provider` enum). */
export enum FlaggerProvider {
  ISTIO = 'istio',
  GATEWAY_API = 'gatewayapi:v1',
  NGINX = 'nginx',
}

/** One A/B match of Flagger (`analysis.match[]`): header name → one condition. */
export type FlaggerMatch = { headers: Record<string, { exact?: string; regex?: string }> };

/** What one strategy asks of the Canary. */
export interface FlaggerRequest {
  readonly metadata: ObjectMetadata;
  readonly provider: FlaggerProvider;
  /** The Deployment Flagger copies into `<name>-primary` and runs canaries from. */
  readonly targetName: string;
  /** The HorizontalPodAutoscaler of the target, when the stable track autoscales. */
  readonly autoscalerName?: string;
  /** NginxCanary: the Ingress Flagger clones into the canary Ingress. */
  readonly ingressName?: string;
  /** `spec.service`: the apex Service Flagger generates (name, port, hosts, gateways, ...). */
  readonly service: Record<string, unknown>;
  readonly progression: ResolvedFlagger;
  readonly match?: readonly FlaggerMatch[];
  readonly metricSource: MetricSource;
  /** ISTIO: whose reports count (see CanarySelector.reporter). */
  readonly reporter?: IstioReporter;
}

/**
 * What Flagger creates or rewrites for a Canary (v1.44.0): the primary Deployment
 * `<target>-primary` and its HPA (pkg/canary/deployment_controller.go, hpa_reconciler.go), the
 * Services `<service>`, `<service>-primary`, `<service>-canary`, whose selector and ports it
 * overwrites (pkg/router/kubernetes_default.go reconcileService), and per provider the
 * VirtualService `<service>` with DestinationRules `<service>-primary` / `-canary`
 * (pkg/router/istio.go), the HTTPRoute `<service>` (pkg/router/gateway_api_v1.go) or the canary
 * Ingress `<ingress>-canary` (pkg/router/ingress.go). `provider` is undefined when only the names
 * every provider shares are known (a handover commit).
 */
/** The Services Flagger routes between: `<service>-primary` and `<service>-canary` (pkg/router/kubernetes_default.go). */
export function flaggerBackendServices(serviceName: string): [string, string] {
  return [`${serviceName}-primary`, `${serviceName}-canary`];
}

export function flaggerCreatedObjects(o: { targetName: string; serviceName: string; autoscaled: boolean; provider?: FlaggerProvider; ingressName?: string }): EngineCreatedObject[] {
  // Named after the target (`name`) or the apex Service (`serviceName`; `name` when they are one).
  const service = o.serviceName === o.targetName ? 'name' : 'serviceName';
  const created: EngineCreatedObject[] = [
    { group: 'apps', kind: 'Deployment', name: `${o.targetName}-primary`, from: 'name' },
    ...[o.serviceName, ...flaggerBackendServices(o.serviceName)].map((name) => ({ group: '', kind: 'Service', name, from: service } as const)),
  ];
  if (o.autoscaled) created.push({ group: 'autoscaling', kind: 'HorizontalPodAutoscaler', name: `${o.targetName}-primary`, from: 'name' });
  if (o.provider === FlaggerProvider.ISTIO) {
    created.push({ group: 'networking.istio.io', kind: 'VirtualService', name: o.serviceName, from: service });
    for (const suffix of ['-primary', '-canary']) created.push({ group: 'networking.istio.io', kind: 'DestinationRule', name: `${o.serviceName}${suffix}`, from: service });
  }
  if (o.provider === FlaggerProvider.GATEWAY_API) created.push({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: o.serviceName, from: service });
  if (o.provider === FlaggerProvider.NGINX && o.ingressName !== undefined) {
    created.push({ group: 'networking.k8s.io', kind: 'Ingress', name: `${o.ingressName}-canary`, from: 'name' });
  }
  return created;
}

export interface FlaggerObjects {
  readonly canary: ApiObject;
  readonly metricTemplates: ApiObject[];
}

/**
 * The Canary `<name>` and its MetricTemplates. Flagger generates the Services, VirtualService,
 * DestinationRules, HTTPRoute and canary Ingress itself, so the strategy emits none of them.
 * `revertOnDeletion`: deleting the Canary hands the service back (pkg/controller/finalizer.go:
 * the target is scaled up and waited for before the apex Service is pointed back at it).
 */
export function createFlaggerCanary(scope: Construct, request: FlaggerRequest): FlaggerObjects {
  const p = request.progression;
  const metricTemplates = (p.analysis ? analysisMetrics(p.analysis, request.metricSource, {
    namespace: '{{ namespace }}',
    workloadOrIngress: request.metricSource === MetricSource.NGINX ? '{{ ingress }}' : '{{ target }}',
    window: '{{ interval }}',
    reporter: request.reporter,
  }) : []).map((metric) => ({
    metric,
    template: new ApiObject(scope, `MetricTemplate-${metric.name}`, {
      apiVersion: FLAGGER_API_VERSION,
      kind: 'MetricTemplate',
      metadata: { ...request.metadata, name: `${request.metadata.name}-${metric.name}` },
      spec: { provider: { type: 'prometheus', address: p.analysis!.prometheusAddress }, query: metric.query },
    }),
  }));
  const canary = new ApiObject(scope, 'FlaggerCanary', {
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
    metadata: request.metadata,
    spec: {
      provider: request.provider,
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: request.targetName },
      autoscalerRef: request.autoscalerName === undefined ? undefined
        : { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: request.autoscalerName },
      ingressRef: request.ingressName === undefined ? undefined
        : { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: request.ingressName },
      service: request.service,
      revertOnDeletion: true,
      analysis: {
        interval: p.interval,
        threshold: p.threshold,
        maxWeight: p.maxWeight,
        stepWeight: p.stepWeight,
        stepWeights: p.stepWeights,
        iterations: p.iterations,
        match: request.match && request.match.length > 0 ? request.match : undefined,
        metrics: metricTemplates.map(({ metric, template }) => ({
          name: metric.name,
          templateRef: { name: template.name },
          thresholdRange: { [metric.bound]: metric.threshold },
          interval: p.analysis!.interval,
        })),
      },
    },
  });
  return { canary, metricTemplates: metricTemplates.map((m) => m.template) };
}

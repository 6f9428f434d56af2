import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

import { ObjectMetadata } from '../core/metadata';
import { EngineCreatedObject } from '../core/ownership';
import { analysisMetrics, CanarySelector, MetricSource } from './analysis';
import { EngineHandover } from './progression';
import { ResolvedArgoRollouts } from './resolve';

/** The name Argo Rollouts' Gateway API traffic router plugin is registered under (its README). */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** Argo Rollouts' API group and version (v1.9.1 CRDs). */
export const ROLLOUT_API_VERSION = 'argoproj.io/v1alpha1';

/** A header route for `setHeaderRoute` (Argo: all matching requests go to the canary). */
export interface ArgoHeaderRoute {
  readonly name: string;
  readonly match: { readonly headerName: string; readonly headerValue: { readonly exact?: string; readonly regex?: string } }[];
}

/** What one strategy asks of the Rollout. */
export interface RolloutRequest {
  readonly metadata: ObjectMetadata;
  /** Undefined when an autoscaler owns the count. */
  readonly replicas?: number;
  /** The stable Deployment's selector (the Rollout's pods come from its template). */
  readonly selector: Record<string, string>;
  /** The Deployment whose pod template the Rollout runs (`workloadRef`). */
  readonly deploymentName: string;
  readonly progression: ResolvedArgoRollouts;
  /** The Services Argo points at the stable and canary pods (not with subset-level Istio routing). */
  readonly services?: { readonly stable: string; readonly canary: string };
  /** `strategy.canary.trafficRouting`, without managedRoutes; undefined for the basic canary. */
  readonly trafficRouting?: Record<string, unknown>;
  readonly headerRoutes?: readonly ArgoHeaderRoute[];
  /** How the analysis finds the canary's requests; the namespace comes from an argument. */
  readonly metrics?: { readonly source: MetricSource; readonly selector: Omit<CanarySelector, 'namespace' | 'window'> };
}

/**
 * What Argo Rollouts creates at run time besides ReplicaSets and AnalysisRuns (hashed names):
 * with nginx traffic routing the canary Ingress `<rollout>-<stableIngress>-canary`, a clone of
 * the stable Ingress (utils/ingress GetCanaryIngressName).
 */
export function argoCreatedObjects(rolloutName: string, trafficRouting: Record<string, unknown> | undefined): EngineCreatedObject[] {
  const nginx = trafficRouting?.nginx as { stableIngress?: string } | undefined;
  return nginx?.stableIngress === undefined ? []
    : [{ group: 'networking.k8s.io', kind: 'Ingress', name: `${rolloutName}-${nginx.stableIngress}-canary`, from: 'name' }];
}

/** What was made. */
export interface ArgoObjects {
  readonly rollout: ApiObject;
  readonly analysisTemplate?: ApiObject;
}

/**
 * The Rollout `<name>` and its AnalysisTemplate. The Rollout refers to the stable Deployment
 * (`workloadRef`) instead of embedding a pod template, so that moving a running service to Argo
 * Rollouts changes no existing object's name or selector: the Deployment keeps its pods until the
 * Rollout's are serving, and the template (image, probes, security) stays where `stable` puts it.
 * `scaleDown: never`: the Deployment's replica count is the committed one at every step, never a
 * controller's, so GitOps has nothing to fight over.
 */
export function createArgoRollout(scope: Construct, request: RolloutRequest): ArgoObjects {
  const { progression } = request;
  const engaged = progression.handover === EngineHandover.NONE;
  const analysisTemplate = engaged && progression.analysis && request.metrics
    ? createAnalysisTemplate(scope, request) : undefined;
  const canary: Record<string, unknown> = {};
  if (engaged) {
    if (request.services) {
      canary.stableService = request.services.stable;
      canary.canaryService = request.services.canary;
    }
    if (request.trafficRouting) {
      const managedRoutes = (request.headerRoutes ?? []).map((r) => ({ name: r.name }));
      canary.trafficRouting = { ...request.trafficRouting, ...(managedRoutes.length > 0 ? { managedRoutes } : {}) };
    }
    canary.steps = rolloutSteps(progression, request.headerRoutes ?? []);
    if (analysisTemplate) {
      canary.analysis = {
        templates: [{ templateName: analysisTemplate.name }],
        args: [{ name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
      };
    }
  }
  const rollout = new ApiObject(scope, 'Rollout', {
    apiVersion: ROLLOUT_API_VERSION,
    kind: 'Rollout',
    metadata: request.metadata,
    spec: {
      replicas: request.replicas,
      selector: { matchLabels: request.selector },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: request.deploymentName, scaleDown: 'never' },
      strategy: { canary },
    },
  });
  return { rollout, analysisTemplate };
}

/**
 * Each step a `setWeight`, then a `pause` (no duration: until promoted). Header routes are set
 * right after the first weight: with traffic routing Argo scales the canary by the weight, so
 * before it the canary has no pod to take the targeted requests.
 */
function rolloutSteps(progression: ResolvedArgoRollouts, headerRoutes: readonly ArgoHeaderRoute[]): Record<string, unknown>[] {
  return progression.steps.flatMap((step, i) => [
    { setWeight: step.weight },
    ...(i === 0 ? headerRoutes.map((route) => ({ setHeaderRoute: route })) : []),
    { pause: step.pause === undefined ? {} : { duration: step.pause } },
  ]);
}

function createAnalysisTemplate(scope: Construct, request: RolloutRequest): ApiObject {
  const analysis = request.progression.analysis!;
  const metrics = analysisMetrics(analysis, request.metrics!.source, {
    ...request.metrics!.selector, namespace: '{{args.namespace}}', window: analysis.interval,
  });
  return new ApiObject(scope, 'AnalysisTemplate', {
    apiVersion: ROLLOUT_API_VERSION,
    kind: 'AnalysisTemplate',
    metadata: request.metadata,
    spec: {
      args: [{ name: 'namespace' }],
      metrics: metrics.map((m) => ({
        name: m.name,
        interval: analysis.interval,
        failureLimit: analysis.failureLimit,
        // No data is no evidence for the canary: an empty or NaN result (no requests yet, or no
        // such metric) fails the measurement, as Flagger fails a query without values.
        successCondition: `len(result) > 0 && result[0] ${m.bound === 'min' ? '>=' : '<='} ${m.threshold}`,
        provider: { prometheus: { address: analysis.prometheusAddress, query: m.query } },
      })),
    },
  });
}

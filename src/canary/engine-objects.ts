import { Construct } from 'constructs';

import { showValue } from '../core/errors';
import { flaggerStableSelector, Track, trackSelector } from '../core/labels';
import { ResolvedMatch } from '../core/match';
import { ObjectMetadata } from '../core/metadata';
import { EngineCreatedObject } from '../core/ownership';
import { IstioReporter, MetricSource } from '../engines/analysis';
import { argoCreatedObjects, ArgoObjects, createArgoRollout } from '../engines/argo-rollouts';
import { createFlaggerCanary, flaggerCreatedObjects, FlaggerObjects, FlaggerRequest } from '../engines/flagger';
import { argoHeaderRoutes, flaggerMatches } from '../engines/matches';
import { EngineHandover, ProgressionEngine } from '../engines/progression';
import { ResolvedArgoRollouts, ResolvedFlagger, ResolvedProgression } from '../engines/resolve';
import { CommonSpec } from './common-props';

// The part of a canary that hands it to an engine: the props an engine rules out, what the
// engine will create at run time, and the engine's own objects (Argo's Rollout, Flagger's Canary).

/** What a strategy asks of the Rollout (see CanaryBase._addArgoRollout). */
export interface ArgoRolloutRequest {
  readonly stableService?: string;
  readonly trafficRouting?: Record<string, unknown>;
  readonly matches?: readonly ResolvedMatch[];
  readonly metrics?: { readonly source: MetricSource; readonly reporter?: IstioReporter };
}

/** What a strategy asks of Flagger's Canary (see CanaryBase._addFlaggerCanary). */
export type FlaggerCanaryRequest = Pick<FlaggerRequest, 'provider' | 'ingressName' | 'metricSource' | 'reporter'>
  & { readonly service?: Record<string, unknown>; readonly matches?: readonly ResolvedMatch[]; readonly nginx?: boolean };

/** What the canary's other parts give the engine objects, asked for only when they are made. */
export interface EngineInputs {
  readonly metadata: () => ObjectMetadata;
  readonly stableReplicas: () => number;
  readonly portName: string;
  readonly stableAutoscaled: boolean;
}

/**
 * What the engine creates for this canary, claimed like the objects it emits: with Flagger the
 * names every provider shares (`router` adds that provider's), with Argo Rollouts the objects
 * its traffic routing makes; none by hand.
 */
export function engineCreatedObjects(spec: CommonSpec, router?: Pick<FlaggerRequest, 'provider' | 'ingressName'>, trafficRouting?: Record<string, unknown>): EngineCreatedObject[] {
  switch (spec.progression.engine) {
    case ProgressionEngine.FLAGGER:
      return flaggerCreatedObjects({
        targetName: spec.name, serviceName: spec.serviceName, autoscaled: spec.stableTrack.autoscaling !== undefined,
        provider: router?.provider, ingressName: router?.ingressName,
      });
    case ProgressionEngine.ARGO_ROLLOUTS:
      return argoCreatedObjects(spec.name, trafficRouting);
    default:
      return [];
  }
}

/**
 * Under Argo Rollouts the stable autoscaler scales the Rollout, except when the service is
 * being handed back to the Deployment.
 */
export function autoscalesRollout(progression: ResolvedProgression): boolean {
  return progression.engine === ProgressionEngine.ARGO_ROLLOUTS && progression.handover !== EngineHandover.FROM_ENGINE;
}

/** True when Argo Rollouts runs the canary (not in a handover commit). */
export function argoRuns(progression: ResolvedProgression): boolean {
  return progression.engine === ProgressionEngine.ARGO_ROLLOUTS && progression.handover === EngineHandover.NONE;
}

/** The pods a track's disruption budget selects: Flagger's primary copy runs the stable ones. */
export function budgetSelector(spec: CommonSpec, track: Track): Record<string, string> {
  return spec.progression.engine === ProgressionEngine.FLAGGER ? flaggerStableSelector(spec.name) : trackSelector(spec.name, track);
}

/** The Rollout over the stable Deployment, after the checks that are Argo's alone. */
export function addArgoRollout(scope: Construct, spec: CommonSpec, progression: ResolvedArgoRollouts, request: ArgoRolloutRequest, inputs: EngineInputs): ArgoObjects {
  const check = spec.check;
  const autoscaling = spec.stableTrack.autoscaling;
  const metrics = request.metrics && {
    source: request.metrics.source,
    // Istio: the Rollout's pods are one workload, `<name>`; the released version tells the canary's apart.
    // ingress-nginx: the main Ingress `<name>`, whose canary backend Argo adds.
    selector: request.metrics.source === MetricSource.ISTIO
      ? { workloadOrIngress: spec.name, revision: spec.stableTrack.version, reporter: request.metrics.reporter }
      : { workloadOrIngress: spec.name },
  };
  const headerRoutes = argoHeaderRoutes(check, request.matches ?? [], spec.name);
  if (headerRoutes.length > 0) {
    // With traffic routing Argo sizes the canary ReplicaSet by the step's weight
    // (utils/replicaset/canary.go, CalculateReplicaCountsForTrafficRoutedCanary: ceil(replicas x weight / 100)),
    // and a header route stays set until the release ends: at weight 0 its requests find no pod.
    progression.steps.forEach((step, i) => {
      if (step.weight === 0) {
        check.fail(`progression.argoRollouts.steps[${i}].weight`, 'is 0 while match sets a header route: Argo Rollouts sizes the canary by the step\'s weight, so at 0 it has no pod and every matching request would fail; give every step a weight of at least 1, or remove match');
      }
    });
  }
  const stable = spec.stableTrack;
  if (request.metrics?.source === MetricSource.ISTIO && progression.analysis && !stable.versionDistinguishes) {
    // Argo's canary pods are one workload with the stable ones: only the version label
    // (Istio's canonical revision) tells the two releases' requests apart.
    check.fail('stable.version', `is not given, and stable.image ${showValue(stable.image)} has no tag that changes with each release, so both releases' pods carry version ${showValue(stable.version)} and the analysis would measure the stable pods with the canary's; give stable.version (e.g. the release number or the digest's first 12 characters)`);
  }
  return createArgoRollout(scope, {
    trafficRouting: request.trafficRouting,
    headerRoutes,
    services: request.stableService === undefined ? undefined : { stable: request.stableService, canary: `${spec.name}-canary` },
    metrics,
    metadata: inputs.metadata(),
    replicas: autoscaling ? (autoscalesRollout(progression) ? undefined : autoscaling.minReplicas) : inputs.stableReplicas(),
    selector: trackSelector(spec.name, Track.STABLE),
    deploymentName: spec.name,
    progression,
  });
}

/** Flagger's Canary targeting the stable Deployment; undefined in a handover commit. */
export function addFlaggerCanary(scope: Construct, spec: CommonSpec, progression: ResolvedFlagger, request: FlaggerCanaryRequest, inputs: EngineInputs): FlaggerObjects | undefined {
  if (progression.handover !== EngineHandover.NONE) return undefined;
  const { matches, nginx, ...rest } = request;
  return createFlaggerCanary(scope, {
    ...rest,
    match: flaggerMatches(spec.check, matches ?? [], nginx),
    service: { name: spec.serviceName, port: spec.port, targetPort: spec.containerPort, portName: inputs.portName, ...request.service },
    metadata: inputs.metadata(),
    targetName: spec.name,
    autoscalerName: inputs.stableAutoscaled ? spec.name : undefined,
    progression,
  });
}

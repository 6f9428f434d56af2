import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { INT32_MAX, PropChecker } from './validate';

/**
 * Autoscaling of one track: an `autoscaling/v2` HorizontalPodAutoscaler on the track's Deployment,
 * which then leaves `spec.replicas` to it. Each track scales on its own load, as Flagger does: a
 * canary that serves 10 % of requests needs far fewer pods than stable, and one shared autoscaler
 * over-scales stable during a canary (reported by Argo Rollouts users).
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export interface TrackAutoscalingProps {
  /** Fewest pods (at least 1: scaling to zero needs an alpha feature gate). */
  readonly minReplicas: number;
  /** Most pods. */
  readonly maxReplicas: number;
  /**
   * Average CPU use to keep, in percent of the CPU request.
   * @default 80 when memoryUtilization is not given either (the Kubernetes default)
   */
  readonly cpuUtilization?: number;
  /**
   * Average memory use to keep, in percent of the memory request.
   * @default - none
   */
  readonly memoryUtilization?: number;
  /**
   * How long load must stay low before the autoscaler removes pods
   * (`behavior.scaleDown.stabilizationWindowSeconds`, 0 to 1 hour).
   * @default - 5 minutes (the Kubernetes default)
   */
  readonly scaleDownStabilization?: Duration;
}

/** A track's autoscaling after validation. */
export interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization?: number;
  readonly memoryUtilization?: number;
  readonly scaleDownStabilizationSeconds?: number;
}

const FIELDS: Record<keyof TrackAutoscalingProps, true> = {
  minReplicas: true, maxReplicas: true, cpuUtilization: true, memoryUtilization: true, scaleDownStabilization: true,
};
/** Utilization is a percentage of the request and may exceed 100 (an HPA aiming above the request). */
const UTILIZATION_RANGE = { min: 1, max: 1000 };
const DEFAULT_CPU_UTILIZATION = 80;
const MAX_STABILIZATION_SECONDS = 3600;

/** Validates `prop` (`stable.autoscaling` / `canary.autoscaling`). */
export function resolveAutoscaling(check: PropChecker, prop: string, value: TrackAutoscalingProps | undefined, resources: kplus.ContainerResources | undefined): ResolvedAutoscaling | undefined {
  const props = check.object(prop, value, false, FIELDS);
  if (!props) return undefined;
  const minReplicas = check.integer(`${prop}.minReplicas`, props.minReplicas, { min: 0, max: INT32_MAX });
  if (minReplicas === undefined) check.fail(`${prop}.minReplicas`, 'is required (the fewest pods, at least 1)');
  if (minReplicas === 0) {
    check.fail(`${prop}.minReplicas`, 'is 0; an autoscaler scales to zero only with the alpha HPAScaleToZero feature gate, and a track with no pod turns its share of requests into errors; use at least 1');
  }
  const maxReplicas = check.integer(`${prop}.maxReplicas`, props.maxReplicas, { min: minReplicas, max: INT32_MAX });
  if (maxReplicas === undefined) check.fail(`${prop}.maxReplicas`, `is required (the most pods, at least minReplicas ${minReplicas})`);
  const memoryUtilization = check.integer(`${prop}.memoryUtilization`, props.memoryUtilization, UTILIZATION_RANGE);
  const cpuUtilization = check.integer(`${prop}.cpuUtilization`, props.cpuUtilization, UTILIZATION_RANGE,
    memoryUtilization === undefined ? DEFAULT_CPU_UTILIZATION : undefined);
  // Utilization is measured against the request: without one the autoscaler cannot compute it
  // and never scales (its condition ScalingActive turns False with FailedGetResourceMetric). A
  // limit alone counts: Kubernetes then sets the request to the limit. With the library's default
  // resources both requests are set.
  if (resources && cpuUtilization !== undefined && !resources.cpu?.request && !resources.cpu?.limit) {
    check.fail(`${prop}.cpuUtilization`, 'needs a CPU request: utilization is a percentage of it, and without one the autoscaler cannot scale; set resources.cpu.request');
  }
  if (resources && memoryUtilization !== undefined && !resources.memory?.request && !resources.memory?.limit) {
    check.fail(`${prop}.memoryUtilization`, 'needs a memory request: utilization is a percentage of it, and without one the autoscaler cannot scale; set resources.memory.request');
  }
  // stabilizationWindowSeconds: 0 (scale down at once) to 3600 (validateScalingRules, MaxStabilizationWindowSeconds).
  const scaleDownStabilizationSeconds = check.wholeSeconds(`${prop}.scaleDownStabilization`, props.scaleDownStabilization,
    { min: 0, max: MAX_STABILIZATION_SECONDS }, `0 (scale down at once) to ${MAX_STABILIZATION_SECONDS} (1 hour), the range the API server allows`);
  return { minReplicas, maxReplicas, cpuUtilization, memoryUtilization, scaleDownStabilizationSeconds };
}

/**
 * The HorizontalPodAutoscaler of a track, named like its Deployment. Written as the plain
 * `autoscaling/v2` object rather than cdk8s-plus's HorizontalPodAutoscaler, whose defaults differ
 * from Kubernetes' (it always emits a behavior that scales down by at most minReplicas pods per
 * 5 minutes); here an unset behavior means the Kubernetes defaults.
 */
export function createAutoscaler(scope: Construct, id: string, deployment: kplus.Deployment, autoscaling: ResolvedAutoscaling, metadata: kplus.k8s.ObjectMeta,
  target?: kplus.k8s.CrossVersionObjectReferenceV2): kplus.k8s.KubeHorizontalPodAutoscalerV2 {
  // Another target (an Argo Rollout running the Deployment's template) owns the pod count instead.
  if (!target) deployment.markHasAutoscaler();
  const utilization = (name: string, averageUtilization: number | undefined): kplus.k8s.MetricSpecV2[] => averageUtilization === undefined ? [] : [{
    type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } },
  }];
  return new kplus.k8s.KubeHorizontalPodAutoscalerV2(scope, id, {
    metadata,
    spec: {
      scaleTargetRef: target ?? { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [...utilization('cpu', autoscaling.cpuUtilization), ...utilization('memory', autoscaling.memoryUtilization)],
      behavior: autoscaling.scaleDownStabilizationSeconds === undefined ? undefined
        : { scaleDown: { stabilizationWindowSeconds: autoscaling.scaleDownStabilizationSeconds } },
    },
  });
}

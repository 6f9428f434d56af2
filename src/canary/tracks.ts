import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { createTrackDeployment, TrackOwner } from '../core/track';
import { CommonSpec } from './common-props';
import { argoRuns } from './engine-objects';

// The part of a canary that runs its pods: how many each track gets, and the two Deployments.

/** Pods per track and the canary weight they give. */
export interface TrackSplit {
  readonly stableReplicas: number;
  readonly canaryReplicas: number;
  /** Percent of ordinary requests the canary receives (not necessarily an integer). */
  readonly effectiveWeight: number;
}

/** The Deployments of the two tracks; no canary one in steady state. */
export interface TrackDeployments {
  readonly stable: kplus.Deployment;
  readonly canary?: kplus.Deployment;
}

/** Default pods of the stable track when the strategy does not derive them. */
const DEFAULT_STABLE_REPLICAS = 2;

/**
 * The split of the L7 strategies, where pods do not decide traffic: the tracks' own replicas
 * (stable 2, canary as many as stable) and the weight of ordinary requests. `targetedWeights` are
 * the canary weights of the targeted routes: a track that any route sends requests to needs a pod.
 */
export function routedSplit(spec: CommonSpec, targetedWeights: readonly number[], ordinaryWeight: number): TrackSplit {
  const { stableTrack, canaryTrack, check } = spec;
  // An autoscaled track never has fewer pods than its minReplicas, which is what the checks need.
  const stableReplicas = stableTrack.autoscaling?.minReplicas ?? stableTrack.replicas ?? DEFAULT_STABLE_REPLICAS;
  const canaryReplicas = canaryTrack ? canaryTrack.autoscaling?.minReplicas ?? canaryTrack.replicas ?? stableReplicas : 0;
  const weights = [ordinaryWeight, ...targetedWeights];
  const toCanary = Math.max(...weights);
  const toStable = Math.min(...weights);
  const source = (w: number) => (w === ordinaryWeight ? `weight is ${w}` : `a route has weight ${w}`);
  if (canaryTrack && canaryReplicas === 0 && toCanary > 0) {
    check.fail('canary.replicas', `is 0 while ${source(toCanary)}: ${toCanary} % of those requests go to the canary and would find no pod; give it at least 1 replica`);
  }
  if (stableReplicas === 0 && toStable < 100) {
    check.fail('stable.replicas', `is 0 while ${source(toStable)}: ${100 - toStable} % of those requests go to stable and would find no pod; scale stable to 0 only when every route sends 100 % to the canary`);
  }
  return { stableReplicas, canaryReplicas, effectiveWeight: ordinaryWeight };
}

/**
 * The track Deployments with `split`. Under Argo Rollouts the Rollout runs the stable
 * Deployment's template and the Deployment holds no pod, except in a handover commit, where both serve.
 */
export function createTracks(scope: Construct, spec: CommonSpec, split: TrackSplit, portName: string): TrackDeployments {
  const owner: TrackOwner = {
    name: spec.name, namespace: spec.namespace, containerPort: spec.containerPort, labels: spec.labelSource,
    containerName: spec.exposure.containerName, annotations: spec.exposure.annotations, portName,
    containerPortGiven: spec.containerPortGiven,
  };
  const stable = argoRuns(spec.progression)
    ? createTrackDeployment(scope, owner, { ...spec.stableTrack, autoscaling: undefined }, 0, spec.check)
    : createTrackDeployment(scope, owner, spec.stableTrack, split.stableReplicas, spec.check);
  const canary = spec.canaryTrack ? createTrackDeployment(scope, owner, spec.canaryTrack, split.canaryReplicas, spec.check) : undefined;
  if (canary) {
    assertSelectorsDisjoint(spec, stable, canary);
    assertSelectorsDisjoint(spec, canary, stable);
  }
  return { stable, canary };
}

function assertSelectorsDisjoint(spec: CommonSpec, selecting: kplus.Deployment, other: kplus.Deployment): void {
  const selector = selecting.matchLabels;
  if (Object.entries(selector).every(([key, value]) => other.podMetadata.getLabel(key) === value)) {
    spec.check.fail('stable', `Deployment ${selecting.name} would select the pods of ${other.name} (selector ${JSON.stringify(selector)}); the two tracks must not share pods`);
  }
}

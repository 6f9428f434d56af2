import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { createAutoscaler } from '../core/autoscaling';
import { createDisruptionBudget } from '../core/availability';
import { deploymentLabels, Track, trackSuffix } from '../core/labels';
import { ROLLOUT_API_VERSION } from '../engines/argo-rollouts';
import { CommonSpec } from './common-props';
import { autoscalesRollout, budgetSelector } from './engine-objects';
import { objectMetadata } from './exposure';
import { TrackDeployments } from './tracks';

// The part of a canary that keeps its tracks sized and alive: an autoscaler per autoscaled track,
// a disruption budget per track.

/** One object per track, where the track has one. */
export interface PerTrack<T> {
  stable?: T;
  canary?: T;
}

/** What the scaling part made. */
export interface TrackScaling {
  readonly autoscalers: PerTrack<kplus.k8s.KubeHorizontalPodAutoscalerV2>;
  readonly budgets: PerTrack<kplus.k8s.KubePodDisruptionBudget>;
}

/** The autoscalers and disruption budgets of the tracks, named and labelled like each track's Deployment. */
export function addTrackScaling(scope: Construct, spec: CommonSpec, deployments: TrackDeployments): TrackScaling {
  const made: TrackScaling = { autoscalers: {}, budgets: {} };
  for (const [track, deployment] of [[spec.stableTrack, deployments.stable], [spec.canaryTrack, deployments.canary]] as const) {
    if (!track || !deployment) continue;
    // Named like the track's Deployment, with its labels: the objects of one track belong together.
    const id = track.track === Track.STABLE ? 'Stable' : 'Canary';
    const metadata = { ...objectMetadata(spec, trackSuffix(track.track)), labels: deploymentLabels(spec.labelSource, track.track) };
    if (track.autoscaling) {
      made.autoscalers[track.track] = createAutoscaler(scope, `${id}Autoscaler`, deployment, track.autoscaling, metadata,
        autoscalesRollout(spec.progression) ? { apiVersion: ROLLOUT_API_VERSION, kind: 'Rollout', name: spec.name } : undefined);
    }
    if (spec.disruptionBudgets) {
      made.budgets[track.track] = createDisruptionBudget(scope, `${id}DisruptionBudget`, budgetSelector(spec, track.track), metadata);
    }
  }
  return made;
}

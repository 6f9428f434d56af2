import { CANARY_BASE_FIELDS, CanaryBaseProps, CommonSpec } from '../../canary/common-props';
import { TrackSplit } from '../../canary/tracks';
import { declareAcceptedProps } from '../../core/accepted-props';
import { multiplexes } from '../../core/protocol';
import { INT32_MAX, PropChecker } from '../../core/validate';
import {
  exactCanaryReplicas, exactTotalAtLeast, formatWeight, nearestCanaryReplicas, neighbourCanaryReplicas, replicaWeight, smallestExactTotal,
} from '../../core/weights';
import { ProgressionEngine } from '../../engines/progression';

// What ReplicaCanary accepts, in one place: its props, their declared fields, and the one
// function that checks them and decides the split of pods they ask for.

/** What ReplicaCanary does when `weight` % of the pods is not a whole number of pods. */
export enum ReplicaRounding {
  /** Fail at construction, listing the nearest achievable weights and the pod counts that make the asked one exact. */
  EXACT = 'exact',
  /**
   * Use the nearest achievable split (at least one pod per track while 0 < weight < 100) and
   * report it in `effectiveWeight`.
   */
  NEAREST = 'nearest',
}

/** Props of a replica-ratio canary. */
export interface ReplicaCanaryProps extends CanaryBaseProps {
  /**
   * Total pods of both tracks; the canary gets `replicas × weight / 100` of them.
   * Leave it out to let the construct choose the smallest exact total ≥ `minReplicas`,
   * or set `stable.replicas` and `canary.replicas` instead to give the split directly.
   * @default - the smallest total ≥ minReplicas that makes weight exact
   */
  readonly replicas?: number;
  /**
   * What to do when the weight is not a whole number of pods.
   * @default ReplicaRounding.EXACT
   */
  readonly rounding?: ReplicaRounding;
  /**
   * Smallest total the construct chooses when `replicas` is left out.
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Largest total the construct chooses when `replicas` is left out: 1 % needs 100 pods.
   * @default - 10, or minReplicas when that is larger
   */
  readonly maxReplicas?: number;
  /**
   * Required, as `true`, to split an `HTTP2` or `GRPC` service by replicas. kube-proxy chooses a
   * pod per connection, and these clients send every request over one long-lived connection: each
   * client's requests all go to one track, so the pod ratio is a ratio of connections, and with
   * few clients no split at all. IstioCanary or a mesh GatewayCanary split per request.
   * @default false
   */
  readonly acceptPerConnectionSplit?: boolean;
}

const REPLICA_RANGE = { min: 1, max: INT32_MAX };
const DEFAULT_MAX_REPLICAS = 10;
/** The props ReplicaCanary takes: any other key is refused. */
export const REPLICA_CANARY_FIELDS: Record<keyof ReplicaCanaryProps, true> = {
  ...CANARY_BASE_FIELDS, replicas: true, rounding: true, minReplicas: true, maxReplicas: true, acceptPerConnectionSplit: true,
};
declareAcceptedProps('ReplicaCanary', REPLICA_CANARY_FIELDS);


/** Checks the ReplicaCanary props beyond the common ones, in the order their errors are reported, and decides the pods per track. */
export function resolveReplicaSplit(spec: CommonSpec, props: ReplicaCanaryProps): TrackSplit {
  checkConnectionSplit(spec, props);
  refuseAutoscaling(spec);
  const split = decideSplit(spec, props);
  checkEngine(spec, split.stableReplicas);
  return split;
}

function checkConnectionSplit(spec: CommonSpec, props: ReplicaCanaryProps): void {
  const check: PropChecker = spec.check;
  const accepted = check.boolean('acceptPerConnectionSplit', props.acceptPerConnectionSplit, false);
  if (!multiplexes(spec.protocol)) {
    if (accepted) check.fail('acceptPerConnectionSplit', `is true, but protocol is ${spec.protocol}, whose split needs no acceptance; remove it`);
    return;
  }
  if (spec.canaryTrack && !accepted) {
    check.fail('protocol', `is ${spec.protocol}: kube-proxy picks a pod per connection, and ${spec.protocol} clients send all their requests over one long-lived connection, so each client's requests go to one track and the replica ratio would split connections, not requests (with few clients, no split at all); use IstioCanary or a mesh GatewayCanary for a per-request split, or set acceptPerConnectionSplit: true`);
  }
}

/**
 * The split is the ratio of pods, so a track that scales on its own moves it: and the worse
 * canary, running hotter, scales out and takes more of the traffic exactly when it should take
 * less. Steady state (stable only) has no split and may autoscale.
 */
function refuseAutoscaling(spec: CommonSpec): void {
  if (!spec.canaryTrack) return;
  for (const track of [spec.stableTrack, spec.canaryTrack]) {
    if (track.autoscaling) {
      spec.check.fail(`${track.prop}.autoscaling`, 'is set, but a ReplicaCanary splits by the ratio of pods, which an autoscaler per track would move (a less efficient canary runs hotter, scales out and takes more traffic exactly when it is worse); use IstioCanary, GatewayCanary or NginxCanary, where the router splits and each track scales on its own load, or give fixed replicas until the canary is finished');
    }
  }
}

function decideSplit(spec: CommonSpec, props: ReplicaCanaryProps): TrackSplit {
  const check: PropChecker = spec.check;
  const total = check.integer('replicas', props.replicas, REPLICA_RANGE);
  const rounding = check.oneOf('rounding', props.rounding, Object.values(ReplicaRounding), ReplicaRounding.EXACT);
  const minReplicas = check.integer('minReplicas', props.minReplicas, REPLICA_RANGE, 2);
  // The default maximum never undercuts a minimum the user raised.
  const maxReplicas = check.integer('maxReplicas', props.maxReplicas, { min: minReplicas, max: REPLICA_RANGE.max }, Math.max(DEFAULT_MAX_REPLICAS, minReplicas));
  const autoscaling = spec.stableTrack.autoscaling;
  if (autoscaling) {
    // Steady state (a canary beside an autoscaled stable is refused): the autoscaler decides the pods.
    for (const prop of ['replicas', 'minReplicas', 'maxReplicas'] as const) {
      if (props[prop] !== undefined) {
        check.fail(prop, `is ${props[prop]} while stable.autoscaling is set, which decides the pods (between its minReplicas ${autoscaling.minReplicas} and maxReplicas ${autoscaling.maxReplicas}); remove ${prop}`);
      }
    }
    return { stableReplicas: autoscaling.minReplicas, canaryReplicas: 0, effectiveWeight: 0 };
  }
  const trackReplicasGiven = spec.stableTrack.replicas !== undefined || spec.canaryTrack?.replicas !== undefined;
  if (total !== undefined || trackReplicasGiven) {
    for (const prop of ['minReplicas', 'maxReplicas'] as const) {
      if (props[prop] !== undefined) {
        check.fail(prop, `has no effect when ${total !== undefined ? 'replicas' : 'stable.replicas'} is given: it bounds the total chosen when replicas is left out; remove it`);
      }
    }
  }
  if (trackReplicasGiven) {
    if (total !== undefined) {
      check.fail(spec.stableTrack.replicas !== undefined ? 'stable.replicas' : 'canary.replicas',
        'is set together with replicas; give either replicas (total pods, split by weight) or stable.replicas and canary.replicas, not both');
    }
    return splitFromTrackReplicas(spec);
  }
  if (!spec.canaryTrack) {
    return { stableReplicas: total ?? minReplicas, canaryReplicas: 0, effectiveWeight: 0 };
  }
  const weight = spec.weight;
  let chosenTotal = total;
  if (chosenTotal === undefined) {
    chosenTotal = exactTotalAtLeast(weight, minReplicas);
    if (chosenTotal > maxReplicas) {
      if (rounding === ReplicaRounding.EXACT) {
        check.fail('weight', `${weight} needs ${chosenTotal} pods to be exact, more than maxReplicas ${maxReplicas}; raise maxReplicas, set rounding: ReplicaRounding.NEAREST, or use IstioCanary, GatewayCanary or NginxCanary, which split by request, not by pod`);
      }
      chosenTotal = maxReplicas;
    }
  }
  const exact = exactCanaryReplicas(chosenTotal, weight);
  if (exact !== undefined) {
    return { stableReplicas: chosenTotal - exact, canaryReplicas: exact, effectiveWeight: weight };
  }
  if (rounding === ReplicaRounding.EXACT) check.fail('weight', unreachableWeight(weight, chosenTotal));
  if (chosenTotal < 2) {
    check.fail('replicas', `is ${chosenTotal}: a weight of ${weight} needs at least 2 pods, one per track`);
  }
  const canary = nearestCanaryReplicas(chosenTotal, weight);
  return { stableReplicas: chosenTotal - canary, canaryReplicas: canary, effectiveWeight: replicaWeight(chosenTotal - canary, canary) };
}

/**
 * Engines on plain Services. Flagger's kubernetes provider does blue/green only (no weighted
 * canary, docs "Blue/Green Deployments"). Argo Rollouts' basic canary sets the canary's pods to
 * ceil(replicas x weight / 100) (utils/replicaset/canary.go CalculateReplicaCountsForBasicCanary):
 * a step is exact only when that product is a whole number of pods, so the others are refused.
 */
function checkEngine(spec: CommonSpec, replicas: number): void {
  const p = spec.progression;
  const check: PropChecker = spec.check;
  if (p.engine === ProgressionEngine.FLAGGER) {
    check.fail('progression', 'is Flagger, whose kubernetes provider (plain Services, no router) runs blue/green only, never a weighted canary; use Progression.argoRollouts (basic canary by pod ratio), or IstioCanary, GatewayCanary or NginxCanary with Flagger');
  }
  if (p.engine !== ProgressionEngine.ARGO_ROLLOUTS) return;
  if (spec.stableTrack.autoscaling) {
    check.fail('stable.autoscaling', 'is set, but Argo\'s basic canary splits by the ratio of pods, which an autoscaler moves: each step\'s weight would be a different share at every scale; give stable fixed replicas, or use IstioCanary, GatewayCanary, NginxCanary or AlbCanary, where the router splits');
  }
  if (p.analysis) {
    check.fail('progression.argoRollouts.analysis', 'is set, but a ReplicaCanary has no router whose metrics tell the canary\'s requests apart (kube-proxy keeps none); use IstioCanary, GatewayCanary or NginxCanary for analysis');
  }
  p.steps.forEach((step, i) => {
    if (exactCanaryReplicas(replicas, step.weight) !== undefined) return;
    const lower = Math.floor((replicas * step.weight) / 100);
    const near = [lower, lower + 1].filter((pods) => pods <= replicas).map((pods) => `${+(pods * 100 / replicas).toFixed(2)} (${pods} of ${replicas} pods)`);
    const smallest = smallestExactTotal(step.weight);
    check.fail(`progression.argoRollouts.steps[${i}].weight`, `is ${step.weight}, but Argo's basic canary splits ${replicas} pods, so the nearest weights are ${near.join(' and ')}; give one of them, or at least ${smallest} replicas (a multiple of ${smallest}) to make ${step.weight} exact`);
  });
}

/** The split given directly by `stable.replicas` and `canary.replicas`; `weight` must agree with it. */
function splitFromTrackReplicas(spec: CommonSpec): TrackSplit {
  const check: PropChecker = spec.check;
  const stable = spec.stableTrack.replicas;
  const canary = spec.canaryTrack?.replicas;
  if (stable === undefined) check.fail('stable.replicas', 'is missing while canary.replicas is set; give both, or give replicas (the total) instead');
  if (spec.canaryTrack && canary === undefined) check.fail('canary.replicas', 'is missing while stable.replicas is set; give both, or give replicas (the total) instead');
  const canaryReplicas = canary ?? 0;
  if (stable + canaryReplicas === 0) check.fail('stable.replicas', 'and canary.replicas are both 0: no pod would serve requests');
  const realised = replicaWeight(stable, canaryReplicas);
  if (spec.weightGiven && realised !== spec.weight) {
    check.fail('weight', `is ${spec.weight}, but stable.replicas ${stable} and canary.replicas ${canaryReplicas} send ${formatWeight(realised)} % to the canary; remove weight, or give replicas (the total) with weight instead of the track replicas`);
  }
  return { stableReplicas: stable, canaryReplicas, effectiveWeight: realised };
}

function unreachableWeight(weight: number, total: number): string {
  const options = neighbourCanaryReplicas(total, weight)
    .map((canary) => `${formatWeight(replicaWeight(total - canary, canary))} % (${total - canary} stable : ${canary} canary)`)
    .join(' or ');
  const step = smallestExactTotal(weight);
  const above = exactTotalAtLeast(weight, total);
  const exactTotals = step >= total ? `${step} pods` : `${step} pods or a multiple of it, e.g. ${above}`;
  return `${weight} cannot be split exactly over ${total} pods (${total} × ${weight} / 100 = ${formatWeight((total * weight) / 100)} canary pods). `
    + `Nearest achievable with ${total} pods: ${options}. `
    + `${weight} % is exact with ${exactTotals}; or set rounding: ReplicaRounding.NEAREST`;
}

import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * What keeps a track serving through node drains and zone failures: a PodDisruptionBudget per
 * track and soft spreading of its pods over nodes and zones.
 */

/**
 * The PodDisruptionBudget of one track, named like its Deployment and selecting exactly its pods
 * (`app` + `track`): never two budgets over one pod, which makes the pod unevictable (the eviction
 * API answers 500). `maxUnavailable: 1` lets a drain take one pod at a time — unlike
 * `minAvailable: 1` on a one-pod track, which would block every drain of its node — and
 * `unhealthyPodEvictionPolicy: AlwaysAllow` lets it evict pods that are not ready anyway, so a
 * crash-looping canary never blocks a drain.
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
 */
export function createDisruptionBudget(scope: Construct, id: string, selector: Record<string, string>, metadata: kplus.k8s.ObjectMeta): kplus.k8s.KubePodDisruptionBudget {
  return new kplus.k8s.KubePodDisruptionBudget(scope, id, {
    metadata,
    spec: {
      maxUnavailable: kplus.k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: selector },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}

/** Topology keys a track's pods spread over: zones first, then nodes. */
const SPREAD_KEYS = ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'];

/**
 * Soft spreading of a track's pods: at most one pod more in any zone (and on any node) than in
 * the emptiest, as far as the scheduler can; `ScheduleAnyway` never leaves a pod pending, and a
 * cluster without zone labels just spreads over nodes. `matchLabelKeys: [pod-template-hash]`
 * counts only the pods of the current ReplicaSet, so a rollout spreads the new pods too.
 * (cdk8s-plus-28 spreads with pod anti-affinity; topologySpreadConstraints are set directly.)
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export function spreadPods(deployment: kplus.Deployment, selector: Record<string, string>): void {
  const constraints: kplus.k8s.TopologySpreadConstraint[] = SPREAD_KEYS.map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
    matchLabelKeys: ['pod-template-hash'],
  }));
  ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', constraints));
}

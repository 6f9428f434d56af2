import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

import { CanaryBase } from '../../canary/canary-base';
import { REPLICA_CANARY_FIELDS, ReplicaCanaryProps, resolveReplicaSplit } from './props';

/**
 * A canary with plain Kubernetes objects: two Deployments behind one Service that selects both
 * tracks, so the split is the ratio of ready pods. kube-proxy picks an endpoint per connection,
 * so long-lived connections (keep-alive, HTTP/2, gRPC) skew it; use an L7 strategy for exact
 * per-request splits or targeted routing. HTTP2 and GRPC need `acceptPerConnectionSplit`.
 */
export class ReplicaCanary extends CanaryBase {
  /** Service `<name>`, selecting both tracks by `app`. */
  public readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: ReplicaCanaryProps) {
    super(scope, id, 'ReplicaCanary', props, REPLICA_CANARY_FIELDS);
    try {
      const split = resolveReplicaSplit(this._spec, props);
      this._addTracks(split);
      this.service = this._addService('Service', undefined);
      // Argo's basic canary: no router, the weight is the share of pods, as here.
      this._addArgoRollout({});
      this._register();
    } catch (error) {
      throw this._abandon(error);
    }
  }
}

import { IConstruct } from 'constructs';

import { CanaryConfigError, showValue } from './errors';
import { PropChecker } from './validate';

/**
 * Clusters. Object names and routes are unique per cluster, not per app: one app may hold the
 * staging and the production charts of one service, with the same names and hosts, when each
 * chart says which cluster it is for. The cluster is the context value CLUSTER_CONTEXT of the
 * construct tree (set by CanaryScope, or given to the whole app as cdk8s context), and every object
 * a canary emits records it in CLUSTER_ANNOTATION, so that the safe synth and the report check
 * each cluster's objects on their own.
 */
export const CLUSTER_CONTEXT = 'cdk8s-canary/cluster';
/** The annotation recording the cluster on every object of a canary in one. */
export const CLUSTER_ANNOTATION = 'cdk8s-canary/cluster';

/**
 * The cluster `scope` is in (its nearest context value); undefined when none is set. A canary
 * checks the value when it is built (resolveCommonProps); CanaryScope checks what it sets.
 */
export function clusterOf(scope: IConstruct): string | undefined {
  const value: unknown = scope.node.tryGetContext(CLUSTER_CONTEXT);
  return value === undefined ? undefined : String(value);
}

/**
 * Where the canaries of a part of the app are deployed: `CanaryScope.of(chart).cluster('production')`
 * puts every canary in `chart` in cluster `production`. Claims of object names and routes are then
 * unique per cluster, and the objects record their cluster (annotation `cdk8s-canary/cluster`).
 * The cdk8s context key `cdk8s-canary/cluster` does the same for a whole app.
 */
export class CanaryScope {
  /** The scope of `construct` (an App, a Chart or any construct above the canaries). */
  public static of(construct: IConstruct): CanaryScope {
    return new CanaryScope(construct);
  }

  private constructor(private readonly construct: IConstruct) {}

  /**
   * Puts every canary under this construct in cluster `name` (a DNS-1123 label). Call it before
   * adding them: a construct's context is fixed once it has children.
   */
  public cluster(name: string): void {
    const path = this.construct.node.path || '(app)';
    const check = new PropChecker('CanaryScope', path);
    const cluster = check.dns1123Label('cluster', name);
    if (this.construct.node.children.length > 0) {
      throw new CanaryConfigError('CanaryScope', path, 'cluster', `is ${showValue(cluster)}, but ${path} has children already; call CanaryScope.of(...).cluster() right after creating it, before the canaries in it`);
    }
    this.construct.node.setContext(CLUSTER_CONTEXT, cluster);
  }

  /** The cluster of this construct: its own, or the nearest scope's above it; undefined when none is set. */
  public get clusterName(): string | undefined {
    return clusterOf(this.construct);
  }
}

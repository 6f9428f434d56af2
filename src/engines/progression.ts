import { Duration } from 'cdk8s';

/** Who moves the canary's weight. */
export enum ProgressionEngine {
  /** Weights move by commits (`weight`, `canary`): the construct emits every object. */
  MANUAL = 'Manual',
  /** Argo Rollouts runs the release from a Rollout that refers to the stable Deployment. */
  ARGO_ROLLOUTS = 'ArgoRollouts',
  /** Flagger runs the release from a Canary that targets the stable Deployment. */
  FLAGGER = 'Flagger',
}

/**
 * The commit that passes a service between the static objects and an engine, in either
 * direction. Each side keeps serving until the other has ready pods; the README gives the full
 * sequence per engine.
 */
export enum EngineHandover {
  /** The engine runs the service (the default). */
  NONE = 'None',
  /**
   * First commit towards the engine. Argo Rollouts: the Rollout brings up its own pods next to
   * the Deployment's, behind the static Services and routes. Flagger: the Service and routes
   * Flagger will adopt are marked so that GitOps keeps them when the next commit drops them.
   */
  TO_ENGINE = 'ToEngine',
  /**
   * First commit away from the engine. Argo Rollouts: the Deployment scales back up and the
   * Rollout lets go of the Services and routes. Flagger: the Canary is deleted; Flagger
   * (`revertOnDeletion`) scales the Deployment up, waits for it, then points the Service back.
   */
  FROM_ENGINE = 'FromEngine',
}

/** One step of an Argo Rollouts release. */
export interface ProgressionStep {
  /** Percent (0-100) of ordinary requests sent to the canary in this step. */
  readonly weight: number;
  /**
   * How long to hold this weight (analysis runs meanwhile) before the next step.
   * @default - wait for a manual promotion (`kubectl argo rollouts promote`)
   */
  readonly pause?: Duration;
}

/** Metric analysis, one spec for both engines: Prometheus queries on the router's metrics. */
export interface CanaryAnalysis {
  /** Address of the Prometheus server, e.g. `http://prometheus.istio-system:9090`. */
  readonly prometheusAddress: string;
  /**
   * Lowest acceptable share of non-5xx responses from the canary, in percent (0-100).
   * @default 99
   */
  readonly minSuccessRate?: number;
  /**
   * Highest acceptable 99th-percentile request duration of the canary.
   * @default - latency is not checked
   */
  readonly maxLatencyP99?: Duration;
  /**
   * How often each metric is measured (and the query's rate window).
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * Failed measurements tolerated before the release is rolled back.
   * @default 2
   */
  readonly failureLimit?: number;
}

/** Options of `Progression.argoRollouts`. */
export interface ArgoRolloutsProgressionProps {
  /** The release steps, in order; the canary is promoted after the last one. */
  readonly steps: ProgressionStep[];
  /**
   * Metric analysis running in the background from the first step.
   * @default - none: steps advance on their pauses alone
   */
  readonly analysis?: CanaryAnalysis;
  /**
   * The handover commit when moving a running service to or from Argo Rollouts.
   * @default EngineHandover.NONE
   */
  readonly handover?: EngineHandover;
}

/** Options of `Progression.flagger`. */
export interface FlaggerProgressionProps {
  /** How often Flagger checks the canary and advances a step. */
  readonly interval: Duration;
  /**
   * Percent added to the canary's weight at each step.
   * @default - with `stepWeights` none; else 10
   */
  readonly stepWeight?: number;
  /**
   * The canary weights, in increasing order, instead of a fixed `stepWeight`.
   * @default - the weights `stepWeight` makes
   */
  readonly stepWeights?: number[];
  /**
   * The highest canary weight before promotion.
   * @default 50
   */
  readonly maxWeight?: number;
  /**
   * Failed checks before Flagger rolls back.
   * @default 5
   */
  readonly threshold?: number;
  /**
   * With `match`: the number of intervals the targeted (A/B) test runs before promotion.
   * @default 10
   */
  readonly iterations?: number;
  /**
   * Metric analysis (Flagger runs it at every interval).
   * @default - none: Flagger checks pod readiness only
   */
  readonly analysis?: CanaryAnalysis;
  /**
   * The handover commit when moving a running service to or from Flagger.
   * @default EngineHandover.NONE
   */
  readonly handover?: EngineHandover;
}

/**
 * How a canary progresses: by commits (`manual`, the default) or by an engine that moves the
 * weight itself, checks metrics and promotes or rolls back (`argoRollouts`, `flagger`). With an
 * engine, `stable` states the version to release and the engine owns the canary.
 */
export class Progression {
  /** Weights move by commits: the construct's `canary` and `weight`. */
  public static manual(): Progression {
    return new Progression(ProgressionEngine.MANUAL);
  }

  /** Argo Rollouts (v1.9) runs the release in `steps`. */
  public static argoRollouts(props: ArgoRolloutsProgressionProps): Progression {
    return new Progression(ProgressionEngine.ARGO_ROLLOUTS, props);
  }

  /** Flagger (v1.44) runs the release every `interval`. */
  public static flagger(props: FlaggerProgressionProps): Progression {
    return new Progression(ProgressionEngine.FLAGGER, undefined, props);
  }

  /** The engine, or MANUAL. */
  public readonly engine: ProgressionEngine;
  /** The Argo Rollouts options, with ARGO_ROLLOUTS. */
  public readonly argoRolloutsProps?: ArgoRolloutsProgressionProps;
  /** The Flagger options, with FLAGGER. */
  public readonly flaggerProps?: FlaggerProgressionProps;

  private constructor(engine: ProgressionEngine, argoRolloutsProps?: ArgoRolloutsProgressionProps, flaggerProps?: FlaggerProgressionProps) {
    this.engine = engine;
    this.argoRolloutsProps = argoRolloutsProps;
    this.flaggerProps = flaggerProps;
  }
}

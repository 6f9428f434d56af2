import { showValue } from '../core/errors';
import { durationSeconds } from '../core/pass-through';
import { INT32_MAX, PropChecker } from '../core/validate';
import {
  ArgoRolloutsProgressionProps, CanaryAnalysis, EngineHandover, FlaggerProgressionProps, Progression, ProgressionEngine, ProgressionStep,
} from './progression';

/** Validated analysis: what both engines' metric objects are built from. */
export interface ResolvedAnalysis {
  readonly prometheusAddress: string;
  /** Percent. */
  readonly minSuccessRate: number;
  readonly maxLatencyP99Ms?: number;
  /** A Go / Prometheus duration (`60s`, `5m`). */
  readonly interval: string;
  readonly failureLimit: number;
}

export interface ResolvedArgoRollouts {
  readonly engine: ProgressionEngine.ARGO_ROLLOUTS;
  readonly steps: readonly { readonly weight: number; readonly pause?: string }[];
  readonly analysis?: ResolvedAnalysis;
  readonly handover: EngineHandover;
}

export interface ResolvedFlagger {
  readonly engine: ProgressionEngine.FLAGGER;
  readonly interval: string;
  readonly stepWeight?: number;
  readonly stepWeights?: readonly number[];
  readonly maxWeight?: number;
  readonly threshold: number;
  /** Set only when the construct's `match` makes this an A/B test. */
  readonly iterations?: number;
  readonly analysis?: ResolvedAnalysis;
  readonly handover: EngineHandover;
}

export type ResolvedProgression = { readonly engine: ProgressionEngine.MANUAL } | ResolvedArgoRollouts | ResolvedFlagger;

const ARGO_FIELDS: Record<keyof ArgoRolloutsProgressionProps, true> = { steps: true, analysis: true, handover: true };
const STEP_FIELDS: Record<keyof ProgressionStep, true> = { weight: true, pause: true };
const FLAGGER_FIELDS: Record<keyof FlaggerProgressionProps, true> = {
  interval: true, stepWeight: true, stepWeights: true, maxWeight: true, threshold: true, iterations: true, analysis: true, handover: true,
};
const ANALYSIS_FIELDS: Record<keyof CanaryAnalysis, true> = {
  prometheusAddress: true, minSuccessRate: true, maxLatencyP99: true, interval: true, failureLimit: true,
};
const PERCENT = { min: 0, max: 100 };
/** A step list longer than this is a mistake (Argo runs one step at a time, each a status update). */
const MAX_STEPS = 100;
const DEFAULT_ANALYSIS_INTERVAL_SECONDS = 60;

/** An engine as messages name it. */
export function engineName(engine: ProgressionEngine): string {
  return { [ProgressionEngine.MANUAL]: 'commits', [ProgressionEngine.ARGO_ROLLOUTS]: 'Argo Rollouts', [ProgressionEngine.FLAGGER]: 'Flagger' }[engine];
}

/** Go / Prometheus duration of whole seconds: minutes when exact, else seconds (Flagger's metric interval allows only `m` and `s`). */
export function goDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/**
 * The `progression` prop: manual by default; an engine's options checked against the rules the
 * engine enforces beyond its CRD schema (argo-rollouts pkg/apis/rollouts/validation/validation.go:
 * setWeight 0-100, pause duration >= 0; flagger pkg/apis/flagger/v1beta1 and the scheduler:
 * maxWeight <= 100, stepWeights within maxWeight and increasing, A/B tests by iterations).
 * `targeted` is true when the construct has `match` entries (Flagger then runs an A/B test).
 */
export function resolveProgression(check: PropChecker, value: unknown, targeted: boolean): ResolvedProgression {
  if (value === undefined) return { engine: ProgressionEngine.MANUAL };
  if (!(value instanceof Progression)) {
    check.fail('progression', `must be made by Progression.manual(), Progression.argoRollouts({...}) or Progression.flagger({...}), got ${showValue(value)}`);
  }
  switch (value.engine) {
    case ProgressionEngine.ARGO_ROLLOUTS: return resolveArgo(check, value.argoRolloutsProps);
    case ProgressionEngine.FLAGGER: return resolveFlagger(check, value.flaggerProps, targeted);
    default: return { engine: ProgressionEngine.MANUAL };
  }
}

function resolveArgo(check: PropChecker, props: ArgoRolloutsProgressionProps | undefined): ResolvedArgoRollouts {
  const prop = 'progression.argoRollouts';
  check.object(prop, props, true, ARGO_FIELDS);
  const list = check.list(`${prop}.steps`, props!.steps) ?? check.fail(`${prop}.steps`, 'is required: at least one { weight, pause? }');
  if (list.length === 0) check.fail(`${prop}.steps`, 'is empty: give at least one { weight, pause? } (with no step Argo Rollouts promotes at once, without a canary)');
  if (list.length > MAX_STEPS) check.fail(`${prop}.steps`, `has ${list.length} steps; at most ${MAX_STEPS}`);
  const steps = list.map((raw, i) => {
    const at = `${prop}.steps[${i}]`;
    const step = check.object(at, raw as ProgressionStep, true, STEP_FIELDS)!;
    const weight = check.integer(`${at}.weight`, step.weight, PERCENT);
    if (weight === undefined) check.fail(`${at}.weight`, 'is required: an integer percent from 0 to 100');
    const pause = check.duration(`${at}.pause`, step.pause);
    return { weight, pause: pause && goDuration(durationSeconds(check, `${at}.pause`, pause, 1)) };
  });
  return {
    engine: ProgressionEngine.ARGO_ROLLOUTS,
    steps,
    analysis: resolveAnalysis(check, `${prop}.analysis`, props!.analysis),
    handover: check.oneOf(`${prop}.handover`, props!.handover, Object.values(EngineHandover), EngineHandover.NONE),
  };
}

function resolveFlagger(check: PropChecker, props: FlaggerProgressionProps | undefined, targeted: boolean): ResolvedFlagger {
  const prop = 'progression.flagger';
  check.object(prop, props, true, FLAGGER_FIELDS);
  const p = props!;
  const intervalValue = check.duration(`${prop}.interval`, p.interval) ?? check.fail(`${prop}.interval`, 'is required: how often Flagger advances, e.g. Duration.minutes(1)');
  const interval = goDuration(durationSeconds(check, `${prop}.interval`, intervalValue, 1));
  const threshold = check.integer(`${prop}.threshold`, p.threshold, { min: 1, max: INT32_MAX }, 5);
  const common = {
    engine: ProgressionEngine.FLAGGER as const, interval, threshold,
    analysis: resolveAnalysis(check, `${prop}.analysis`, p.analysis),
    handover: check.oneOf(`${prop}.handover`, p.handover, Object.values(EngineHandover), EngineHandover.NONE),
  };
  if (targeted) {
    // Flagger's A/B test (docs "A/B Testing"): matching requests go to the canary for `iterations`
    // intervals; there is no weight to step.
    for (const key of ['stepWeight', 'stepWeights', 'maxWeight'] as const) {
      if (p[key] !== undefined) check.fail(`${prop}.${key}`, 'is set, but with match Flagger runs an A/B test: matching requests go to the canary for `iterations` intervals and no weight is stepped; remove it, or remove match for a weighted release');
    }
    return { ...common, iterations: check.integer(`${prop}.iterations`, p.iterations, { min: 1, max: INT32_MAX }, 10) };
  }
  if (p.iterations !== undefined) check.fail(`${prop}.iterations`, 'is set without match; iterations count the intervals of an A/B test, which needs match entries (a weighted release steps by stepWeight)');
  if (p.stepWeight !== undefined && p.stepWeights !== undefined) check.fail(`${prop}.stepWeights`, 'is set with stepWeight; give one of them');
  const givenMax = check.integer(`${prop}.maxWeight`, p.maxWeight, { min: 1, max: 100 });
  if (p.stepWeights !== undefined) {
    const list = check.list(`${prop}.stepWeights`, p.stepWeights)!;
    if (list.length === 0) check.fail(`${prop}.stepWeights`, 'is empty; give increasing weights, e.g. [5, 10, 25, 50]');
    // Without maxWeight, Flagger promotes after the last step weight (docs "Rollout Weights"):
    // the steps are bounded by 100, and the maxWeight written is that last step.
    const weights = list.map((w, i) => check.integer(`${prop}.stepWeights[${i}]`, w, { min: 1, max: givenMax ?? 100 }) as number);
    weights.forEach((w, i) => {
      if (i > 0 && w <= weights[i - 1]) check.fail(`${prop}.stepWeights[${i}]`, `is ${w}, not above the step before (${weights[i - 1]}); Flagger steps through increasing weights`);
    });
    return { ...common, stepWeights: weights, maxWeight: givenMax ?? weights[weights.length - 1] };
  }
  const maxWeight = givenMax ?? 50;
  const stepWeight = check.integer(`${prop}.stepWeight`, p.stepWeight, { min: 1, max: maxWeight }, Math.min(10, maxWeight));
  return { ...common, stepWeight, maxWeight };
}

function resolveAnalysis(check: PropChecker, prop: string, value: CanaryAnalysis | undefined): ResolvedAnalysis | undefined {
  if (value === undefined) return undefined;
  const a = check.object(prop, value, true, ANALYSIS_FIELDS)!;
  const address = check.string(`${prop}.prometheusAddress`, a.prometheusAddress);
  let url: URL | undefined;
  try {
    url = new URL(address);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || /\s/.test(address)) {
    check.fail(`${prop}.prometheusAddress`, `must be an http:// or https:// URL of the Prometheus server, got ${showValue(address)}`);
  }
  const latency = check.duration(`${prop}.maxLatencyP99`, a.maxLatencyP99);
  const intervalValue = check.duration(`${prop}.interval`, a.interval);
  return {
    prometheusAddress: address,
    minSuccessRate: check.number(`${prop}.minSuccessRate`, a.minSuccessRate, PERCENT, 99),
    maxLatencyP99Ms: latency && latency.toMilliseconds({ integral: false }),
    interval: goDuration(intervalValue ? durationSeconds(check, `${prop}.interval`, intervalValue, 1) : DEFAULT_ANALYSIS_INTERVAL_SECONDS),
    failureLimit: check.integer(`${prop}.failureLimit`, a.failureLimit, { min: 0, max: INT32_MAX }, 2),
  };
}

const FLAGGER_PRIMARY_SUFFIX = '-primary';

/**
 * The common props an engine rules out: it runs the canary from `stable` and sets the weight;
 * Flagger's copies `<name>-primary` must still be valid names.
 */
export function checkEngineProps(check: PropChecker, props: { readonly canary?: unknown; readonly weight?: unknown }, progression: ResolvedProgression,
  names: { readonly name: string; readonly serviceName: string }): void {
  const engine = progression.engine;
  if (engine === ProgressionEngine.MANUAL) return;
  const by = engineName(engine);
  if (props.canary !== undefined) {
    check.fail('canary', `is set, but with progression ${by} the engine runs the canary: it starts one from stable whenever stable changes; put the version to release in stable (and its steps in the progression), or use Progression.manual() to run the canary by commits`);
  }
  if (props.weight !== undefined) {
    check.fail('weight', `is ${showValue(props.weight)}, but with progression ${by} the engine sets the weight step by step; give the steps in the progression, or use Progression.manual()`);
  }
  // Flagger names its copies `<target>-primary` (a Deployment whose pods carry app: <name>-primary)
  // and Services `<service>-primary` / `-canary`: label values and Service names of at most 63.
  if (engine === ProgressionEngine.FLAGGER) {
    for (const [prop, value] of [['name', names.name], ['serviceName', names.serviceName]] as const) {
      if (value.length + FLAGGER_PRIMARY_SUFFIX.length > 63) {
        check.fail(prop, `is ${value.length} characters, but Flagger names its copy "${value}${FLAGGER_PRIMARY_SUFFIX}" (a Service name and label value), which must fit 63; use at most ${63 - FLAGGER_PRIMARY_SUFFIX.length}`);
      }
    }
  }
}

import { LoadedObject } from '../../checks/load';
import { labelsOf, list } from '../../checks/manifest-fields';
import { Manifest, ns } from './object-index';

/** A canary an engine moves: its weights live in the engine's status, not in the YAML. */
export interface EngineManagedCanary {
  /** The cluster its objects record (CanaryScope); absent when they record none. */
  readonly cluster?: string;
  readonly namespace: string;
  readonly name: string;
  readonly engine: 'Argo Rollouts' | 'Flagger';
  /** The release steps as the engine will run them. */
  readonly steps: string[];
}

const isRollout = (m: Manifest) => m.kind === 'Rollout' && String(m.apiVersion).startsWith('argoproj.io/');
const isFlagger = (m: Manifest) => m.kind === 'Canary' && String(m.apiVersion).startsWith('flagger.app/');

function rolloutSteps(rollout: Manifest): string[] {
  const steps = list<Manifest>(rollout.spec?.strategy?.canary?.steps);
  if (steps.length === 0) return ['no steps: a new version is promoted at once'];
  return steps.map((step) => {
    if (step?.setWeight !== undefined) return `weight ${step.setWeight}%`;
    if (step?.pause !== undefined) return step.pause?.duration === undefined ? 'pause until promoted' : `pause ${step.pause.duration}`;
    if (step?.setHeaderRoute !== undefined) return `header route ${step.setHeaderRoute?.name}`;
    return Object.keys(step ?? {}).join(', ');
  });
}

function flaggerSteps(canary: Manifest): string[] {
  const a = canary.spec?.analysis ?? {};
  if (a.iterations !== undefined && list(a.match).length > 0) return [`A/B: matching requests to the canary for ${a.iterations} checks every ${a.interval}`];
  const max = a.maxWeight ?? 100;
  const weights: number[] = list<number>(a.stepWeights).length > 0 ? list<number>(a.stepWeights) : [];
  if (weights.length === 0 && typeof a.stepWeight === 'number' && a.stepWeight > 0) for (let w = a.stepWeight; w <= max; w += a.stepWeight) weights.push(w);
  return [...weights.map((w) => `weight ${w}%`), 'promote'].map((s, i) => (i === 0 ? `every ${a.interval}: ${s}` : s));
}

/**
 * The canaries a Rollout or a Flagger Canary runs, and the `namespace|app` of each: their
 * routers carry the engine's weights only at run time, so the report lists them as engine-managed
 * instead of reading a split from their YAML.
 */
export function engineManaged(objects: readonly LoadedObject[]): { canaries: EngineManagedCanary[]; apps: Set<string> } {
  const canaries: EngineManagedCanary[] = [];
  const apps = new Set<string>();
  for (const { object: m } of objects) {
    if (m === null || typeof m !== 'object' || !(isRollout(m) || isFlagger(m))) continue;
    const target = isRollout(m) ? m.spec?.workloadRef?.name : m.spec?.targetRef?.name;
    apps.add(`${ns(m)}|${labelsOf(m.metadata?.labels).app ?? target ?? m.metadata?.name}`);
    canaries.push({ namespace: ns(m), name: String(m.metadata?.name), engine: isRollout(m) ? 'Argo Rollouts' : 'Flagger', steps: isRollout(m) ? rolloutSteps(m) : flaggerSteps(m) });
  }
  return { canaries, apps };
}

/** True when `m` belongs to an engine-managed canary (by its own or its pods' `app` label). */
export function belongsTo(apps: ReadonlySet<string>, m: Manifest): boolean {
  if (apps.size === 0 || m === null || typeof m !== 'object') return false;
  const app = labelsOf(m.metadata?.labels).app ?? labelsOf(m.spec?.template?.metadata?.labels).app;
  return app !== undefined && apps.has(`${ns(m)}|${app}`);
}

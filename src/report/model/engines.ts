import { LoadedObject } from '../../checks/load';
import { labelsOf, list } from '../../checks/manifest-fields';
import { Manifest, ns, ObjectIndex } from './object-index';

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
 * The canaries a Rollout or a Flagger Canary runs, and what belongs to them: the `namespace|app`
 * of each, and the objects the engine drives (`namespace|Kind|name`). Their routers carry the
 * engine's weights only at run time, and their Services select the pods the engine runs, so the
 * report lists them as engine-managed instead of reading a split (or a missing pod) from their YAML.
 */
export function engineManaged(objects: readonly LoadedObject[]): EngineManaged {
  const canaries: EngineManagedCanary[] = [];
  const apps = new Set<string>();
  const owned = new Set<string>();
  for (const { object: m } of objects) {
    if (m === null || typeof m !== 'object' || !(isRollout(m) || isFlagger(m))) continue;
    const target = isRollout(m) ? m.spec?.workloadRef?.name : m.spec?.targetRef?.name;
    const selected = labelsOf(m.spec?.selector?.matchLabels).app ?? labelsOf(m.spec?.template?.metadata?.labels).app;
    apps.add(`${ns(m)}|${labelsOf(m.metadata?.labels).app ?? selected ?? target ?? m.metadata?.name}`);
    if (selected !== undefined) apps.add(`${ns(m)}|${selected}`);
    if (isRollout(m)) for (const [kind, name] of rolloutNamed(m)) owned.add(`${ns(m)}|${kind}|${name}`);
    canaries.push({ namespace: ns(m), name: String(m.metadata?.name), engine: isRollout(m) ? 'Argo Rollouts' : 'Flagger', steps: isRollout(m) ? rolloutSteps(m) : flaggerSteps(m) });
  }
  if (canaries.length === 0) return { canaries, apps, owned };
  // The Services that select an engine's pods, then the routers that send only to Services the
  // engine owns, resolved as the report resolves every router's destinations.
  const index = new ObjectIndex(objects);
  const key = (m: Manifest) => `${ns(m)}|${m.kind}|${m.metadata?.name}`;
  for (const m of index.all) {
    if (m.kind === 'Service' && apps.has(`${ns(m)}|${labelsOf(m.spec?.selector).app}`)) owned.add(key(m));
  }
  for (const m of index.all) {
    const services = index.servicesRoutedBy(m);
    if (services.length > 0 && services.every((s) => s !== undefined && owned.has(key(s)))) owned.add(key(m));
  }
  return { canaries, apps, owned };
}

/** What engineManaged found. */
export interface EngineManaged {
  readonly canaries: EngineManagedCanary[];
  readonly apps: Set<string>;
  readonly owned: Set<string>;
}

/** The Services and routers a Rollout's canary strategy names (Argo Rollouts v1.9 CRD fields). */
function rolloutNamed(rollout: Manifest): [string, string][] {
  const canary = rollout.spec?.strategy?.canary ?? {};
  const routing = canary.trafficRouting ?? {};
  const named: [string, unknown][] = [
    ['Service', canary.canaryService], ['Service', canary.stableService], ['Service', routing.alb?.rootService], ['Service', routing.smi?.rootService],
    ['VirtualService', routing.istio?.virtualService?.name], ...list<Manifest>(routing.istio?.virtualServices).map((v): [string, unknown] => ['VirtualService', v?.name]),
    ['DestinationRule', routing.istio?.destinationRule?.name], ['Ingress', routing.nginx?.stableIngress],
    ...list<unknown>(routing.nginx?.additionalStableIngresses).map((i): [string, unknown] => ['Ingress', i]),
    ['Ingress', routing.alb?.ingress], ...list<unknown>(routing.alb?.ingresses).map((i): [string, unknown] => ['Ingress', i]),
  ];
  return named.filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

/** True when `m` belongs to an engine-managed canary: by its own or its pods' `app` label, or as an object the engine drives. */
export function belongsTo(managed: Pick<EngineManaged, 'apps' | 'owned'>, m: Manifest): boolean {
  if ((managed.apps.size === 0 && managed.owned.size === 0) || m === null || typeof m !== 'object') return false;
  if (managed.owned.has(`${ns(m)}|${m.kind}|${m.metadata?.name}`)) return true;
  const app = labelsOf(m.metadata?.labels).app ?? labelsOf(m.spec?.template?.metadata?.labels).app;
  return app !== undefined && managed.apps.has(`${ns(m)}|${app}`);
}

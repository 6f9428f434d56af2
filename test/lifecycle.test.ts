import { Chart } from 'cdk8s';

import { AlbCanary, CanaryBaseProps, CanaryMatch, GatewayCanary, IstioCanary, NginxCanary, ReplicaCanary } from '../src';
import { Manifest, synth } from './util/synth';

/**
 * The GitOps lifecycle, one commit per step: steady → start → 10 → 25 → 50 → 75 → 100 → promote →
 * drain → finish, and a rollback (weight 0, then remove canary) from every step. Between any two
 * consecutive steps: no Deployment is renamed or re-selected, stable keeps its pods while it serves
 * traffic, and only the fields that step is about change.
 */

interface Walk {
  readonly kind: string;
  readonly build: (chart: Chart, props: CanaryBaseProps) => unknown;
  /** Extra props of every step (ReplicaCanary's total, a parent Gateway, a host). */
  readonly extra: Record<string, unknown>;
  /** The targeted route added at start, if the strategy has targeted routing. */
  readonly match?: CanaryMatch[];
  /** Paths a weight change may touch. */
  readonly weightPaths: RegExp;
  /** Paths adding or removing the canary (or its match) may touch in objects that stay. */
  readonly routingPaths: RegExp;
  /** Tracks autoscale (2 to 6 pods) instead of a fixed 2. */
  readonly autoscaled?: boolean;
}

const WALKS: Walk[] = [
  {
    kind: 'ReplicaCanary', build: (c, p) => new ReplicaCanary(c, 'hello', p), extra: { replicas: 20 },
    weightPaths: /^Deployment\/hello(-canary)?:spec\.replicas$/,
    routingPaths: /^$/,
  },
  {
    kind: 'IstioCanary', build: (c, p) => new IstioCanary(c, 'hello', p), extra: {}, match: [{ headers: { 'x-canary': 'always' } }],
    weightPaths: /^VirtualService\/hello:spec\.http\[\d+\]\.route\[\d+\]\.weight$/,
    routingPaths: /^(VirtualService\/hello:spec\.http|DestinationRule\/hello:spec\.subsets)/,
  },
  {
    kind: 'GatewayCanary', build: (c, p) => new GatewayCanary(c, 'hello', p), extra: { gateway: { name: 'eg' } }, match: [{ headers: { 'x-canary': 'always' } }],
    weightPaths: /^HTTPRoute\/hello:spec\.rules\[\d+\]\.backendRefs\[\d+\]\.weight$/,
    routingPaths: /^HTTPRoute\/hello:spec\.rules/,
  },
  {
    kind: 'NginxCanary', build: (c, p) => new NginxCanary(c, 'hello', p), extra: { host: 'example.com' }, match: [{ headers: { 'x-canary': 'always' } }],
    weightPaths: /^Ingress\/hello-canary:metadata\.annotations\.nginx\.ingress\.kubernetes\.io\/canary-weight$/,
    routingPaths: /^Ingress\/hello-canary:metadata\.annotations\.nginx\.ingress\.kubernetes\.io\/canary-by-header/,
  },
  {
    kind: 'AlbCanary', build: (c, p) => new AlbCanary(c, 'hello', p), extra: { host: 'example.com' }, match: [{ headers: { 'x-canary': 'always' } }],
    weightPaths: /^Ingress\/hello:metadata\.annotations\.alb\.ingress\.kubernetes\.io\/actions\.hello-split$/,
    routingPaths: /^Ingress\/hello:(metadata\.annotations\.alb\.ingress\.kubernetes\.io\/(actions|conditions)\.hello-match0|spec\.rules)/,
  },
];

// The autoscaled walks, where each track has an autoscaler and PodDisruptionBudget beside it.
WALKS.push(...WALKS.filter((w) => w.kind === 'IstioCanary' || w.kind === 'GatewayCanary').map((w) => ({ ...w, kind: `${w.kind} (autoscaled)`, autoscaled: true })));

const V1 = { image: 'app:v1', replicas: 2 };
const V2 = { image: 'app:v2', replicas: 2 };
const AUTOSCALING = { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70 };
const PROMOTION_PATHS = /^Deployment\/hello:spec\.template\.(metadata\.labels\.(version|app\.kubernetes\.io\/version)|spec\.containers\[0\]\.image)$/;

type StepKind = 'start' | 'weight' | 'promote' | 'finish';
interface Step { readonly name: string; readonly kind: StepKind; readonly props: CanaryBaseProps }

function steps(walk: Walk): Step[] {
  const track = (fixed: { image: string; replicas: number }) => walk.kind === 'ReplicaCanary' ? { image: fixed.image }
    : walk.autoscaled ? { image: fixed.image, autoscaling: AUTOSCALING } : fixed;
  const stable = track(V1);
  const canary = track(V2);
  const promoted = track(V2);
  const at = (weight: number, s = stable) => ({ ...walk.extra, stable: s, canary, weight, match: walk.match });
  return [
    { name: 'steady', kind: 'start', props: { ...walk.extra, stable } },
    { name: 'start', kind: 'start', props: at(0) },
    ...[10, 25, 50, 75, 100].map((w): Step => ({ name: `weight ${w}`, kind: 'weight', props: at(w) })),
    { name: 'promote', kind: 'promote', props: at(100, promoted) },
    { name: 'drain', kind: 'weight', props: at(0, promoted) },
    { name: 'finish', kind: 'finish', props: { ...walk.extra, stable: promoted } },
  ];
}

/** Every leaf path whose value differs between two object sets, as `Kind/name:path`, for objects in both. */
function changedPaths(before: Manifest[], after: Manifest[]): string[] {
  const paths: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys) {
        const next = Array.isArray(a) ? `${path}[${key}]` : `${path}${path.endsWith(':') ? '' : '.'}${key}`;
        walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], next);
      }
      return;
    }
    paths.push(path);
  };
  for (const m of before) {
    const other = after.find((x) => x.kind === m.kind && x.metadata.name === m.metadata.name);
    if (other) walk(m, other, `${m.kind}/${m.metadata.name}:`);
  }
  return paths;
}

const ids = (ms: Manifest[]) => ms.map((m) => `${m.kind}/${m.metadata.name}`).sort();
const deployments = (ms: Manifest[]) => ms.filter((m) => m.kind === 'Deployment');

function expectSafeTransition(walk: Walk, from: Step, to: Step, before: Manifest[], after: Manifest[], allowed: RegExp): void {
  const label = `${walk.kind}: ${from.name} → ${to.name}`;
  // No Deployment renamed or re-selected.
  for (const d of deployments(before)) {
    const next = deployments(after).find((x) => x.metadata.name === d.metadata.name);
    if (next) expect([label, next.spec.selector]).toEqual([label, d.spec.selector]);
  }
  expect([label, deployments(after).some((d) => d.metadata.name === 'hello')]).toEqual([label, true]);
  // Objects appear or disappear only when the canary track does.
  if (to.kind !== 'start' && to.kind !== 'finish') expect([label, ids(after)]).toEqual([label, ids(before)]);
  // Only the fields of this step change.
  const unexpected = changedPaths(before, after).filter((p) => !allowed.test(p));
  expect([label, unexpected]).toEqual([label, []]);
}

/** Stable keeps its pods while it serves ordinary traffic (ReplicaCanary: the total stays). */
function expectStableCapacity(walk: Walk, step: Step, manifests: Manifest[]): void {
  const replicas = (name: string) => manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name)?.spec.replicas ?? 0;
  const autoscaler = (name: string) => manifests.find((m) => m.kind === 'HorizontalPodAutoscaler' && m.metadata.name === name);
  const budget = (name: string) => manifests.find((m) => m.kind === 'PodDisruptionBudget' && m.metadata.name === name);
  // Every track present has its budget; an autoscaled one its autoscaler and no fixed count.
  for (const name of deployments(manifests).map((d) => d.metadata.name as string)) {
    expect([step.name, name, budget(name)?.spec.selector.matchLabels]).toEqual([step.name, name, { app: 'hello', track: name === 'hello' ? 'stable' : 'canary' }]);
    if (walk.autoscaled) {
      expect([step.name, name, replicas(name), autoscaler(name)?.spec.minReplicas]).toEqual([step.name, name, 0, AUTOSCALING.minReplicas]);
    }
  }
  if (walk.autoscaled) return;
  if (walk.kind === 'ReplicaCanary') {
    expect([step.name, replicas('hello') + replicas('hello-canary')]).toEqual([step.name, 20]);
  } else if ((step.props.weight ?? 0) < 100) {
    expect([step.name, replicas('hello')]).toEqual([step.name, V1.replicas]);
  }
}

const any = (...patterns: RegExp[]) => new RegExp(patterns.map((p) => `(${p.source})`).join('|'));

describe.each(WALKS)('$kind lifecycle', (walk) => {
  const all = steps(walk);
  const synthStep = (step: Step) => synth((chart) => walk.build(chart, step.props)).manifests;

  test('steady → start → 10 → 25 → 50 → 75 → 100 → promote → drain → finish, one safe commit at a time', () => {
    const manifests = all.map(synthStep);
    for (let k = 1; k < all.length; k++) {
      const allowed = { start: any(walk.routingPaths, walk.weightPaths), weight: walk.weightPaths, promote: PROMOTION_PATHS, finish: any(walk.routingPaths, walk.weightPaths) }[all[k].kind];
      expectSafeTransition(walk, all[k - 1], all[k], manifests[k - 1], manifests[k], allowed);
      expectStableCapacity(walk, all[k], manifests[k]);
    }
    expect(ids(manifests.at(-1)!)).toEqual(ids(manifests[0]));
    expect(manifests.at(-1)!.find((m) => m.metadata.name === 'hello' && m.kind === 'Deployment')!.spec.template.spec.containers[0].image).toBe('app:v2');
  });

  test.each(all.slice(1, 8).map((step, k) => [step.name, k + 1] as const))('rollback from %s: weight 0, then remove canary', (_, k) => {
    const from = all[k];
    const drained: Step = { name: 'rollback: weight 0', kind: 'start', props: { ...from.props, weight: 0, match: undefined } as CanaryBaseProps };
    const removed: Step = { name: 'rollback: remove canary', kind: 'finish', props: { ...from.props, canary: undefined, weight: 0, match: undefined } as CanaryBaseProps };
    const [a, b, c] = [from, drained, removed].map(synthStep);
    expectSafeTransition(walk, from, drained, a, b, any(walk.routingPaths, walk.weightPaths));
    expectSafeTransition(walk, drained, removed, b, c, any(walk.routingPaths, walk.weightPaths));
    expect(c.filter((m) => m.metadata.name.endsWith('-canary'))).toEqual([]);
    expectStableCapacity(walk, drained, b);
  });
});

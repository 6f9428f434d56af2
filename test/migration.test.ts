import { Testing } from 'cdk8s';

import { MIGRATION_MARK, MIGRATION_STEPS, MigrationPlan, migrationStep } from '../src/app/migration';
import { HELLO_MIGRATION, PYTHON_SERVICE_MIGRATION } from '../src/app/migration-scenarios';
import { readDoc } from './catalogue/doc-files';
import { schemaProblems } from './util/schema';
import { Manifest, newChart } from './util/synth';

/**
 * The documented migration from a hand-written canary, checked commit by commit: GitOps applies a
 * commit's objects in no guaranteed order, so every subset of a commit's changes is checked as
 * well, with Deployments created by the commit counted as having no ready pod yet and Deployments
 * whose pod template changed counted with their pods all old or all new (a rolling update).
 */

type State = Map<string, Manifest>;

function stepState(plan: MigrationPlan, step: number): State {
  const chart = newChart();
  migrationStep(chart, plan, step);
  const manifests = Testing.synth(chart);
  return new Map(manifests.map((m) => [`${m.kind}/${m.metadata.name}`, m]));
}

const isLibrary = (d: Manifest) => d.metadata.labels?.['app.kubernetes.io/managed-by'] === 'cdk8s-canary';
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
const templateLabels = (d: Manifest): Record<string, string> => d.spec.template.metadata.labels;

/** A Deployment's ready pods in a state: how many, with which labels and image. */
interface PodSet { deployment: string; count: number; labels: Record<string, string>; image: string }

/**
 * The states a commit from `before` to `after` can pass through: for every subset of the changed
 * objects, and for every Deployment rolling in it, its pods all old or all new.
 */
function passingStates(before: State, after: State): { objects: State; pods: PodSet[] }[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changed = keys.filter((k) => JSON.stringify(before.get(k)) !== JSON.stringify(after.get(k)));
  const states: { objects: State; pods: PodSet[] }[] = [];
  for (let mask = 0; mask < 1 << changed.length; mask++) {
    const objects: State = new Map(before);
    changed.forEach((key, i) => {
      if (!(mask & (1 << i))) return;
      const next = after.get(key);
      if (next) objects.set(key, next);
      else objects.delete(key);
    });
    const complete = mask === (1 << changed.length) - 1;
    const rolling: string[] = [];
    const podsOf = (d: Manifest, key: string, useOld: boolean): PodSet | undefined => {
      const old = before.get(key);
      if (!old && !complete) return undefined; // created by this commit: no pod is ready yet
      const source = old && useOld ? old : d;
      return {
        deployment: d.metadata.name, count: source.spec.replicas ?? 1,
        labels: templateLabels(source), image: source.spec.template.spec.containers[0].image,
      };
    };
    for (const [key, d] of objects) {
      const old = before.get(key);
      if (d.kind === 'Deployment' && old && JSON.stringify(templateLabels(old)) !== JSON.stringify(templateLabels(d)) && !complete) rolling.push(key);
    }
    for (let roll = 0; roll < 1 << rolling.length; roll++) {
      const pods = [...objects].filter(([, m]) => m.kind === 'Deployment')
        .map(([key, d]) => podsOf(d, key, rolling.includes(key) && !(roll & (1 << rolling.indexOf(key)))))
        .filter((p): p is PodSet => p !== undefined && p.count > 0);
      states.push({ objects, pods });
    }
  }
  return states;
}

/** Pods behind the Service callers use. */
function endpoints(objects: State, pods: PodSet[], service: string): PodSet[] {
  const svc = objects.get(`Service/${service}`);
  if (!svc) return [];
  return pods.filter((p) => matches(svc.spec.selector, p.labels));
}

/** Pairs of Deployments where one selects the other's pods, leaving out pairs both hand-written (the user's own). */
function newOverlaps(objects: State, pods: PodSet[]): string[] {
  const deployments = [...objects.values()].filter((m) => m.kind === 'Deployment');
  const problems: string[] = [];
  for (const a of deployments) {
    for (const b of deployments) {
      if (a === b || (!isLibrary(a) && !isLibrary(b))) continue;
      const labelsOfB = [templateLabels(b), ...pods.filter((p) => p.deployment === b.metadata.name).map((p) => p.labels)];
      if (labelsOfB.some((labels) => matches(a.spec.selector.matchLabels, labels))) problems.push(`${a.metadata.name} selects pods of ${b.metadata.name}`);
    }
  }
  return problems;
}

/** Share of endpoints per image, as exact fractions of the replica counts. */
function imageShares(objects: State, service: string): Record<string, string> {
  const pods = [...objects.values()].filter((m) => m.kind === 'Deployment').map((d) => ({
    deployment: d.metadata.name, count: d.spec.replicas ?? 1, labels: templateLabels(d), image: d.spec.template.spec.containers[0].image,
  }));
  const behind = endpoints(objects, pods, service);
  const total = behind.reduce((n, p) => n + p.count, 0);
  const byImage: Record<string, number> = {};
  for (const p of behind) byImage[p.image] = (byImage[p.image] ?? 0) + p.count;
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return Object.fromEntries(Object.entries(byImage).sort().map(([image, n]) => [image, n === total ? '1' : `${n / gcd(n, total)}/${total / gcd(n, total)}`]));
}

describe.each([
  ['svc-hello (Istio, Deployment selecting app only, Service selecting version: v1)', HELLO_MIGRATION, { 'honester/hello-server:v1': '1' }],
  ['python-service (replica ratio, two Deployments with one selector, NodePort 31532)', PYTHON_SERVICE_MIGRATION,
    { 'dbdudska113/flask_y:latest': '2/3', 'dbdudska113/flask_y:v3': '1/3' }],
])('migration of %s', (_, plan, split) => {
  const steps = [0, ...MIGRATION_STEPS.map((__, i) => i + 1)].map((step) => stepState(plan, step));

  test.each(MIGRATION_STEPS.map((title, i) => [i + 1, title] as const))('commit %d (%s): the Service keeps endpoints and no Deployment claims another\'s pods, however it is applied', (step) => {
    const states = passingStates(steps[step - 1], steps[step]);
    expect(states.length).toBeGreaterThan(1);
    for (const { objects, pods } of states) {
      expect(endpoints(objects, pods, plan.service.name).length).toBeGreaterThan(0);
      expect(newOverlaps(objects, pods)).toEqual([]);
    }
  });

  test('every step splits as the hand-written canary did', () => {
    expect(steps.map((state) => imageShares(state, plan.service.name))).toEqual(steps.map(() => split));
  });

  test('the end state is the library alone: its Service under the old name, no hand-written object, no mark', () => {
    const end = [...steps[steps.length - 1].values()];
    expect(end.every(isLibrary)).toBe(true);
    expect(end.find((m) => m.kind === 'Service' && m.metadata.name === plan.service.name)).toBeDefined();
    expect(JSON.stringify(end)).not.toContain(MIGRATION_MARK);
    expect(schemaProblems(end)).toEqual([]);
  });

  test('the Service keeps its type and node port through the hand-over', () => {
    const service = (state: State) => state.get(`Service/${plan.service.name}`)!.spec;
    for (const state of steps) {
      expect(service(state).type ?? 'ClusterIP').toBe(plan.service.type ?? 'ClusterIP');
      expect(service(state).ports[0]).toMatchObject({ port: plan.service.port, targetPort: plan.service.targetPort });
      expect(service(state).ports[0].nodePort).toBe(plan.service.nodePort);
    }
  });
});

describe('the checks can fail', () => {
  test('skipping the bridge (library next to the hand-written Deployment) makes Deployments claim each other\'s pods', () => {
    const chart = newChart();
    migrationStep(chart, HELLO_MIGRATION, 1);
    HELLO_MIGRATION.target(chart, { serviceName: 'svc-hello-next' });
    const objects: State = new Map(Testing.synth(chart).map((m) => [`${m.kind}/${m.metadata.name}`, m]));
    const pods = [...objects.values()].filter((m) => m.kind === 'Deployment')
      .map((d) => ({ deployment: d.metadata.name, count: d.spec.replicas, labels: templateLabels(d), image: '' }));
    expect(newOverlaps(objects, pods)).toEqual(['hello-server-v1 selects pods of hello']);
  });

  test('switching the Service to the mark in the same commit as marking the pods can leave it without endpoints', () => {
    const before = stepState(HELLO_MIGRATION, 0);
    const after = stepState(HELLO_MIGRATION, 2);
    const empty = passingStates(before, after).filter(({ objects, pods }) => endpoints(objects, pods, 'svc-hello').length === 0);
    expect(empty.length).toBeGreaterThan(0);
  });
});

test('docs/migration.md documents the commits in this order', () => {
  const readme = readDoc('docs/migration.md');
  const positions = MIGRATION_STEPS.map((title, i) => readme.indexOf(`${i + 1}. **${title.split(':')[0]}:**`));
  expect(positions.every((p) => p > 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});

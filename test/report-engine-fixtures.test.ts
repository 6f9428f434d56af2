// The report on Argo Rollouts' own manifests (test/fixtures/argo-rollouts/, copied from upstream):
// the Services, routers and annotations the engine drives at run time are no problem, and every
// Rollout is listed with its steps, so a `report || exit 1` CI step passes on the engine's examples.
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { loadManifests } from '../src/checks/load';
import { analyze } from '../src/report/analyze';

const FIXTURES = join(__dirname, 'fixtures', 'argo-rollouts');
const DIRS = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

test('the fixtures are Argo Rollouts\' getting-started guides, examples and e2e tests', () => {
  expect(DIRS).toHaveLength(16);
  expect(DIRS).toEqual(expect.arrayContaining(['docs-getting-started-alb', 'docs-getting-started-istio', 'docs-getting-started-nginx', 'test-e2e-header-routing']));
});

test.each(DIRS)('%s: no problem, and each Rollout listed with its steps', (dir) => {
  const { objects } = loadManifests([join(FIXTURES, dir)]);
  const rollouts = objects.filter((o) => o.object.kind === 'Rollout');
  const report = analyze(objects);
  expect(report.problems).toEqual([]);
  expect(report.engineManaged!.map((c) => c.name).sort()).toEqual(rollouts.map((o) => o.object.metadata.name).sort());
  for (const canary of report.engineManaged!) {
    expect(canary.engine).toBe('Argo Rollouts');
    expect(canary.steps.length).toBeGreaterThan(0);
  }
});

test('the steps read as the Rollout gives them', () => {
  const report = analyze(loadManifests([join(FIXTURES, 'docs-getting-started-alb')]).objects);
  expect(report.engineManaged).toEqual([{ namespace: 'default', name: 'rollouts-demo', engine: 'Argo Rollouts', steps: ['weight 5%', 'pause until promoted'] }]);
});

test('what the engine does not drive is still checked: an Ingress to a Service no Rollout selects', () => {
  const dir = join(FIXTURES, 'docs-getting-started-nginx');
  const objects = loadManifests([dir]).objects;
  const stray = { file: 'stray.yaml', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'stray', namespace: 'default' }, spec: { selector: { app: 'nobody' }, ports: [{ port: 80 }] } } };
  const ingress = JSON.parse(JSON.stringify(objects.find((o) => o.object.kind === 'Ingress')!.object));
  ingress.metadata.name = 'stray';
  ingress.spec.rules[0].host = 'stray.example.com';
  ingress.spec.rules[0].http.paths[0].backend.service.name = 'stray';
  const report = analyze([...objects, stray, { file: 'stray.yaml', object: ingress }]);
  expect(report.problems.map((p) => `${p.object}: ${p.message}`)).toEqual(['Ingress/stray: sends to stray, which selects no ready pod: those requests fail (503)']);
  expect(readFileSync(join(dir, 'rollout.yaml'), 'utf8')).toContain('kind: Rollout');
});

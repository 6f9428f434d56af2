import { App, Chart, Yaml } from 'cdk8s';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { buildExampleApp } from '../src/app/example-app';
import { SYNTH_RECORD } from '../src/cli/output-dir';
import { schemaProblems } from './util/schema';

// dist/ is the GitOps output users review and commit: it must be exactly what the app synthesizes.
describe('example app', () => {
  const app = new App({ outdir: 'unused' });
  buildExampleApp(app);
  const charts = app.charts as Chart[];
  const dist = join(__dirname, '..', 'dist');

  test('dist/ holds one file per chart and nothing else', () => {
    // `npm run synth` (the safe synth) also leaves its record of these files, which git ignores.
    expect(readdirSync(dist).filter((f) => f !== SYNTH_RECORD).sort()).toEqual(charts.map((c) => `${c.node.id}.k8s.yaml`).sort());
  });

  test.each(charts.map((c) => [c.node.id, c] as const))('dist/%s.k8s.yaml equals a fresh synth', (id, chart) => {
    expect(readFileSync(join(dist, `${id}.k8s.yaml`), 'utf8')).toBe(Yaml.stringify(...chart.toJson()));
  });

  test('every object of the example app passes the schemas', () => {
    expect(schemaProblems(charts.flatMap((c) => c.toJson()))).toEqual([]);
  });
});

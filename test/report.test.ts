import { App, Chart, Testing } from 'cdk8s';
import { readFileSync } from 'fs';
import { join } from 'path';

import { CanaryBase, IstioCanary, NginxCanary } from '../src';
import { buildExampleApp } from '../src/app/example-app';
import { LoadedObject } from '../src/checks/load';
import { analyze, CanaryReport, shareOf, trackOf } from '../src/report/analyze';
import { diffReports } from '../src/report/diff';
import { fraction, showFraction } from '../src/report/model/fraction';
import { renderChangesText, renderJson, renderMarkdown, renderText } from '../src/report/render';
import { Manifest, newChart } from './util/synth';

const loaded = (manifests: Manifest[], file = 'out.yaml'): LoadedObject[] => manifests.map((object) => ({ file, object }));
const canaryShare = (c: CanaryReport) => showFraction(shareOf(c, c.routes[c.routes.length - 1], 'canary'));

describe('the report read back from the example app equals what the constructs asked', () => {
  const app = new App({ outdir: 'unused' });
  buildExampleApp(app);
  const charts = (app.charts as Chart[]).map((chart) => [chart.node.id, chart] as const);

  test.each(charts)('%s', (_, chart) => {
    const report = analyze(loaded(chart.toJson()));
    expect(report.problems).toEqual([]);
    const all = chart.node.findAll().filter((c): c is CanaryBase => c instanceof CanaryBase);
    // An engine's canary is listed with its steps: its split is the engine's, at run time.
    const byEngine = all.filter((c) => c.rollout !== undefined || c.flaggerCanary !== undefined);
    expect((report.engineManaged ?? []).map((e) => e.name)).toEqual(byEngine.map((c) => c.name));
    const constructs = all.filter((c) => !byEngine.includes(c));
    expect(report.canaries).toHaveLength(constructs.length);
    for (const construct of constructs) {
      const found = report.canaries.find((c) => c.name === construct.name && c.namespace === (construct.namespace ?? 'default'));
      expect(found).toBeDefined();
      const c = found!;
      expect(c.strategy).toBe(construct.constructor.name);
      // The ordinary (last) route: exactly the effective weight; a replica ratio: the pod ratio.
      const asked = c.strategy === 'ReplicaCanary'
        ? fraction(construct.canaryReplicas, construct.stableReplicas + construct.canaryReplicas)
        : fraction(Math.round(construct.effectiveWeight * 1000), 100000);
      expect([c.name, canaryShare(c)]).toEqual([c.name, showFraction(asked)]);
      expect(trackOf(c, 'stable')?.deployment).toBe(construct.stableDeployment.name);
      expect(trackOf(c, 'canary')?.deployment).toBe(construct.canaryDeployment?.name);
    }
  });
});

describe('routes, entries and caveats', () => {
  test('Istio: the testers route first, then everyone else; the sidecar caveat', () => {
    const chart = newChart();
    new IstioCanary(chart, 'hello', {
      port: 8080, stable: { image: 'honester/hello-server:v1' }, canary: { image: 'honester/hello-server:v2' }, weight: 10,
      match: [{ headers: { 'end-user': 'testers' }, weight: 50 }, { pathPrefix: '/error' }],
    });
    const [c] = analyze(loaded(Testing.synth(chart))).canaries;
    expect(c.entries).toEqual(['service hello (mesh, namespace shop)']);
    expect(c.routes.map((r) => [r.name, r.conditions, showFraction(shareOf(c, r, 'stable')), showFraction(shareOf(c, r, 'canary'))])).toEqual([
      ['match-0', 'header end-user = testers', '1/2', '1/2'],
      ['match-1', 'path = /error or path starts with /error/', '0', '1'],
      ['default', 'everyone else', '9/10', '1/10'],
    ]);
    expect(c.caveats[0]).toContain('callers without an Istio sidecar');
    expect(renderText({ canaries: [c], problems: [] })).toContain('1. match-0: header end-user = testers -> stable 1/2 (50 %), canary 1/2 (50 %)');
    expect(JSON.parse(renderJson({ canaries: [c], problems: [] })).canaries[0].routes[2].shares[1]).toEqual({ track: 'canary', deployment: 'hello-canary', fraction: '1/10', percent: 10 });
    const json = JSON.parse(renderJson({ canaries: [c], problems: [] }));
    expect(Object.keys(json)).toEqual(['schemaVersion', 'canaries', 'engineManaged', 'problems']);
    expect(json.schemaVersion).toBe(1);
    // docs/report.md lists exactly the top-level fields (with --base, changes too).
    const withChanges = Object.keys(JSON.parse(renderJson({ canaries: [c], problems: [] }, [])));
    const documented = [...readFileSync(join(__dirname, '..', 'docs', 'report.md'), 'utf8').matchAll(/^\| `(\w+)(?:\[\])?` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(withChanges);
  });

  test('nginx: header, then cookie, then a sub-percent weight over canary-weight-total', () => {
    const chart = newChart();
    new NginxCanary(chart, 'web', {
      host: 'example.com', stable: { image: 'web:1' }, canary: { image: 'web:2' }, fineWeight: 0.5,
      match: [{ headers: { 'x-canary': 'always' } }, { cookie: 'beta' }],
    });
    const [c] = analyze(loaded(Testing.synth(chart))).canaries;
    expect(c.routes.map((r) => [r.name, showFraction(shareOf(c, r, 'canary'))])).toEqual([['canary-by-header', '1'], ['canary-by-cookie', '1'], ['canary-by-cookie never', '0'], ['canary-weight', '1/200']]);
  });
});

describe('problems that would misroute', () => {
  test('a Service selecting version: v1 empties the canary subset (the hello scenario\'s mistake)', () => {
    const chart = newChart();
    new IstioCanary(chart, 'hello', { stable: { image: 'app:v1' }, canary: { image: 'app:v2' }, weight: 10 });
    const manifests = Testing.synth(chart).map((m) => (m.kind === 'Service' ? { ...m, spec: { ...m.spec, selector: { app: 'hello', version: 'v1' } } } : m));
    const { problems } = analyze(loaded(manifests));
    expect(problems.map((p) => `${p.object} ${p.field}: ${p.message}`)).toContain(
      'VirtualService/hello spec.http[0].route[1].destination: sends 10 % to hello subset canary, which selects no ready pod: those requests fail (503)',
    );
  });

  test('a subset no DestinationRule defines, and weights that do not sum to 100', () => {
    const chart = newChart();
    new IstioCanary(chart, 'hello', { stable: { image: 'app:v1' }, canary: { image: 'app:v2' }, weight: 10 });
    const manifests = Testing.synth(chart).map((m) => (m.kind === 'VirtualService'
      ? { ...m, spec: { ...m.spec, http: [{ name: 'default', route: [{ destination: { host: 'hello', subset: 'v2' }, weight: 30 }, { destination: { host: 'hello', subset: 'stable' }, weight: 60 }] }] } }
      : m));
    const messages = analyze(loaded(manifests)).problems.map((p) => `${p.field}: ${p.message}`);
    expect(messages).toContain('spec.http[0].route: http[0] route weights sum to 90, not 100');
    expect(messages).toContain('spec.http[0].route[0].destination.subset: names subset v2, which no DestinationRule for hello defines: those requests fail (503)');
  });
});

test('a host claimed by two VirtualServices, and two main Ingresses for one host and path', () => {
  const chart = newChart();
  new IstioCanary(chart, 'hello', { stable: { image: 'app:v1' } });
  new NginxCanary(chart, 'web', { host: 'example.com', stable: { image: 'web:1' } });
  const manifests = Testing.synth(chart);
  const vs = manifests.find((m) => m.kind === 'VirtualService')!;
  const ing = manifests.find((m) => m.kind === 'Ingress')!;
  const copies = [{ ...vs, metadata: { ...vs.metadata, name: 'vs-hello' } }, { ...ing, metadata: { ...ing.metadata, name: 'prd' } }];
  expect(analyze(loaded([...manifests, ...copies])).problems.map((p) => `${p.object}: ${p.message}`)).toEqual([
    'VirtualService/vs-hello: claims host hello (mesh) that VirtualService/hello in shop claims too: which routes apply depends on creation order',
    'Ingress/prd: routes example.com/ of class nginx that Ingress/web in shop routes too: ingress-nginx serves only one of them',
  ]);
});

describe('--base: what a change does to traffic', () => {
  const build = (weight: number, image = 'honester/hello-server:v2') => {
    const chart = newChart();
    new IstioCanary(chart, 'hello', {
      port: 8080, stable: { image: 'honester/hello-server:v1' }, canary: { image }, weight,
      match: [{ headers: { 'end-user': 'testers' }, weight: 50 }],
    });
    return analyze(loaded(Testing.synth(chart)));
  };

  test('a weight change: the default route moves, the testers route is unchanged and not mentioned', () => {
    const changes = diffReports(build(10), build(25));
    expect(changes.map((c) => [c.name, c.status, c.changes])).toEqual([['hello', 'changed', [
      'everyone else (default): canary 1/10 (10 %) → 1/4 (25 %), stable 9/10 (90 %) → 3/4 (75 %)',
    ]]]);
    expect(renderChangesText(changes, build(25))).toContain('hello (IstioCanary) in namespace shop: changed');
  });

  test('a new canary image; no change at all gives no entry', () => {
    expect(diffReports(build(10), build(10, 'honester/hello-server:v3')).flatMap((c) => c.changes)).toEqual([
      'canary image honester/hello-server:v2 → honester/hello-server:v3',
    ]);
    expect(diffReports(build(10), build(10))).toEqual([]);
  });

  test('markdown: a section per changed canary with a table and a Mermaid flowchart', () => {
    const after = build(25);
    const markdown = renderMarkdown(after, diffReports(build(10), after));
    expect(markdown).toContain('## Canary traffic: what this change does');
    expect(markdown).toContain('| 2 | everyone else | 3/4 (75 %) | 1/4 (25 %) |');
    expect(markdown).toContain('```mermaid\nflowchart LR');
    expect(markdown).toContain('R1 -->|1/4| C');
    expect(markdown).toContain('**No routing problem found.**');
  });
});

/**
 * `npm run bench:report`: time of `cdk8s-canary report` (parse YAML + analyze) for N services of
 * every strategy, and how it grows when N doubles (linear: about 2), plus the example app's dist/,
 * and dist/ copied to about 1,000 / 5,000 / 10,000 objects against js-yaml's parse of the same files.
 * Timings are reported, never asserted in tests.
 *   npm run bench:report -- [--n 250,500,1000] [--reps 5]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { loadAll } from 'js-yaml';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { parseArgs } from 'util';

import { loadManifests } from '../src/checks/load';
import { analyze } from '../src/report/analyze';
import { buildApp } from './measure';
import { STRATEGIES } from './workload';

const { values } = parseArgs({ options: { n: { type: 'string', default: '250,500,1000' }, reps: { type: 'string', default: '5' } } });
const sizes = values.n!.split(',').map(Number);
const reps = Number(values.reps);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of load + analyze over `reps` runs, after a warm-up. */
function time(paths: string[]): { load: number; analyze: number; objects: number; canaries: number } {
  loadManifests(paths);
  const loads: number[] = [];
  const analyses: number[] = [];
  let objects = 0;
  let canaries = 0;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const loaded = loadManifests(paths);
    const t1 = performance.now();
    const report = analyze(loaded.objects);
    loads.push(t1 - t0);
    analyses.push(performance.now() - t1);
    objects = loaded.objects.length;
    canaries = report.canaries.length;
  }
  return { load: median(loads), analyze: median(analyses), objects, canaries };
}

const rows: Record<string, unknown>[] = [];
const dist = time([join(__dirname, '..', 'dist')]);
rows.push({ input: 'example dist/', objects: dist.objects, canaries: dist.canaries, 'load ms': dist.load.toFixed(1), 'analyze ms': dist.analyze.toFixed(1), 't(n)/t(n/2)': '' });
for (const strategy of STRATEGIES) {
  let previous: number | undefined;
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    writeFileSync(join(dir, 'out.k8s.yaml'), buildApp(strategy, 'constructs', n).synthYaml());
    const t = time([dir]);
    rmSync(dir, { recursive: true, force: true });
    const total = t.load + t.analyze;
    rows.push({
      input: `${strategy} × ${n}`, objects: t.objects, canaries: t.canaries, 'load ms': t.load.toFixed(1), 'analyze ms': t.analyze.toFixed(1),
      't(n)/t(n/2)': previous === undefined || n !== 2 * sizes[sizes.indexOf(n) - 1] ? '' : (total / previous).toFixed(2),
    });
    previous = total;
  }
}
// Hand-written canaries (the five scenarios of test/fixtures/hand-written, no library label) in n
// namespaces of one file: their discovery joins Deployments through Services and routers.
const fixtures = join(__dirname, '..', 'test', 'fixtures', 'hand-written');
const scenarios = readdirSync(fixtures).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(fixtures, f), 'utf8'));
let previous: number | undefined;
for (const n of sizes.map((size) => Math.ceil(size / 5))) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  const copies = Array.from({ length: n }, (_, i) => scenarios.map((yaml) => inNamespace(yaml, `team-${i}`)).join('\n---\n'));
  writeFileSync(join(dir, 'out.yaml'), copies.join('\n---\n'));
  const t = time([dir]);
  rmSync(dir, { recursive: true, force: true });
  const total = t.load + t.analyze;
  rows.push({
    input: `hand-written (${scenarios.length} files) × ${n}`, objects: t.objects, canaries: t.canaries, 'load ms': t.load.toFixed(1), 'analyze ms': t.analyze.toFixed(1),
    't(n)/t(n/2)': previous === undefined ? '' : (total / previous).toFixed(2),
  });
  previous = total;
}
console.table(rows);

// The example dist/ copied into namespaces until it holds about N objects (a GitOps repo of many
// teams), against the time js-yaml alone needs to parse the same files: the report's goal is at
// most 2x that, and linear growth.
const distFiles = readdirSync(join(__dirname, '..', 'dist')).filter((f) => f.endsWith('.k8s.yaml'))
  .map((f) => readFileSync(join(__dirname, '..', 'dist', f), 'utf8'));
const perCopy = distFiles.reduce((n, text) => n + loadAll(text).filter((d) => d !== null && d !== undefined).length, 0);
const big: Record<string, unknown>[] = [];
let previousTotal: number | undefined;
for (const target of [1000, 5000, 10000]) {
  const copies = Math.max(1, Math.round(target / perCopy));
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  const texts: string[] = [];
  for (let k = 0; k < copies; k++) {
    distFiles.forEach((text, i) => {
      const copy = text.replace(/namespace: ([a-z0-9-]+)/g, `namespace: $1-copy-${k}`);
      texts.push(copy);
      writeFileSync(join(dir, `copy-${k}-${i}.k8s.yaml`), copy);
    });
  }
  const t = time([dir]);
  const parse = medianOf(() => texts.forEach((text) => loadAll(text)));
  rmSync(dir, { recursive: true, force: true });
  const total = t.load + t.analyze;
  big.push({
    input: `dist/ × ${copies} namespaces`, objects: t.objects, 'report ms': total.toFixed(0), 'js-yaml parse ms': parse.toFixed(0),
    'report / js-yaml': (total / parse).toFixed(2), 't(n)/t(n/5 or n/2)': previousTotal === undefined ? '' : (total / previousTotal).toFixed(2),
  });
  previousTotal = total;
}
console.table(big);

/** Median ms of `run` over `reps` runs, after a warm-up. */
function medianOf(run: () => void): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** A fixture moved to `namespace` (every object, and the FQDN hosts that name its old one). */
function inNamespace(yaml: string, namespace: string): string {
  return yaml
    .replace(/^ {2}namespace: .*\n/gm, '')
    .replace(/^metadata:\n/gm, `metadata:\n  namespace: ${namespace}\n`)
    .replace(/\.(default|python-istio)\.svc\.cluster\.local/g, `.${namespace}.svc.cluster.local`);
}

/**
 * `npm run bench`: construct + synth time of N services per strategy against the same YAML
 * written by hand with cdk8s L1 classes, scaling, peak RSS, and the example app's cold
 * `npx cdk8s synth` against an empty app's. Not part of `npm test`: timings are reported, never asserted
 * in tests.
 *   npm run bench -- [--n 100,1000,2000] [--reps 3] [--synth-runs 5] [--skip-synth]
 * Prints a table and writes bench/results/<date>.json (git-ignored).
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { parseArgs } from 'util';

import { buildApp } from './measure';
import { STRATEGIES, Strategy } from './workload';

const root = join(__dirname, '..');
const { values } = parseArgs({
  options: {
    'n': { type: 'string', default: '100,1000,2000' },
    'reps': { type: 'string', default: '5' },
    'synth-runs': { type: 'string', default: '5' },
    'skip-synth': { type: 'boolean', default: false },
  },
});
const sizes = values.n!.split(',').map(Number);
const reps = Number(values.reps);

interface Measurement { construct: number; synth: number; total: number; bytes: number; rssMb: number }

function measure(strategy: Strategy, impl: string, n: number): Measurement {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'measure.ts'), strategy, impl, String(n), String(reps)], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out);
}

// The comparison is honest only if both sides emit the same bytes.
for (const strategy of STRATEGIES) {
  const ours = buildApp(strategy, 'constructs', 25).synthYaml();
  if (ours !== buildApp(strategy, 'baseline', 25).synthYaml()) throw new Error(`${strategy}: constructs and baseline differ; fix bench/workload.ts`);
}
console.log('outputs equal: constructs and hand-written baseline give the same YAML for every strategy');

const rows: Record<string, unknown>[] = [];
for (const strategy of STRATEGIES) {
  const byN = new Map<number, Measurement>();
  for (const n of sizes) {
    const ours = measure(strategy, 'constructs', n);
    const base = measure(strategy, 'baseline', n);
    byN.set(n, ours);
    const half = byN.get(n / 2);
    rows.push({
      strategy, n,
      'ms/service': +(ours.total / n).toFixed(3),
      'baseline ms/service': +(base.total / n).toFixed(3),
      'ratio': +(ours.total / base.total).toFixed(2),
      'construct ratio': +(ours.construct / base.construct).toFixed(2),
      't(n)/t(n/2)': half ? +(ours.total / half.total).toFixed(2) : '',
      'peak RSS MB': Math.round(ours.rssMb),
      'baseline RSS MB': Math.round(base.rssMb),
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
}
console.table(rows);

/** Median wall time of a command over `runs` runs. */
function time(command: string, args: string[], runs: number): number {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
    const t0 = performance.now();
    const run = spawnSync(command, [...args, '--output', out], { cwd: root, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    times.push(performance.now() - t0);
    rmSync(out, { recursive: true, force: true });
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

let synth: Record<string, number> | undefined;
if (!values['skip-synth']) {
  const runs = Number(values['synth-runs']);
  const cli = join(root, 'node_modules', '.bin', 'cdk8s');
  const example = time(cli, ['synth'], runs);
  const empty = time(cli, ['synth', '--app', 'node --import tsx bench/empty-app.ts'], runs);
  synth = { 'example app ms': Math.round(example), 'empty app ms': Math.round(empty), 'ratio': +(example / empty).toFixed(2) };
  console.log('cold `npx cdk8s synth` (median of', runs, 'runs):');
  console.table([synth]);
}

mkdirSync(join(__dirname, 'results'), { recursive: true });
const file = join(__dirname, 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ node: process.version, reps, sizes, rows, synth }, null, 2)}\n`);
console.log(`written ${file}`);

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
import { STRATEGIES } from './workload';

const root = join(__dirname, '..');
const { values } = parseArgs({
  options: {
    'n': { type: 'string', default: '100,1000,2000' },
    'reps': { type: 'string', default: '5' },
    'synth-runs': { type: 'string', default: '7' },
    'skip-synth': { type: 'boolean', default: false },
  },
});
const sizes = values.n!.split(',').map(Number);
const reps = Number(values.reps);

interface Timing { construct: number; synth: number; total: number }

function run<T>(args: string[]): T {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'measure.ts'), ...args], { cwd: root, encoding: 'utf8' });
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
  const timings = run<Record<string, { constructs: Timing; baseline: Timing }>>(['time', strategy, sizes.join(','), String(reps)]);
  for (const n of sizes) {
    const { constructs: ours, baseline: base } = timings[n];
    const half = timings[n / 2];
    const rss = run<{ rssMb: number }>(['rss', strategy, 'constructs', String(n)]).rssMb;
    const baseRss = run<{ rssMb: number }>(['rss', strategy, 'baseline', String(n)]).rssMb;
    rows.push({
      strategy, n,
      'ms/service': +(ours.total / n).toFixed(3),
      'baseline ms/service': +(base.total / n).toFixed(3),
      'ratio': +(ours.total / base.total).toFixed(2),
      'construct ms/service': +(ours.construct / n).toFixed(3),
      'baseline construct ms/service': +(base.construct / n).toFixed(3),
      't(n)/t(n/2)': half ? +(ours.total / half.constructs.total).toFixed(2) : '',
      'baseline t(n)/t(n/2)': half ? +(base.total / half.baseline.total).toFixed(2) : '',
      'peak RSS MB': Math.round(rss),
      'baseline RSS MB': Math.round(baseRss),
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
}
console.table(rows);

/** Wall time of one `cdk8s synth` into a fresh directory. */
function timeSynth(cli: string, args: string[]): number {
  const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const t0 = performance.now();
  const run = spawnSync(cli, ['synth', ...args, '--output', out], { cwd: root, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  const ms = performance.now() - t0;
  rmSync(out, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`cdk8s synth ${args.join(' ')} failed: ${run.stderr}`);
  return ms;
}

let synth: Record<string, number> | undefined;
if (!values['skip-synth']) {
  const runs = Number(values['synth-runs']);
  const cli = join(root, 'node_modules', '.bin', 'cdk8s');
  const example: number[] = [];
  const empty: number[] = [];
  // Alternate the two apps so both see the same machine load.
  for (let k = 0; k < runs; k++) {
    example.push(timeSynth(cli, []));
    empty.push(timeSynth(cli, ['--app', 'node --import tsx bench/empty-app.ts']));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  synth = { 'example app ms': Math.round(median(example)), 'empty app ms': Math.round(median(empty)), 'ratio': +(median(example) / median(empty)).toFixed(2) };
  console.log(`\`npx cdk8s synth\` wall time (median of ${runs} alternating runs):`);
  console.table([synth]);
}

mkdirSync(join(__dirname, 'results'), { recursive: true });
const file = join(__dirname, 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ node: process.version, reps, sizes, rows, synth }, null, 2)}\n`);
console.log(`written ${file}`);

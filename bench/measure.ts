/**
 * Measurements, each in its own process:
 *   node --expose-gc --import tsx bench/measure.ts time STRATEGY N1,N2,… REPETITIONS
 *     construct and synth time of N services for each size, constructs and hand-written baseline
 *     alternating (A B A B …, every size in every repetition) so that both, and all sizes, see the
 *     same machine, JIT and heap state; medians per size as JSON.
 *   node --import tsx bench/measure.ts rss STRATEGY constructs|baseline N
 *     one build + synth, then the process's peak RSS in MB, so it is this workload's alone.
 */
import { App, Chart } from 'cdk8s';
import { performance } from 'perf_hooks';

import { buildByHand, buildWithConstructs, NAMESPACE, Strategy } from './workload';

export function buildApp(strategy: Strategy, impl: string, n: number): App {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE, disableResourceNameHashes: true });
  const build = impl === 'constructs' ? buildWithConstructs : buildByHand;
  for (let i = 0; i < n; i++) build(chart, strategy, i);
  return app;
}

interface Timing { construct: number; synth: number; total: number }

function once(strategy: Strategy, impl: string, n: number): Timing {
  // Start every repetition from a collected heap, so one run's garbage is not billed to the next.
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const app = buildApp(strategy, impl, n);
  const t1 = performance.now();
  app.synthYaml();
  const t2 = performance.now();
  return { construct: t1 - t0, synth: t2 - t1, total: t2 - t0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medians = (runs: Timing[]): Timing => ({
  construct: median(runs.map((r) => r.construct)), synth: median(runs.map((r) => r.synth)), total: median(runs.map((r) => r.total)),
});

if (require.main === module) {
  const [mode, strategy, ...rest] = process.argv.slice(2) as [string, Strategy, ...string[]];
  if (mode === 'time') {
    const sizes = rest[0].split(',').map(Number);
    const reps = Number(rest[1]);
    for (const impl of ['constructs', 'baseline', 'constructs', 'baseline']) once(strategy, impl, 300); // warm the JIT
    const runs = new Map(sizes.map((n) => [n, { ours: [] as Timing[], base: [] as Timing[] }]));
    for (let r = 0; r < reps; r++) {
      for (const n of sizes) {
        runs.get(n)!.ours.push(once(strategy, 'constructs', n));
        runs.get(n)!.base.push(once(strategy, 'baseline', n));
      }
    }
    process.stdout.write(JSON.stringify(Object.fromEntries(sizes.map((n) => [n, { constructs: medians(runs.get(n)!.ours), baseline: medians(runs.get(n)!.base) }]))));
  } else {
    once(strategy, rest[0], Number(rest[1]));
    process.stdout.write(JSON.stringify({ rssMb: process.resourceUsage().maxRSS / 1024 }));
  }
}

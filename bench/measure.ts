/**
 * One measurement, in its own process so peak RSS is this workload's alone:
 *   node --import tsx bench/measure.ts STRATEGY constructs|baseline N REPETITIONS
 * Prints JSON: median construct and synth milliseconds over the repetitions, and peak RSS.
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

function once(strategy: Strategy, impl: string, n: number): { construct: number; synth: number; bytes: number } {
  // Start every repetition from a collected heap, so one run's garbage is not billed to the next.
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const app = buildApp(strategy, impl, n);
  const t1 = performance.now();
  const yaml = app.synthYaml();
  const t2 = performance.now();
  return { construct: t1 - t0, synth: t2 - t1, bytes: yaml.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (require.main === module) {
  const [strategy, impl, n, reps] = process.argv.slice(2);
  once(strategy as Strategy, impl, 50); // warm the JIT
  const runs = Array.from({ length: Number(reps) }, () => once(strategy as Strategy, impl, Number(n)));
  process.stdout.write(JSON.stringify({
    construct: median(runs.map((r) => r.construct)),
    synth: median(runs.map((r) => r.synth)),
    total: median(runs.map((r) => r.construct + r.synth)),
    bytes: runs[0].bytes,
    rssMb: process.resourceUsage().maxRSS / 1024,
  }));
}

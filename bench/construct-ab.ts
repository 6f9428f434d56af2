/**
 * Construct phase only (no synth), for comparing two checkouts of the library:
 *   node --import tsx bench/construct-ab.ts [N]
 * prints the median ms per service of 7 runs per strategy, building bench/workload.ts's services.
 */
import { App, Chart } from 'cdk8s';

import { buildWithConstructs, STRATEGIES } from './workload';

const n = Number(process.argv[2] ?? 1000);
const result: Record<string, number> = {};
for (const strategy of STRATEGIES) {
  const times: number[] = [];
  for (let run = 0; run < 8; run++) {
    const chart = new Chart(new App(), 'bench', { namespace: 'bench' });
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) buildWithConstructs(chart, strategy, i);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run > 0) times.push(ms / n); // the first run warms up
  }
  times.sort((a, b) => a - b);
  result[strategy] = Number(times[Math.floor(times.length / 2)].toFixed(3));
}
process.stdout.write(`${JSON.stringify(result)}\n`);

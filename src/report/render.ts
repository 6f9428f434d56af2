import { CanaryReport, TrafficReport } from './analyze';
import { Fraction, showFraction, showPercent } from './fraction';

const share = (f: Fraction) => `${showFraction(f)} (${showPercent(f)})`;

function canaryText(c: CanaryReport): string {
  const track = (label: string, t: CanaryReport['stable']) =>
    `    ${label}: Deployment ${t.deployment}, ${t.pods} pod${t.pods === '1' ? '' : 's'}, ${t.images.join(', ')}${t.version ? ` (version ${t.version})` : ''}`;
  return [
    `${c.name} (${c.strategy}) in namespace ${c.namespace}`,
    ...c.entries.map((e) => `  entry: ${e}`),
    '  tracks:',
    track('stable', c.stable),
    ...(c.canary ? [track('canary', c.canary)] : ['    canary: none (steady state)']),
    '  routes (in the order the router evaluates them):',
    ...c.routes.map((r, i) => `    ${i + 1}. ${r.name}: ${r.conditions} -> stable ${share(r.stable)}, canary ${share(r.canary)}`),
    ...c.caveats.map((cv) => `  note: ${cv}`),
  ].join('\n');
}

/** The report as text, for a terminal. */
export function renderText(report: TrafficReport): string {
  const problems = report.problems.length === 0 ? ['problems: none']
    : ['problems:', ...report.problems.map((p) => `  - ${p.file} ${p.object}: ${p.message}`)];
  return [...report.canaries.map(canaryText), ...problems].join('\n\n') + '\n';
}

/** The report as JSON: shares as exact fractions (`"1/3"`) and percents. */
export function renderJson(report: TrafficReport): string {
  const fractionJson = (f: Fraction) => ({ fraction: showFraction(f), percent: Number(((100 * f.n) / f.d).toFixed(4)) });
  return JSON.stringify({
    canaries: report.canaries.map((c) => ({ ...c, routes: c.routes.map((r) => ({ ...r, stable: fractionJson(r.stable), canary: fractionJson(r.canary) })) })),
    problems: report.problems,
  }, null, 2) + '\n';
}

import { CanaryReport, TrafficReport } from './analyze';
import { CanaryChange } from './diff';
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

/** The report as JSON: shares as exact fractions (`"1/3"`) and percents; with `changes`, what changed. */
export function renderJson(report: TrafficReport, changes?: readonly CanaryChange[]): string {
  const fractionJson = (f: Fraction) => ({ fraction: showFraction(f), percent: Number(((100 * f.n) / f.d).toFixed(4)) });
  const canaryJson = (c: CanaryReport) => ({ ...c, routes: c.routes.map((r) => ({ ...r, stable: fractionJson(r.stable), canary: fractionJson(r.canary) })) });
  return JSON.stringify({
    canaries: report.canaries.map(canaryJson),
    changes: changes?.map((c) => ({ namespace: c.namespace, name: c.name, strategy: c.strategy, status: c.status, changes: c.changes })),
    problems: report.problems,
  }, null, 2) + '\n';
}

/** A Mermaid label: no quotes or brackets that would end it. */
const mermaidText = (text: string) => text.replace(/["[\]{}|<>]/g, "'");

/** A Mermaid flowchart of one canary: entry → each route's conditions → the tracks, with shares. */
export function mermaid(c: CanaryReport): string {
  const lines = ['flowchart LR', `  E["${mermaidText(c.entries[0] ?? c.name)}"]`];
  lines.push(`  S["stable: ${mermaidText(c.stable.deployment)} ${mermaidText(c.stable.version ?? '')}"]`);
  if (c.canary) lines.push(`  C["canary: ${mermaidText(c.canary.deployment)} ${mermaidText(c.canary.version ?? '')}"]`);
  c.routes.forEach((r, i) => {
    lines.push(`  E --> R${i}{"${i + 1}. ${mermaidText(r.conditions)}"}`);
    if (r.stable.n > 0) lines.push(`  R${i} -->|${showFraction(r.stable)}| S`);
    if (r.canary.n > 0 && c.canary) lines.push(`  R${i} -->|${showFraction(r.canary)}| C`);
  });
  return lines.join('\n');
}

function canaryMarkdown(c: CanaryReport, changes?: string[]): string {
  const rows = c.routes.map((r, i) => `| ${i + 1} | ${r.conditions.replace(/\|/g, '\\|')} | ${share(r.stable)} | ${share(r.canary)} |`);
  const tracks = [c.stable, ...(c.canary ? [c.canary] : [])].map((t, i) => `${i === 0 ? 'stable' : 'canary'} \`${t.deployment}\`: ${t.pods} pods, \`${t.images.join('`, `')}\``);
  return [
    `### ${c.name} (${c.strategy}, namespace \`${c.namespace}\`)`,
    '',
    ...(changes ? [...changes.map((line) => `- ${line}`), ''] : []),
    `Entry: ${c.entries.join('; ')}. Tracks: ${tracks.join('; ')}.`,
    '',
    '| # | requests | stable | canary |',
    '|---|---|---|---|',
    ...rows,
    '',
    '```mermaid',
    mermaid(c),
    '```',
    ...(c.caveats.length > 0 ? ['', ...c.caveats.map((cv) => `> ${cv}`)] : []),
  ].join('\n');
}

/**
 * The report as Markdown for a pull-request comment: a section per canary (with `changes`, only
 * the changed ones, each with what changed), a table of its routes and a Mermaid flowchart.
 */
export function renderMarkdown(report: TrafficReport, changes?: readonly CanaryChange[]): string {
  const problems = report.problems.length === 0 ? ['**No routing problem found.**']
    : ['**Problems** (this change would misroute):', '', ...report.problems.map((p) => `- \`${p.file}\` ${p.object}: ${p.message}`)];
  if (changes) {
    const sections = changes.map((change) => (change.after
      ? canaryMarkdown(change.after, change.changes)
      : `### ${change.name} (${change.strategy}, namespace \`${change.namespace}\`)\n\n- ${change.changes.join('\n- ')}`));
    return ['## Canary traffic: what this change does', ...(sections.length > 0 ? sections : ['No canary\'s traffic changes.']), problems.join('\n')].join('\n\n') + '\n';
  }
  return ['## Canary traffic', ...report.canaries.map((c) => canaryMarkdown(c)), problems.join('\n')].join('\n\n') + '\n';
}

/** What a change does to traffic, as text. */
export function renderChangesText(changes: readonly CanaryChange[], report: TrafficReport): string {
  const body = changes.length === 0 ? ['no canary\'s traffic changes']
    : changes.map((c) => [`${c.name} (${c.strategy}) in namespace ${c.namespace}: ${c.status}`, ...c.changes.map((line) => `  ${line}`)].join('\n'));
  const problems = report.problems.length === 0 ? ['problems: none'] : ['problems:', ...report.problems.map((p) => `  - ${p.file} ${p.object}: ${p.message}`)];
  return [...body, ...problems].join('\n\n') + '\n';
}

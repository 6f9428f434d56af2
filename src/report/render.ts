import { describeProblem } from '../checks/manifest';
import { CanaryChange } from './diff';
import { Fraction, showFraction, showPercent } from './model/fraction';
import { CanaryReport, canaryTitle, TrackReport, TrafficReport } from './model/results';

/** Where a canary is: its namespace, and its cluster when its objects record one. */
const where = (c: { readonly cluster?: string; readonly namespace: string }) => `${c.cluster === undefined ? '' : `cluster ${c.cluster}, `}namespace ${c.namespace}`;
const share = (f: Fraction) => `${showFraction(f)} (${showPercent(f)})`;
const trackLine = (t: TrackReport) => `Deployment ${t.deployment}, ${t.pods} pod${t.pods === '1' ? '' : 's'}, ${t.images.join(', ')}${t.version ? ` (version ${t.version})` : ''}`;
/** The library's canary in steady state has no canary track: say so rather than leave it out. */
const steadyState = (c: CanaryReport) => c.origin === 'cdk8s-canary' && !c.tracks.some((t) => t.track === 'canary');

function canaryText(c: CanaryReport): string {
  return [
    `${canaryTitle(c)} in ${where(c)}`,
    ...c.entries.map((e) => `  entry: ${e}`),
    '  tracks:',
    ...c.tracks.map((t) => `    ${t.track}: ${trackLine(t)}`),
    ...(steadyState(c) ? ['    canary: none (steady state)'] : []),
    '  routes (in the order the router evaluates them):',
    ...c.routes.map((r, i) => `    ${i + 1}. ${r.name}: ${r.conditions} -> ${c.tracks.map((t, j) => `${t.track} ${share(r.shares[j])}`).join(', ')}`),
    ...c.caveats.map((cv) => `  note: ${cv}`),
  ].join('\n');
}

function problemLines(report: TrafficReport, bullet: string): string[] {
  return report.problems.length === 0 ? ['problems: none'] : ['problems:', ...report.problems.map((p) => `${bullet}${describeProblem(p)}`)];
}

/** Engine-managed canaries: their steps, since their split is the engine's at run time. */
function engineLines(report: TrafficReport): string[] {
  return (report.engineManaged ?? []).map((c) => `${c.cluster === undefined ? '' : `${c.cluster}: `}${c.namespace}/${c.name}: managed by ${c.engine} (the split is the engine's, at run time)\n  steps: ${c.steps.join(' -> ')}`);
}

/** The report as text, for a terminal. */
export function renderText(report: TrafficReport): string {
  return [...report.canaries.map(canaryText), ...engineLines(report), problemLines(report, '  - ').join('\n')].join('\n\n') + '\n';
}

/**
 * The version of the report's JSON: raised when a field is renamed or removed or changes meaning;
 * a field added keeps it (docs/report.md lists the fields).
 */
export const REPORT_SCHEMA_VERSION = 1;

/** The report as JSON: shares as exact fractions (`"1/3"`) and percents, per track; with `changes`, what changed. */
export function renderJson(report: TrafficReport, changes?: readonly CanaryChange[]): string {
  const canaryJson = (c: CanaryReport) => ({
    ...c,
    routes: c.routes.map((r) => ({
      name: r.name,
      conditions: r.conditions,
      shares: c.tracks.map((t, j) => ({ track: t.track, deployment: t.deployment, fraction: showFraction(r.shares[j]), percent: Number(((100 * r.shares[j].n) / r.shares[j].d).toFixed(4)) })),
      when: r.when,
    })),
  });
  return JSON.stringify({
    schemaVersion: REPORT_SCHEMA_VERSION,
    canaries: report.canaries.map(canaryJson),
    changes: changes?.map((c) => ({ cluster: c.cluster, namespace: c.namespace, name: c.name, origin: c.origin, strategy: c.strategy, status: c.status, sameTraffic: c.sameTraffic, changes: c.changes })),
    engineManaged: report.engineManaged ?? [],
    problems: report.problems,
  }, null, 2) + '\n';
}

/** A Mermaid label: no quotes or brackets that would end it. */
const mermaidText = (text: string) => text.replace(/["[\]{}|<>]/g, "'");

/** A Mermaid flowchart of one canary: entry → each route's conditions → the tracks, with shares. */
export function mermaid(c: CanaryReport): string {
  const lines = ['flowchart LR', `  E["${mermaidText(c.entries[0] ?? c.name)}"]`];
  // The library's tracks keep the short node names S and C; any other Deployment is T<n>.
  const node = (t: TrackReport, j: number) => (c.origin === 'cdk8s-canary' && t.track === 'stable' ? 'S' : c.origin === 'cdk8s-canary' && t.track === 'canary' ? 'C' : `T${j}`);
  c.tracks.forEach((t, j) => lines.push(`  ${node(t, j)}["${mermaidText(t.track === t.deployment ? t.deployment : `${t.track}: ${t.deployment}`)} ${mermaidText(t.version ?? '')}"]`));
  c.routes.forEach((r, i) => {
    lines.push(`  E --> R${i}{"${i + 1}. ${mermaidText(r.conditions)}"}`);
    c.tracks.forEach((t, j) => {
      if (r.shares[j].n > 0) lines.push(`  R${i} -->|${showFraction(r.shares[j])}| ${node(t, j)}`);
    });
  });
  return lines.join('\n');
}

function canaryMarkdown(c: CanaryReport, changes?: string[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = c.routes.map((r, i) => `| ${i + 1} | ${cell(r.conditions)} | ${r.shares.map(share).join(' | ')} |`);
  const tracks = c.tracks.map((t) => `${t.track === t.deployment ? '' : `${t.track} `}\`${t.deployment}\`: ${t.pods} pods, \`${t.images.join('`, `')}\``);
  return [
    `### ${canaryTitle(c)}, ${c.cluster === undefined ? '' : `cluster \`${c.cluster}\`, `}namespace \`${c.namespace}\``,
    '',
    ...(changes ? [...changes.map((line) => `- ${line}`), ''] : []),
    `Entry: ${c.entries.join('; ')}. Tracks: ${tracks.join('; ')}${steadyState(c) ? '; no canary (steady state)' : ''}.`,
    '',
    `| # | requests | ${c.tracks.map((t) => cell(t.track)).join(' | ')} |`,
    `|---|---|${c.tracks.map(() => '---|').join('')}`,
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
    : ['**Problems** (this change would misroute):', '', ...report.problems.map((p) => `- \`${p.file}\` ${p.object}${p.field ? ` \`${p.field}\`` : ''}: ${p.message}`)];
  if (changes) {
    const sections = changes.map((change) => (change.after
      ? canaryMarkdown(change.after, change.changes)
      : `### ${change.title}, ${change.cluster === undefined ? '' : `cluster \`${change.cluster}\`, `}namespace \`${change.namespace}\`\n\n- ${change.changes.join('\n- ')}`));
    return ['## Canary traffic: what this change does', ...(sections.length > 0 ? sections : ['No canary\'s traffic changes.']), problems.join('\n')].join('\n\n') + '\n';
  }
  const engines = engineLines(report).map((line) => `- ${line.replace('\n  steps:', ';')}`);
  return ['## Canary traffic', ...report.canaries.map((c) => canaryMarkdown(c)), ...(engines.length > 0 ? [engines.join('\n')] : []), problems.join('\n')].join('\n\n') + '\n';
}

/** What a change does to traffic, as text. */
export function renderChangesText(changes: readonly CanaryChange[], report: TrafficReport): string {
  const body = changes.length === 0 ? ['no canary\'s traffic changes']
    : changes.map((c) => [`${c.title} in ${where(c)}: ${c.status}`, ...c.changes.map((line) => `  ${line}`)].join('\n'));
  return [...body, problemLines(report, '  - ').join('\n')].join('\n\n') + '\n';
}

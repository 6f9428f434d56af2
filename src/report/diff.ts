import { CanaryReport, RouteReport, TrafficReport } from './analyze';
import { Fraction, showFraction, showPercent } from './fraction';

/**
 * What a change does to traffic: the canaries whose routes, shares, tracks or entry points differ
 * between two reports, in words a reviewer reads ("everyone 1/10 → 1/4 to canary"). Canaries
 * whose traffic did not change are left out.
 */

/** One changed canary. */
export interface CanaryChange {
  readonly namespace: string;
  readonly name: string;
  readonly strategy: string;
  /** Added, removed, or changed. */
  readonly status: 'added' | 'removed' | 'changed';
  readonly changes: string[];
  readonly before?: CanaryReport;
  readonly after?: CanaryReport;
}

const key = (c: CanaryReport) => `${c.namespace}/${c.name}`;
const routeKey = (r: RouteReport) => `${r.name}|${r.conditions}`;
const same = (a: Fraction, b: Fraction) => a.n === b.n && a.d === b.d;
const pct = (f: Fraction) => `${showFraction(f)} (${showPercent(f)})`;

/** The canaries that `after` changes against `before`. */
export function diffReports(before: TrafficReport, after: TrafficReport): CanaryChange[] {
  const old = new Map(before.canaries.map((c) => [key(c), c]));
  const now = new Map(after.canaries.map((c) => [key(c), c]));
  const keys = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changes: CanaryChange[] = [];
  for (const k of keys) {
    const a = old.get(k);
    const b = now.get(k);
    const base = { namespace: (a ?? b)!.namespace, name: (a ?? b)!.name, strategy: (b ?? a)!.strategy, before: a, after: b };
    if (!a) {
      changes.push({ ...base, status: 'added', changes: [`new canary: ${b!.routes.map((r) => `${r.conditions} → canary ${pct(r.canary)}`).join('; ')}`] });
      continue;
    }
    if (!b) {
      changes.push({ ...base, status: 'removed', changes: ['removed: its objects are gone from the output'] });
      continue;
    }
    const lines = describeChanges(a, b);
    if (lines.length > 0) changes.push({ ...base, status: 'changed', changes: lines });
  }
  return changes;
}

function describeChanges(a: CanaryReport, b: CanaryReport): string[] {
  const lines: string[] = [];
  if (a.strategy !== b.strategy) lines.push(`strategy ${a.strategy} → ${b.strategy}`);
  const oldRoutes = new Map(a.routes.map((r) => [routeKey(r), r]));
  const newRoutes = new Map(b.routes.map((r) => [routeKey(r), r]));
  for (const r of b.routes) {
    const was = oldRoutes.get(routeKey(r));
    if (!was) lines.push(`new route ${r.name} (${r.conditions}): stable ${pct(r.stable)}, canary ${pct(r.canary)}`);
    else if (!same(was.canary, r.canary) || !same(was.stable, r.stable)) {
      lines.push(`${r.conditions} (${r.name}): canary ${pct(was.canary)} → ${pct(r.canary)}, stable ${pct(was.stable)} → ${pct(r.stable)}`);
    }
  }
  for (const r of a.routes) if (!newRoutes.has(routeKey(r))) lines.push(`route ${r.name} (${r.conditions}) removed`);
  const track = (label: string, x: CanaryReport['stable'] | undefined, y: CanaryReport['stable'] | undefined) => {
    if (!x && y) lines.push(`${label} track added: ${y.images.join(', ')}, ${y.pods} pods`);
    else if (x && !y) lines.push(`${label} track removed`);
    else if (x && y) {
      if (x.images.join() !== y.images.join()) lines.push(`${label} image ${x.images.join(', ')} → ${y.images.join(', ')}`);
      if (x.pods !== y.pods) lines.push(`${label} pods ${x.pods} → ${y.pods}`);
    }
  };
  track('stable', a.stable, b.stable);
  track('canary', a.canary, b.canary);
  if (a.entries.join() !== b.entries.join()) lines.push(`entry points ${a.entries.join('; ')} → ${b.entries.join('; ')}`);
  return lines;
}

import { migrationsBetween } from './migration';
import { Fraction, showFraction, showPercent, ZERO } from './model/fraction';
import { CanaryReport, canaryTitle, RouteReport, TrafficReport } from './model/results';

/**
 * What a change does to traffic: the canaries whose routes, shares, tracks or entry points differ
 * between two reports, in words a reviewer reads ("everyone 1/10 → 1/4 to canary"). Canaries
 * whose traffic did not change are left out.
 */

/** One changed canary. */
export interface CanaryChange {
  /** The cluster its objects record (CanaryScope); absent when they record none. */
  readonly cluster?: string;
  readonly namespace: string;
  readonly name: string;
  readonly origin: CanaryReport['origin'];
  readonly strategy: string;
  /** How the canary is titled (`hello (IstioCanary)`). */
  readonly title: string;
  /** Added, removed, changed, or migrated (the same entry point routed by another router). */
  readonly status: 'added' | 'removed' | 'changed' | 'migrated';
  /** Migrated: whether every request class reaches the same tracks with the same shares. */
  readonly sameTraffic?: boolean;
  readonly changes: string[];
  readonly before?: CanaryReport;
  readonly after?: CanaryReport;
}

const key = (c: CanaryReport) => `${c.cluster ?? ''}/${c.namespace}/${c.name}/${c.origin}`;
const routeKey = (r: RouteReport) => `${r.name}|${r.conditions}`;
const same = (a: Fraction, b: Fraction) => a.n === b.n && a.d === b.d;
const pct = (f: Fraction) => `${showFraction(f)} (${showPercent(f)})`;
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The canaries that `after` changes against `before`. */
export function diffReports(before: TrafficReport, after: TrafficReport): CanaryChange[] {
  // A canary moved to another router is compared request class by request class (migration.ts).
  const migrations = migrationsBetween(before, after);
  const moved = new Set(migrations.flatMap((m) => [m.before, m.after]));
  const old = new Map(before.canaries.filter((c) => !moved.has(c)).map((c) => [key(c), c]));
  const now = new Map(after.canaries.filter((c) => !moved.has(c)).map((c) => [key(c), c]));
  const changes: CanaryChange[] = migrations.map((m) => ({
    cluster: m.after.cluster, namespace: m.after.namespace, name: m.after.name, origin: m.after.origin, strategy: m.after.strategy,
    title: `${m.after.name} (${m.before.strategy} ${m.before.namespace}/${m.before.name} → ${m.after.strategy})`,
    status: 'migrated' as const,
    sameTraffic: m.differences.length === 0,
    changes: [
      ...(m.differences.length === 0 ? [`same traffic: ${m.compared.length} request classes at ${m.entries.join(', ')} reach the same tracks with the same shares`] : m.differences),
      ...m.notCompared.map((line) => `not compared: ${line}`),
    ],
    before: m.before,
    after: m.after,
  }));
  for (const k of [...new Set([...old.keys(), ...now.keys()])].sort(byKey)) {
    const a = old.get(k);
    const b = now.get(k);
    const c = (b ?? a)!;
    const base = { cluster: c.cluster, namespace: c.namespace, name: c.name, origin: c.origin, strategy: c.strategy, title: canaryTitle(c), before: a, after: b };
    if (!a) {
      changes.push({ ...base, status: 'added', changes: [`new canary: ${b!.routes.map((r) => `${r.conditions} → ${sharesText(b!, r)}`).join('; ')}`] });
    } else if (!b) {
      changes.push({ ...base, status: 'removed', changes: ['removed: its objects are gone from the output'] });
    } else {
      const lines = describeChanges(a, b);
      if (lines.length > 0) changes.push({ ...base, status: 'changed', changes: lines });
    }
  }
  return changes;
}

function sharesText(c: CanaryReport, r: RouteReport): string {
  return c.tracks.map((t, j) => `${t.track} ${pct(r.shares[j])}`).join(', ');
}

/** The track names of a canary in the order a change reads best: what moved to the canary first. */
function trackNames(a: CanaryReport, b: CanaryReport): string[] {
  const names = [...new Set([...a.tracks, ...b.tracks].map((t) => t.track))];
  return [...names.filter((n) => n === 'canary'), ...names.filter((n) => n !== 'canary')];
}

function describeChanges(a: CanaryReport, b: CanaryReport): string[] {
  const lines: string[] = [];
  if (a.strategy !== b.strategy) lines.push(`strategy ${a.strategy} → ${b.strategy}`);
  const names = trackNames(a, b);
  const shareIn = (c: CanaryReport, r: RouteReport, name: string) => {
    const j = c.tracks.findIndex((t) => t.track === name);
    return j < 0 ? ZERO : r.shares[j];
  };
  const oldRoutes = new Map(a.routes.map((r) => [routeKey(r), r]));
  const newRoutes = new Map(b.routes.map((r) => [routeKey(r), r]));
  for (const r of b.routes) {
    const was = oldRoutes.get(routeKey(r));
    if (!was) {
      lines.push(`new route ${r.name} (${r.conditions}): ${sharesText(b, r)}`);
      continue;
    }
    const moved = names.filter((n) => !same(shareIn(a, was, n), shareIn(b, r, n)));
    if (moved.length > 0) lines.push(`${r.conditions} (${r.name}): ${moved.map((n) => `${n} ${pct(shareIn(a, was, n))} → ${pct(shareIn(b, r, n))}`).join(', ')}`);
  }
  for (const r of a.routes) if (!newRoutes.has(routeKey(r))) lines.push(`route ${r.name} (${r.conditions}) removed`);
  for (const name of names) {
    const x = a.tracks.find((t) => t.track === name);
    const y = b.tracks.find((t) => t.track === name);
    if (!x && y) lines.push(`${name} track added: ${y.images.join(', ')}, ${y.pods} pods`);
    else if (x && !y) lines.push(`${name} track removed`);
    else if (x && y) {
      if (x.images.join() !== y.images.join()) lines.push(`${name} image ${x.images.join(', ')} → ${y.images.join(', ')}`);
      if (x.pods !== y.pods) lines.push(`${name} pods ${x.pods} → ${y.pods}`);
    }
  }
  if (a.entries.join() !== b.entries.join()) lines.push(`entry points ${a.entries.join('; ')} → ${b.entries.join('; ')}`);
  return lines;
}

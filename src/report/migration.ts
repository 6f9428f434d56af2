import { Fraction, showFraction, showPercent } from './model/fraction';
import { entryKey, EntryPoint, SampleRequest, samplesOf, takes } from './model/requests';
import { CanaryReport, TrafficReport } from './model/results';

/**
 * A move between routers checked request by request: when a canary's entry point (host and
 * path, or mesh Service) is routed by one router before and another after (an NginxCanary
 * replaced by a GatewayCanary, an IstioCanary by a mesh GatewayCanary), the same sample requests
 * go through both, one per request class either side names (each header, cookie, path or query
 * condition, and a request with none), and each class's shares per track are compared.
 */

/** One canary moved to another router. */
export interface Migration {
  readonly before: CanaryReport;
  readonly after: CanaryReport;
  /** The entry points both take requests at. */
  readonly entries: string[];
  /** The request classes compared, in words. */
  readonly compared: string[];
  /** Each class whose shares differ, and each track whose pods or images differ. */
  readonly differences: string[];
  /** Classes that could not be compared (a pattern with no sure sample request). */
  readonly notCompared: string[];
}

const pct = (f: Fraction) => `${showFraction(f)} (${showPercent(f)})`;

/** The canaries of `after` that take over an entry point of a canary of `before` with another router. */
export function migrationsBetween(before: TrafficReport, after: TrafficReport): Migration[] {
  const migrations: Migration[] = [];
  for (const a of before.canaries) {
    for (const b of after.canaries) {
      if (a.strategy === b.strategy || (a.cluster ?? '') !== (b.cluster ?? '')) continue;
      const keys = new Set((b.entryPoints ?? []).map(entryKey));
      const shared = (a.entryPoints ?? []).filter((e) => keys.has(entryKey(e)));
      if (shared.length > 0) migrations.push(compare(a, b, shared));
    }
  }
  return migrations;
}

function compare(a: CanaryReport, b: CanaryReport, entries: readonly EntryPoint[]): Migration {
  const compared: string[] = [];
  const differences: string[] = [];
  const notCompared: string[] = [];
  for (const entry of entries) {
    const base: SampleRequest = { headers: {}, query: {}, path: entry.path ?? '/', method: 'GET' };
    const samples = new Map<string, SampleRequest>([[describe(base, base), base]]);
    for (const route of [...a.routes, ...b.routes]) {
      if (!route.when) continue;
      samplesOf(route.when, base).forEach((sample, i) => {
        if (sample) samples.set(describe(sample, base), sample);
        else notCompared.push(`${entryKey(entry)}: ${route.conditions.split(' or ')[i] ?? route.conditions} (no sure sample request for its pattern)`);
      });
    }
    for (const [name, sample] of samples) {
      const label = `${entryKey(entry)} ${name}`;
      compared.push(label);
      const was = landing(a, sample);
      const now = landing(b, sample);
      if (was !== now) differences.push(`${label}: ${was} before, ${now} after`);
    }
  }
  for (const track of new Set([...a.tracks, ...b.tracks].map((t) => t.track))) {
    const x = a.tracks.find((t) => t.track === track);
    const y = b.tracks.find((t) => t.track === track);
    if (x && y && x.images.join() !== y.images.join()) differences.push(`${track} runs ${x.images.join(', ')} before, ${y.images.join(', ')} after`);
    if (x && y && x.pods !== y.pods) differences.push(`${track} has ${x.pods} pods before, ${y.pods} after`);
  }
  return { before: a, after: b, entries: entries.map(entryKey), compared, differences, notCompared: [...new Set(notCompared)] };
}

/** Where a request lands: the first route that takes it, as shares per track. */
function landing(c: CanaryReport, request: SampleRequest): string {
  const route = c.routes.find((r) => takes(r.when, request));
  if (!route) return 'no route (404)';
  const parts = c.tracks.map((t, j) => ({ track: t.track, share: route.shares[j] })).filter((p) => p.share.n > 0);
  return parts.length === 0 ? 'no track (fails)' : parts.map((p) => `${p.track} ${pct(p.share)}`).join(', ');
}

/** A sample request in words: what it carries beyond the plain request at the entry. */
function describe(request: SampleRequest, base: SampleRequest): string {
  const parts = [
    ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`),
    ...Object.entries(request.query).map(([k, v]) => `?${k}=${v}`),
    ...(request.path !== base.path ? [`path ${request.path}`] : []),
    ...(request.method !== base.method ? [`method ${request.method}`] : []),
  ];
  return parts.length === 0 ? '(a request with none of the conditions)' : `(${parts.join(', ')})`;
}

import { INT32_MAX } from './validate';

/**
 * Pure traffic arithmetic, shared by the strategies and property-tested on its own.
 * Weights are integer percents of ordinary (non-targeted) requests sent to the canary.
 */

/** Greatest common divisor of two non-negative integers. */
export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The smallest pod count that splits `weight` % exactly: 100 / gcd(weight, 100). */
export function smallestExactTotal(weight: number): number {
  return weight === 0 || weight === 100 ? 1 : 100 / gcd(weight, 100);
}

/** The smallest pod count ≥ `atLeast` that splits `weight` % exactly. */
export function exactTotalAtLeast(weight: number, atLeast: number): number {
  const step = smallestExactTotal(weight);
  return Math.max(1, Math.ceil(atLeast / step)) * step;
}

/** Canary pods for an exact split of `total` pods, or undefined when `weight` % of it is not whole. */
export function exactCanaryReplicas(total: number, weight: number): number | undefined {
  const scaled = total * weight;
  return scaled % 100 === 0 ? scaled / 100 : undefined;
}

/** The weight realised by a replica split, in percent (not necessarily an integer). */
export function replicaWeight(stable: number, canary: number): number {
  return stable + canary === 0 ? 0 : (100 * canary) / (stable + canary);
}

/**
 * Canary pods nearest to `weight` % of `total`, keeping at least one pod on each track while
 * 0 < weight < 100, so rounding never silently removes a track the user asked traffic for.
 * Needs total ≥ 2 in that case.
 */
export function nearestCanaryReplicas(total: number, weight: number): number {
  const nearest = Math.round((total * weight) / 100);
  if (weight > 0 && weight < 100) return Math.min(total - 1, Math.max(1, nearest));
  return nearest;
}

/** The canary pod counts either side of `weight` % of `total` (one when exact). */
export function neighbourCanaryReplicas(total: number, weight: number): number[] {
  const low = Math.floor((total * weight) / 100);
  const high = Math.ceil((total * weight) / 100);
  return low === high ? [low] : [low, high];
}

/** A weight for messages and docs: integers as is, others to two decimals (33.33). */
export function formatWeight(weight: number): string {
  return Number.isInteger(weight) ? String(weight) : weight.toFixed(2);
}

/** Route weights of a two-way split: stable 100 − weight, canary weight (they sum to 100). */
export interface RouteWeights {
  readonly stable: number;
  readonly canary: number;
}

/** The stable/canary weights of a route sending `weight` % to the canary. */
export function routeWeights(weight: number): RouteWeights {
  return { stable: 100 - weight, canary: weight };
}

/** One target of a weighted route and the percent of the route's requests it gets. */
export interface WeightedTarget<T> {
  readonly target: T;
  readonly weight: number;
}

/**
 * The weighted targets of a route sending `weight` % to the canary: stable alone at 100 in steady
 * state, else stable 100 − weight and canary weight, both always listed so they sum to 100 and
 * every step of a rollout is a one-number diff.
 */
export function weightedTargets<T>(weight: number, stable: T, canary: T | undefined): WeightedTarget<T>[] {
  if (canary === undefined) return [{ target: stable, weight: 100 }];
  const weights = routeWeights(weight);
  return [{ target: stable, weight: weights.stable }, { target: canary, weight: weights.canary }];
}

/**
 * `percent` / 100 as an exact reduced fraction of 32-bit integers (`12.5` → 1/8), or undefined
 * when it has more than 7 decimal places: a Gateway API mirror `fraction`, or the share of an
 * Istio percentage the report counts.
 */
export function exactPercentFraction(percent: number): { numerator: number; denominator: number } | undefined {
  // The shortest decimal that reads back as this number (`0.1`, `12.5`, `1e-7`) says how many places it has.
  const [mantissa, exponent = '0'] = String(percent).split('e');
  const decimals = Math.max(0, (mantissa.split('.')[1] ?? '').length - Number(exponent));
  if (decimals > 7) return undefined;
  let numerator = Math.round(percent * 10 ** decimals);
  let denominator = 100 * 10 ** decimals;
  const divisor = gcd(numerator, denominator);
  numerator /= divisor;
  denominator /= divisor;
  return denominator <= INT32_MAX ? { numerator, denominator } : undefined;
}

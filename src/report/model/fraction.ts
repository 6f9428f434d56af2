/**
 * Exact shares: `1/3`, never 33 %. Non-negative rationals in lowest terms. The arithmetic runs on
 * BigInt, so that sums of weighted shares never lose a digit; a result whose lowest terms do not
 * fit a JavaScript number exactly is refused with a FractionRangeError rather than rounded.
 */
export interface Fraction {
  readonly n: number;
  readonly d: number;
}

/** A share whose exact value does not fit in a JavaScript number. */
export class FractionRangeError extends RangeError {}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function reduce(n: bigint, d: bigint): Fraction {
  const g = gcd(n < 0n ? -n : n, d) || 1n;
  const [rn, rd] = [n / g, d / g];
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  if (rn > max || rn < -max || rd > max) throw new FractionRangeError(`the share ${rn}/${rd} is too fine to show exactly`);
  return { n: Number(rn), d: Number(rd) };
}

/** n/d in lowest terms (integers, d > 0). */
export function fraction(n: number, d: number): Fraction {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d <= 0) throw new FractionRangeError(`fraction ${n}/${d}: integers with a positive denominator only`);
  return reduce(BigInt(n), BigInt(d));
}

export const ZERO = fraction(0, 1);
export const ONE = fraction(1, 1);

export function add(a: Fraction, b: Fraction): Fraction {
  return reduce(BigInt(a.n) * BigInt(b.d) + BigInt(b.n) * BigInt(a.d), BigInt(a.d) * BigInt(b.d));
}

export function sub(a: Fraction, b: Fraction): Fraction {
  return reduce(BigInt(a.n) * BigInt(b.d) - BigInt(b.n) * BigInt(a.d), BigInt(a.d) * BigInt(b.d));
}

export function mul(a: Fraction, b: Fraction): Fraction {
  return reduce(BigInt(a.n) * BigInt(b.n), BigInt(a.d) * BigInt(b.d));
}

/** `1/3`, `1`, `0`. */
export function showFraction(f: Fraction): string {
  return f.d === 1 ? String(f.n) : `${f.n}/${f.d}`;
}

/** `33.33 %` (two decimals at most). */
export function showPercent(f: Fraction): string {
  return `${Number(((100 * f.n) / f.d).toFixed(2))} %`;
}

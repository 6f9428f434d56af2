/** Exact shares: `1/3`, never 33 %. Non-negative rationals in lowest terms. */
export interface Fraction {
  readonly n: number;
  readonly d: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** n/d in lowest terms (d > 0). */
export function fraction(n: number, d: number): Fraction {
  if (d <= 0) throw new Error(`fraction ${n}/${d}: the denominator must be positive`);
  const g = gcd(Math.abs(n), d) || 1;
  return { n: n / g, d: d / g };
}

export const ZERO = fraction(0, 1);
export const ONE = fraction(1, 1);

export function add(a: Fraction, b: Fraction): Fraction {
  return fraction(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function sub(a: Fraction, b: Fraction): Fraction {
  return fraction(a.n * b.d - b.n * a.d, a.d * b.d);
}

export function mul(a: Fraction, b: Fraction): Fraction {
  return fraction(a.n * b.n, a.d * b.d);
}

/** `1/3`, `1`, `0`. */
export function showFraction(f: Fraction): string {
  return f.d === 1 ? String(f.n) : `${f.n}/${f.d}`;
}

/** `33.33 %` (two decimals at most). */
export function showPercent(f: Fraction): string {
  return `${Number(((100 * f.n) / f.d).toFixed(2))} %`;
}

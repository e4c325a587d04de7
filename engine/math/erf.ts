import { exp } from './exp';

/**
 * erf and erfc, which JavaScript's Math lacks, accurate to a few ulps in float64 (gelu must match
 * PyTorch to 1e-10, so a 1e-7 polynomial approximation will not do).
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/**
 * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)).
 * Every term is positive, so there is no cancellation; it needs about 2x² + 40 terms, fine for |x| ≤ 2.
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * exp(-x2) * sum;
}

/** erfc(x) for x ≥ 2 by its continued fraction, evaluated from the tail: e^(−x²)/√π / (x + ½/(x + 1/(x + 3/2/(x + …)))). */
function erfcContinuedFraction(x: number): number {
  let f = x;
  for (let n = 90; n >= 1; n--) f = x + n / 2 / f;
  return (ONE_OVER_SQRT_PI * exp(-x * x)) / f;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax <= 2) return x < 0 ? -erfSeries(ax) : erfSeries(ax);
  if (ax >= 6) return x < 0 ? -1 : 1;
  const r = 1 - erfcContinuedFraction(ax);
  return x < 0 ? -r : r;
}

/** 1 − erf(x), without the cancellation of computing it that way for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 2) return 1 - erf(x);
  if (x > 27.3) return 0; // below the smallest subnormal
  return erfcContinuedFraction(x);
}

import { expm1 } from './expm1';

/**
 * tanh, fdlibm's s_tanh.c: for |x| < 1, −t/(t + 2) with t = expm1(−2|x|); for 1 ≤ |x| < 22,
 * 1 − 2/(t + 2) with t = expm1(2|x|); ±1 beyond (tanh(22) is 1 to 63 bits). Error < 1 ulp.
 * fdlibm's tests on the high word of x are written as the equivalent comparisons of |x|.
 */
export function tanh(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < Infinity)) return x > 0 ? 1 : x < 0 ? -1 : x; // ±1 for ±inf, NaN for NaN
  let z: number;
  if (ax < 22) {
    if (ax < 3.725290298461914e-9) return x; // |x| < 2⁻²⁸ (and ±0)
    if (ax >= 1) {
      const t = expm1(2 * ax);
      z = 1 - 2 / (t + 2);
    } else {
      const t = expm1(-2 * ax);
      z = -t / (t + 2);
    }
  } else {
    z = 1;
  }
  return x > 0 ? z : -z;
}

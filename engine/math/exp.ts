import { twoTo } from './powers-of-two';

/**
 * eˣ, fdlibm's e_exp.c: x = k·ln2 + r with |r| ≤ ½ln2 (r kept as hi − lo), then
 * eʳ = 1 + r + r·R(r)/(2 − R(r)) with a degree-5 Remez polynomial, scaled by 2ᵏ. Error < 1 ulp.
 * fdlibm's tests on the high word of x are written as the equivalent comparisons of |x|.
 */
export function exp(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 709.7822265625)) {
    // |x| ≥ 709.78… (high word 0x40862E42), inf or NaN
    if (x !== x) return x;
    if (x > 7.09782712893383973096e2) return Infinity;
    if (x < -7.45133219101941108420e2) return 0;
  }

  let hi = 0;
  let lo = 0;
  let k = 0;
  if (ax >= 0.3465735912322998) {
    // |x| > ½ln2 (high word above 0x3FD62E42)
    if (ax < 1.0397205352783203) {
      // and |x| < 1.5 ln2 (high word below 0x3FF0A2B2)
      if (x === 1) return 2.718281828459045; // the general path is off by one in the last bit here
      if (x < 0) {
        hi = x + 6.93147180369123816490e-1;
        lo = -1.90821492927058770002e-10;
        k = -1;
      } else {
        hi = x - 6.93147180369123816490e-1;
        lo = 1.90821492927058770002e-10;
        k = 1;
      }
    } else {
      k = (1.44269504088896338700 * x + (x < 0 ? -0.5 : 0.5)) | 0;
      hi = x - k * 6.93147180369123816490e-1; // exact: ln2's head has 32 trailing zero bits
      lo = k * 1.90821492927058770002e-10;
    }
    x = hi - lo;
  } else if (ax < 3.725290298461914e-9) {
    // |x| < 2⁻²⁸
    return 1 + x;
  }

  const t = x * x;
  const c =
    x -
    t *
      (1.66666666666666019037e-1 +
        t * (-2.77777777770155933842e-3 + t * (6.61375632143793436117e-5 + t * (-1.65339022054652515390e-6 + t * 4.13813679705723846039e-8))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) return k === 1024 ? y * 2 * 8.98846567431158e307 : y * twoTo(k);
  return y * twoTo(k + 1000) * 9.33263618503218878990e-302; // · 2⁻¹⁰⁰⁰
}

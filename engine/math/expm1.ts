import { twoTo } from './powers-of-two';

/**
 * eˣ − 1, accurate for small x where exp(x) − 1 cancels (tanh is built on it), fdlibm's
 * s_expm1.c: x = k·ln2 + r + c (c corrects the rounding of r), expm1(r) by a rational function
 * of r² with a degree-5 Remez polynomial, then 2ᵏ·(expm1(r) + 1) − 1 arranged per k so that
 * nothing cancels. Error < 1 ulp. fdlibm's tests on the high word of x are written as the
 * equivalent comparisons of |x|.
 */
export function expm1(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 38.81622314453125)) {
    // |x| ≥ 56·ln2 (high word 0x4043687A), inf or NaN
    if (x !== x) return x;
    if (x > 7.09782712893383973096e2) return Infinity; // and +inf
    if (x < 0) return -1; // eˣ is below half an ulp of 1
  }

  let k = 0;
  let c = 0;
  if (ax >= 0.3465735912322998) {
    // |x| > ½ln2 (high word above 0x3FD62E42)
    let hi: number;
    let lo: number;
    if (ax < 1.0397205352783203) {
      // and |x| < 1.5 ln2 (high word below 0x3FF0A2B2)
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
    c = hi - x - lo;
  } else if (ax < 5.551115123125783e-17) {
    // |x| < 2⁻⁵⁴
    return x;
  }

  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 =
    1 +
    hxs *
      (-3.33333333333331316428e-2 +
        hxs * (1.58730158725481460165e-3 + hxs * (-7.93650757867487942473e-5 + hxs * (4.00821782732936239552e-6 + hxs * -2.01099218183624371326e-7))));
  const t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) {
    if (x < -0.25) return -2 * (e - (x + 0.5));
    return 1 + 2 * (x - e);
  }
  if (k <= -2 || k > 56) {
    // exp(x) − 1 is close enough
    const y = 1 - (e - x);
    return (k === 1024 ? y * 2 * 8.98846567431158e307 : y * twoTo(k)) - 1;
  }
  if (k < 20) return (1 - twoTo(-k) - (e - x)) * twoTo(k); // 1 − 2⁻ᵏ is exact
  return (x - (e + twoTo(-k)) + 1) * twoTo(k);
}

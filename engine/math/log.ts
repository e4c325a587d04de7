import { highWord, lowWord, withHighWord } from './bits';

/**
 * The natural logarithm, fdlibm's e_log.c: x = 2ᵏ·(1 + f) with √2/2 < 1 + f < √2, then
 * log(1 + f) = f − s·(f − R) or f − (f²/2 − s·(f²/2 + R)), s = f/(2 + f), R a degree-14
 * polynomial in s; plus k·ln2 in two parts. Error < 1 ulp.
 */
export function log(x: number): number {
  let hx = highWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2⁻¹⁰²², zero, negative or subnormal
    if (((hx & 0x7fffffff) | lowWord(x)) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= 1.80143985094819840000e16; // 2⁵⁴: a subnormal scaled up
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalise x or x/2
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // −2⁻²⁰ ≤ f < 2⁻²⁰
    if (f === 0) return k === 0 ? 0 : k * 6.93147180369123816490e-1 + k * 1.90821492927058770002e-10;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    if (k === 0) return f - r;
    return k * 6.93147180369123816490e-1 - (r - k * 1.90821492927058770002e-10 - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (3.999999999940941908e-1 + w * (2.222219843214978396e-1 + w * 1.531383769920937332e-1));
  const t2 = z * (6.666666666666735130e-1 + w * (2.857142874366239149e-1 + w * (1.818357216161805012e-1 + w * 1.479819860511658591e-1)));
  i |= j;
  const r = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + r));
    return k * 6.93147180369123816490e-1 - (hfsq - (s * (hfsq + r) + k * 1.90821492927058770002e-10) - f);
  }
  if (k === 0) return f - s * (f - r);
  return k * 6.93147180369123816490e-1 - (s * (f - r) - k * 1.90821492927058770002e-10 - f);
}

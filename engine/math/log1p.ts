import { highWord, withHighWord } from './bits';

/**
 * log(1 + x), accurate where 1 + x would round away x's digits (softplus, the stable BCE),
 * fdlibm's s_log1p.c: 1 + x = 2ᵏ·(1 + f) with a correction c for the rounding of 1 + x, then
 * log(1 + f) as in log. Error < 1 ulp.
 */
export function log1p(x: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (hx < 0x3fda827a) {
    // 1 + x < √2
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN; // x ≤ −1
    if (ax < 0x3e200000) {
      // |x| < 2⁻²⁹
      if (ax < 0x3c900000) return x; // |x| < 2⁻⁵⁴
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // −0.2929 < x < 0.41422: f = x exactly
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // what rounding 1 + x lost
      c /= u;
    } else {
      u = x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHighWord(u, hu | 0x3ff00000); // normalise u
    } else {
      k += 1;
      u = withHighWord(u, hu | 0x3fe00000); // normalise u/2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2⁻²⁰
    if (f === 0) {
      if (k === 0) return 0;
      c += k * 1.90821492927058770002e-10;
      return k * 6.93147180369123816490e-1 + c;
    }
    const r = hfsq * (1 - 0.66666666666666666 * f);
    if (k === 0) return f - r;
    return k * 6.93147180369123816490e-1 - (r - (k * 1.90821492927058770002e-10 + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const r =
    z *
    (6.666666666666735130e-1 +
      z *
        (3.999999999940941908e-1 +
          z * (2.857142874366239149e-1 + z * (2.222219843214978396e-1 + z * (1.818357216161805012e-1 + z * (1.531383769920937332e-1 + z * 1.479819860511658591e-1))))));
  if (k === 0) return f - (hfsq - s * (hfsq + r));
  return k * 6.93147180369123816490e-1 - (hfsq - (s * (hfsq + r) + (k * 1.90821492927058770002e-10 + c)) - f);
}

import { fromWords, highWord, lowWord, scalbn, withHighWord, withLowWord } from './bits';

/**
 * xʸ with JavaScript's special cases (1 ** NaN and (±1) ** ±Infinity are NaN), fdlibm's e_pow.c:
 * log₂|x| in extra precision as t₁ + t₂ (t₁ with 29 trailing zero bits), y·log₂|x| = n + y′ by
 * splitting y the same way, then 2ⁿ·2^y′. Error < 1 ulp; exact for integer powers that fit.
 */
export function pow(x: number, y: number): number {
  const hx = highWord(x);
  const lx = lowWord(x);
  const hy = highWord(y);
  const ly = lowWord(y);
  const ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;

  if ((iy | ly) === 0) return 1; // x ** ±0
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0)) return x + y; // NaN

  // For negative x: is y an odd integer (1), an even one (2), or not an integer (0)?
  let yIsInt = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) yIsInt = 2; // |y| ≥ 2⁵³: even
    else if (iy >= 0x3ff00000) {
      const e = (iy >> 20) - 0x3ff;
      if (e > 20) {
        const j = ly >>> (52 - e);
        if (j << (52 - e) === ly) yIsInt = 2 - (j & 1);
      } else if (ly === 0) {
        const j = iy >> (20 - e);
        if (j << (20 - e) === iy) yIsInt = 2 - (j & 1);
      }
    }
  }

  if (ly === 0) {
    if (iy === 0x7ff00000) {
      // y = ±inf
      if (((ix - 0x3ff00000) | lx) === 0) return NaN; // (±1) ** ±inf
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0; // |x| > 1
      return hy < 0 ? -y : 0; // |x| < 1
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x; // y = ±1
    if (hy === 0x40000000) return x * x; // y = 2
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x); // y = ½, x ≥ +0
  }

  let ax = Math.abs(x);
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    // x = ±0, ±inf, ±1
    let z = hy < 0 ? 1 / ax : ax;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yIsInt) === 0) z = NaN; // (−1) ** non-integer
      else if (yIsInt === 1) z = -z;
    }
    return z;
  }

  let n = (hx >> 31) + 1; // 0 for negative x
  if ((n | yIsInt) === 0) return NaN; // negative ** non-integer
  const sign = (n | (yIsInt - 1)) === 0 ? -1 : 1; // negative ** odd integer

  let t1: number;
  let t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2³¹
    if (iy > 0x43f00000) {
      // |y| > 2⁶⁴: over- or underflows
      if (ix <= 0x3fefffff) return hy < 0 ? Infinity : 0;
      if (ix >= 0x3ff00000) return hy > 0 ? Infinity : 0;
    }
    if (ix < 0x3fefffff) return hy < 0 ? sign * Infinity : sign * 0;
    if (ix > 0x3ff00000) return hy > 0 ? sign * Infinity : sign * 0;
    // |1 − x| ≤ 2⁻²⁰: log(x) by its series x − x²/2 + x³/3 − x⁴/4
    const t = ax - 1;
    const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = 1.44269502162933349609 * t; // 1/ln2 to 24 bits
    const v = t * 1.92596299112661746887e-8 - w * 1.44269504088896338700;
    t1 = withLowWord(u + v, 0);
    t2 = v - (t1 - u);
  } else {
    n = 0;
    let hax = ix;
    if (hax < 0x00100000) {
      // subnormal x
      ax *= 9007199254740992; // 2⁵³
      n -= 53;
      hax = highWord(ax);
    }
    n += (hax >> 20) - 0x3ff;
    const j = hax & 0x000fffff;
    hax = j | 0x3ff00000; // the mantissa in [1, 2)
    let k = 0;
    if (j <= 0x3988e) k = 0; // < √(3/2)
    else if (j < 0xbb67a) k = 1; // < √3
    else {
      n += 1;
      hax -= 0x00100000;
    }
    ax = withHighWord(ax, hax);
    const bp = k === 0 ? 1 : 1.5;
    const dpHigh = k === 0 ? 0 : 5.84962487220764160156e-1; // log₂(1.5), head
    const dpLow = k === 0 ? 0 : 1.35003920212974897128e-8; // and tail

    // ss = sHigh + sLow = (ax − bp)/(ax + bp)
    let u = ax - bp;
    let v = 1 / (ax + bp);
    const ss = u * v;
    const sHigh = withLowWord(ss, 0);
    let tHigh = fromWords(((hax >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0); // ax + bp, head
    let tLow = ax - (tHigh - bp);
    const sLow = v * (u - sHigh * tHigh - sHigh * tLow);
    // log(ax)
    let s2 = ss * ss;
    let r =
      s2 *
      s2 *
      (5.99999999999994648725e-1 +
        s2 * (4.28571428578550184252e-1 + s2 * (3.33333329818377432918e-1 + s2 * (2.72728123808534006489e-1 + s2 * (2.30660745775561754067e-1 + s2 * 2.06975017800338417784e-1)))));
    r += sLow * (sHigh + ss);
    s2 = sHigh * sHigh;
    tHigh = withLowWord(3 + s2 + r, 0);
    tLow = r - (tHigh - 3 - s2);
    // u + v = ss·(1 + …)
    u = sHigh * tHigh;
    v = sLow * tHigh + tLow * ss;
    // 2/(3·ln2)·(ss + …)
    const pHigh = withLowWord(u + v, 0);
    const pLow = v - (pHigh - u);
    const zHigh = 9.61796700954437255859e-1 * pHigh;
    const zLow = -7.02846165095275826516e-9 * pHigh + pLow * 9.61796693925975554329e-1 + dpLow;
    // log₂(ax) = n + dpHigh + zHigh + zLow
    t1 = withLowWord(zHigh + zLow + dpHigh + n, 0);
    t2 = zLow - (t1 - n - dpHigh - zHigh);
  }

  // (y₁ + y₂)·(t₁ + t₂), y₁ the head of y
  const y1 = withLowWord(y, 0);
  const pLow = (y - y1) * t1 + y * t2;
  let pHigh = y1 * t1;
  let z = pLow + pHigh;
  let j = highWord(z);
  const i = lowWord(z);
  if (j >= 0x40900000) {
    // z ≥ 1024
    if (((j - 0x40900000) | i) !== 0) return sign * Infinity;
    if (pLow + 8.0085662595372944372e-17 > z - pHigh) return sign * Infinity;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    // z ≤ −1075
    if (((j - 0xc090cc00) | i) !== 0) return sign * 0;
    if (pLow <= z - pHigh) return sign * 0;
  }

  // 2^(pHigh + pLow): split off the integer n nearest to z first
  const iz = j & 0x7fffffff;
  let k = (iz >> 20) - 0x3ff;
  n = 0;
  if (iz > 0x3fe00000) {
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const t = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pHigh -= t;
  }
  let t = withLowWord(pLow + pHigh, 0);
  const u = t * 6.93147182464599609375e-1; // ln2, head
  const v = (pLow - (t - pHigh)) * 6.93147180559945286227e-1 + t * -1.90465429995776804525e-9;
  z = u + v;
  const w = v - (z - u);
  t = z * z;
  t1 = z - t * (1.66666666666666019037e-1 + t * (-2.77777777770155933842e-3 + t * (6.61375632143793436117e-5 + t * (-1.65339022054652515390e-6 + t * 4.13813679705723846039e-8))));
  const r = (z * t1) / (t1 - 2 - (w + z * w));
  z = 1 - (r - z);
  j = (highWord(z) + (n << 20)) | 0;
  z = j >> 20 <= 0 ? scalbn(z, n) : withHighWord(z, j); // subnormal results rounded once by scalbn
  return sign * z;
}

import { fromWords, highWord, lowWord } from './bits';
import { remPio2Large } from './rem-pio2-large';

/**
 * Argument reduction for sin and cos, fdlibm's e_rem_pio2.c: x − n·π/2 = y₀ + y₁ with
 * |y₀ + y₁| ≤ π/4, computed with π/2 in 33-bit pieces (as many as cancellation needs) for
 * |x| ≤ 2¹⁹·π/2, and with 2/π to 1584 bits (remPio2Large) beyond.
 */

/** y₀ and y₁ of the last remPio2 call (a shared buffer: no allocation per call). */
export const reduced = new Float64Array(2);

/** The high words of n·π/2 for n = 1…32: arguments this close to a multiple need more pieces of π/2. */
const NEAR_MULTIPLE = Int32Array.from([
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb, 0x402c463a, 0x402f6a7a, 0x4031475c,
  0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb, 0x403ab41b, 0x403c463a, 0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c,
  0x4042106c, 0x4042d97c, 0x4043a28c, 0x40446b9c, 0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
]);

const PIO2_1 = 1.57079632673412561417; // first 33 bits of π/2
const PIO2_1T = 6.07710050650619224932e-11; // π/2 − PIO2_1
const PIO2_2 = 6.07710050630396597660e-11; // next 33 bits
const PIO2_2T = 2.02226624879595063154e-21; // π/2 − (PIO2_1 + PIO2_2)
const PIO2_3 = 2.02226624871116645580e-21; // next 33 bits
const PIO2_3T = 8.47842766036889956997e-32; // π/2 − (PIO2_1 + PIO2_2 + PIO2_3)

/** n (the quadrant is n mod 4), with x − n·π/2 left in `reduced`. x must be finite; NaN and ±inf give NaN. */
export function remPio2(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) {
    // |x| ≤ π/4: nothing to reduce
    reduced[0] = x;
    reduced[1] = 0;
    return 0;
  }
  if (ix < 0x4002d97c) {
    // |x| < 3π/4: n = ±1
    if (hx > 0) {
      let z = x - PIO2_1;
      if (ix !== 0x3ff921fb) {
        reduced[0] = z - PIO2_1T;
        reduced[1] = z - reduced[0] - PIO2_1T;
      } else {
        // near π/2: 33 + 33 + 53 bits of π/2
        z -= PIO2_2;
        reduced[0] = z - PIO2_2T;
        reduced[1] = z - reduced[0] - PIO2_2T;
      }
      return 1;
    }
    let z = x + PIO2_1;
    if (ix !== 0x3ff921fb) {
      reduced[0] = z + PIO2_1T;
      reduced[1] = z - reduced[0] + PIO2_1T;
    } else {
      z += PIO2_2;
      reduced[0] = z + PIO2_2T;
      reduced[1] = z - reduced[0] + PIO2_2T;
    }
    return -1;
  }
  if (ix <= 0x413921fb) {
    // |x| ≤ 2¹⁹·π/2: medium size
    const t = Math.abs(x);
    const n = (t * 6.36619772367581382433e-1 + 0.5) | 0; // 2/π
    const fn = n;
    let r = t - fn * PIO2_1;
    let w = fn * PIO2_1T; // the first round is good to 85 bits
    let y0: number;
    if (n < 32 && ix !== NEAR_MULTIPLE[n - 1]) {
      y0 = r - w; // no cancellation
    } else {
      const j = ix >> 20;
      y0 = r - w;
      let i = j - ((highWord(y0) >> 20) & 0x7ff);
      if (i > 16) {
        // a second round, good to 118 bits
        let u = r;
        w = fn * PIO2_2;
        r = u - w;
        w = fn * PIO2_2T - (u - r - w);
        y0 = r - w;
        i = j - ((highWord(y0) >> 20) & 0x7ff);
        if (i > 49) {
          // a third, 151 bits: enough for every double
          u = r;
          w = fn * PIO2_3;
          r = u - w;
          w = fn * PIO2_3T - (u - r - w);
          y0 = r - w;
        }
      }
    }
    const y1 = r - y0 - w;
    if (hx < 0) {
      reduced[0] = -y0;
      reduced[1] = -y1;
      return -n;
    }
    reduced[0] = y0;
    reduced[1] = y1;
    return n;
  }
  if (ix >= 0x7ff00000) {
    // inf or NaN
    reduced[0] = reduced[1] = x - x;
    return 0;
  }
  // z = |x| scaled to [2²³, 2²⁴), split into three 24-bit integers for remPio2Large.
  const e0 = (ix >> 20) - 1046; // ilogb(x) − 23
  let z = fromWords(ix - (e0 << 20), lowWord(x));
  const pieces = scratch;
  for (let i = 0; i < 2; i++) {
    pieces[i] = z | 0;
    z = (z - pieces[i]) * 1.67772160000000000000e7; // 2²⁴
  }
  pieces[2] = z;
  let count = 3;
  while (pieces[count - 1] === 0) count--;
  const n = remPio2Large(pieces, reduced, e0, count);
  if (hx < 0) {
    reduced[0] = -reduced[0];
    reduced[1] = -reduced[1];
    return -n;
  }
  return n;
}

const scratch = new Float64Array(3);

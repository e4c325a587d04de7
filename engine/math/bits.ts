/**
 * The two 32-bit halves of a float64, read and written through one shared 8-byte buffer, for the
 * fdlibm-style functions of this folder (which branch on exponent bits and clear low words).
 * The word order of a typed array follows the machine's byte order, so it is found once here.
 */

const float = new Float64Array(1);
const words = new Int32Array(float.buffer);

float[0] = 1; // 0x3FF00000_00000000: the high word is the non-zero one
const HIGH = words[1] === 0x3ff00000 ? 1 : 0;
const LOW = 1 - HIGH;

/** The sign, exponent and top 20 mantissa bits of x, as a signed 32-bit integer. */
export function highWord(x: number): number {
  float[0] = x;
  return words[HIGH];
}

/** The low 32 mantissa bits of x, as a signed 32-bit integer. */
export function lowWord(x: number): number {
  float[0] = x;
  return words[LOW];
}

/** The float64 whose high and low words are these (each taken modulo 2³²). */
export function fromWords(high: number, low: number): number {
  words[HIGH] = high;
  words[LOW] = low;
  return float[0];
}

/** x with its high word replaced. */
export function withHighWord(x: number, high: number): number {
  float[0] = x;
  words[HIGH] = high;
  return float[0];
}

/** x with its low word replaced (withLowWord(x, 0) keeps x's top 21 mantissa bits: a "head" of x). */
export function withLowWord(x: number, low: number): number {
  float[0] = x;
  words[LOW] = low;
  return float[0];
}

/** x · 2ⁿ for any integer n, rounded once (to a subnormal when it must be), as C's scalbn. */
export function scalbn(x: number, n: number): number {
  let y = x;
  if (n > 1023) {
    y *= 8.98846567431158e307; // 2^1023
    n -= 1023;
    if (n > 1023) {
      y *= 8.98846567431158e307;
      n -= 1023;
      if (n > 1023) n = 1023;
    }
  } else if (n < -1022) {
    // Steps of 2^-969 (2^-1022 · 2^53) leave a final n below -53, so only the last product rounds.
    y *= 2.004168360008973e-292; // 2^-969
    n += 969;
    if (n < -1022) {
      y *= 2.004168360008973e-292;
      n += 969;
      if (n < -1022) n = -1022;
    }
  }
  return y * fromWords((0x3ff + n) << 20, 0);
}

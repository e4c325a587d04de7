// Inputs for engine/math's functions, per function: every special value, the thresholds where
// fdlibm changes method, and seeded random arguments over each function's ranges (uniform over a
// range, and over the bit patterns of a range of exponents, down to subnormals). Shared by the
// accuracy test (against Node's Math.*) and the test that runs the functions in Chromium.
import { Rng } from '../../engine';

export type UnaryName = 'exp' | 'expm1' | 'log' | 'log1p' | 'sin' | 'cos' | 'tanh' | 'erf' | 'erfc';
export type MathName = UnaryName | 'pow';

export interface MathCase {
  name: MathName;
  /** pow takes (x, y) pairs, stored one after the other. */
  arity: 1 | 2;
  inputs: Float64Array;
}

const SPECIAL = [NaN, 0, -0, Infinity, -Infinity, 5e-324, -5e-324, 2.2250738585072014e-308, -2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 1, -1, 0.5, -0.5, 2, -2, 2 ** -28, 2 ** -54, 1 - 2 ** -53, 1 + 2 ** -52];

/** High words of |x| at which the fdlibm routines switch method, as float64 values (± and one ulp either side). */
const THRESHOLDS: Record<UnaryName, number[]> = {
  exp: [709.782712893384, 709.7822265625, -745.1332191019411, 0.34657359027997264, 1.0397205352783203, 3.725290298461914e-9, 1],
  expm1: [38.81622314453125, 709.782712893384, 0.34657359027997264, 1.0397205352783203, 5.551115123125783e-17, 0.25],
  log: [Math.SQRT2, Math.SQRT1_2, 1 + 2 ** -20, 1 - 2 ** -20],
  log1p: [-1, 0.41421356237309503, -0.2928932188134524, 2 ** -29, 2 ** 53, -0.999999],
  sin: [Math.PI / 4, (3 * Math.PI) / 4, Math.PI / 2, Math.PI, 2 ** 19 * (Math.PI / 2), 2 ** 20 * Math.PI, 1e22, 2 ** -27],
  cos: [Math.PI / 4, (3 * Math.PI) / 4, Math.PI / 2, Math.PI, 2 ** 19 * (Math.PI / 2), 2 ** 20 * Math.PI, 1e22, 0.3, 0.78125],
  tanh: [22, 1, 0.1732867956161499, 0.5198602676391602, 3.725290298461914e-9, 19.8, 7],
  erf: [2, 6, -2, -6],
  erfc: [2, 27.3, -2],
};

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The neighbouring float64s of x (x − 1 ulp, x, x + 1 ulp) for finite non-zero x. */
function neighbours(x: number): number[] {
  float[0] = x;
  const low = words[1 - HIGH];
  const out = [x];
  for (const step of [-1, 1]) {
    float[0] = x;
    words[1 - HIGH] = (low + step) >>> 0;
    out.push(float[0]);
  }
  return out;
}

/** A float64 with random mantissa bits and a binary exponent drawn uniformly from [minExp, maxExp]. */
function randomMagnitude(rng: Rng, minExp: number, maxExp: number): number {
  const e = minExp + rng.int(maxExp - minExp + 1);
  if (e < -1022) {
    // subnormal: mantissa bits only
    float[0] = 0;
    words[HIGH] = rng.nextUint32() & 0xfffff;
    words[1 - HIGH] = rng.nextUint32();
    return float[0] * 2 ** (e + 1022);
  }
  words[HIGH] = ((e + 1023) << 20) | (rng.nextUint32() & 0xfffff);
  words[1 - HIGH] = rng.nextUint32();
  return float[0];
}

/** The random arguments of one function: uniform draws over its working range and magnitude draws over all its exponents. */
function randomArgument(name: UnaryName, rng: Rng): number {
  const sign = rng.int(2) === 0 ? 1 : -1;
  const pick = rng.int(4);
  switch (name) {
    case 'exp':
      return pick === 0 ? sign * randomMagnitude(rng, -60, 9) : rng.uniform(-750, 750);
    case 'expm1':
      return pick === 0 ? sign * randomMagnitude(rng, -60, 9) : rng.uniform(-60, 720);
    case 'log':
      return pick === 0 ? rng.uniform(0.5, 2) : randomMagnitude(rng, -1074, 1023);
    case 'log1p':
      return pick === 0 ? rng.uniform(-1, 1) : pick === 1 ? -randomMagnitude(rng, -60, -1) : randomMagnitude(rng, -60, 1023);
    case 'sin':
    case 'cos':
      return pick === 0 ? rng.uniform(-10, 10) : pick === 1 ? rng.uniform(-2e6, 2e6) : pick === 2 ? rng.uniform(0, 2 * Math.PI) : sign * randomMagnitude(rng, -40, 1023);
    case 'tanh':
      return pick === 0 ? sign * randomMagnitude(rng, -40, 5) : rng.uniform(-25, 25);
    case 'erf':
    case 'erfc':
      return pick === 0 ? sign * randomMagnitude(rng, -30, 3) : rng.uniform(-7, 7);
  }
}

function unaryInputs(name: UnaryName, count: number, rng: Rng): Float64Array {
  const fixed = [...SPECIAL, ...THRESHOLDS[name].flatMap((t) => [...neighbours(t), ...neighbours(-t)])];
  const inputs = new Float64Array(fixed.length + count);
  inputs.set(fixed);
  for (let i = fixed.length; i < inputs.length; i++) inputs[i] = randomArgument(name, rng);
  return inputs;
}

/** (x, y) pairs: every pair of special values, integer powers of negative bases, and random pairs. */
function powInputs(count: number, rng: Rng): Float64Array {
  const specials = [...SPECIAL, 3, -3, 0.25, 10, 1e10, -1e10, 2 ** 53, 2 ** 64, 1023.5, -1075, 1e-10];
  const pairs: number[] = [];
  for (const x of specials) for (const y of specials) pairs.push(x, y);
  for (let i = 0; i < count; i++) {
    const pick = rng.int(4);
    const x = pick === 3 ? -rng.uniform(0, 10) : randomMagnitude(rng, pick === 0 ? -1074 : -20, pick === 0 ? 1023 : 20);
    const y = pick === 3 || pick === 1 ? rng.int(81) - 40 : pick === 0 ? rng.uniform(-2, 2) : rng.uniform(-60, 60);
    pairs.push(x, y);
  }
  return Float64Array.from(pairs);
}

export const UNARY_NAMES: readonly UnaryName[] = ['exp', 'expm1', 'log', 'log1p', 'sin', 'cos', 'tanh', 'erf', 'erfc'];

/** `count` random arguments per function (beyond the fixed ones), from `seed`. */
export function mathCases(count: number, seed = 2024): MathCase[] {
  const rng = new Rng(seed);
  return [
    ...UNARY_NAMES.map((name): MathCase => ({ name, arity: 1, inputs: unaryInputs(name, count, rng) })),
    { name: 'pow', arity: 2, inputs: powInputs(count, rng) },
  ];
}

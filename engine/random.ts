import { allocate, DEFAULT_DTYPE, type DType } from './dtype';
import * as math from './math';
import { sizeOf, type Shape } from './shape';
import { Tensor } from './tensor';

/**
 * Seeded pseudo-random numbers (xoshiro128**, state filled from the seed by splitmix32), so a
 * Gradient Lab run with the same seed draws the same weights and data everywhere.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Restarts the stream from `seed` (any finite number; its integer bits are used). */
  seed(seed: number): void {
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296)) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** Normal with the given mean and standard deviation (Box–Muller, both values of each pair used). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * math.log(u));
    this.spareNormal = r * math.sin(2 * Math.PI * v);
    return mean + std * r * math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** 0..n-1 in random order. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let defaultRng = new Rng(0);

/** Reseeds the generator used when no `rng` is passed (like torch.manual_seed). */
export function manualSeed(seed: number): void {
  defaultRng = new Rng(seed);
}

export function getDefaultRng(): Rng {
  return defaultRng;
}

export interface RandomOptions {
  rng?: Rng;
  dtype?: DType;
  requiresGrad?: boolean;
}

function fill(shape: Shape, options: RandomOptions, draw: (rng: Rng) => number): Tensor {
  const rng = options.rng ?? defaultRng;
  const data = allocate(options.dtype ?? DEFAULT_DTYPE, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return new Tensor(data, shape.slice(), options.requiresGrad ?? false);
}

/** Uniform values in [low, high). */
export function uniform(shape: Shape, low = 0, high = 1, options: RandomOptions = {}): Tensor {
  return fill(shape, options, (rng) => rng.uniform(low, high));
}

/** Uniform values in [0, 1), like torch.rand. */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  return uniform(shape, 0, 1, options);
}

/** Standard normal values, like torch.randn. */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  return fill(shape, options, (rng) => rng.normal());
}

/** Integers in [low, high) stored as floats (usable as class targets or embedding indices). */
export function randint(low: number, high: number, shape: Shape, options: RandomOptions = {}): Tensor {
  return fill(shape, options, (rng) => low + rng.int(high - low));
}

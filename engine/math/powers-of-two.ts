import { scalbn } from './bits';

/**
 * 2ᵏ for every k a float64 can hold (−1074 … 1023), looked up instead of assembled from bits:
 * writing two 32-bit words and reading them back as one float64 stalls the CPU's store
 * forwarding, a table load does not. exp, expm1 and tanh scale by it on every call.
 */
const TABLE = new Float64Array(1074 + 1024);
for (let k = -1074; k <= 1023; k++) TABLE[k + 1074] = scalbn(1, k);

/** 2ᵏ exactly, for an integer −1074 ≤ k ≤ 1023. */
export function twoTo(k: number): number {
  return TABLE[k + 1074];
}

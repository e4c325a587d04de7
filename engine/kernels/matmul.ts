import type { FloatArray } from '../dtype';
import { gemm } from './gemm';

/**
 * gemm for either float type. float32 operands are widened into reusable float64 scratch so the
 * kernel only ever sees Float64Array (one element type keeps it monomorphic, and float64 reads are
 * faster than float32 reads in JavaScript); float32 results are rounded on the way out.
 */

let scratchA: Float64Array = new Float64Array(0);
let scratchB: Float64Array = new Float64Array(0);
let scratchC: Float64Array = new Float64Array(0);

function grow(buffer: Float64Array, size: number): Float64Array {
  return buffer.length >= size ? buffer : new Float64Array(Math.max(size, buffer.length * 2));
}

export function matmulInto(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOffset: number,
  aRow: number,
  aCol: number,
  b: FloatArray,
  bOffset: number,
  bRow: number,
  bCol: number,
  c: FloatArray,
  cOffset: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  let a64: Float64Array;
  if (a instanceof Float64Array) {
    a64 = a;
  } else {
    const span = k === 0 ? 0 : (m - 1) * aRow + (k - 1) * aCol + 1;
    a64 = scratchA = grow(scratchA, span);
    for (let i = 0; i < span; i++) a64[i] = a[aOffset + i];
    aOffset = 0;
  }
  let b64: Float64Array;
  if (b instanceof Float64Array) {
    b64 = b;
  } else {
    const span = k === 0 ? 0 : (k - 1) * bRow + (n - 1) * bCol + 1;
    b64 = scratchB = grow(scratchB, span);
    for (let i = 0; i < span; i++) b64[i] = b[bOffset + i];
    bOffset = 0;
  }
  if (c instanceof Float64Array) {
    gemm(m, n, k, a64, aOffset, aRow, aCol, b64, bOffset, bRow, bCol, c, cOffset, accumulate);
    return;
  }
  const size = m * n;
  const c64 = (scratchC = grow(scratchC, size));
  gemm(m, n, k, a64, aOffset, aRow, aCol, b64, bOffset, bRow, bCol, c64, 0, false);
  if (accumulate) for (let i = 0; i < size; i++) c[cOffset + i] += c64[i];
  else for (let i = 0; i < size; i++) c[cOffset + i] = c64[i];
}

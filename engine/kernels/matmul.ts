import type { FloatArray } from '../dtype';
import { gemm32, gemm64 } from './gemm';

/**
 * gemm for any mix of float types. When all arrays have the same type the matching kernel runs
 * directly; a mix (float32 with float64, which promotes to float64) widens the float32 operands
 * into reusable float64 scratch first. `bias` (per output column) applies only when not accumulating.
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
  bias: FloatArray | null = null,
): void {
  if (m === 0 || n === 0) return;
  if (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array && !(bias instanceof Float64Array)) {
    gemm32(m, n, k, a, aOffset, aRow, aCol, b, bOffset, bRow, bCol, c, cOffset, accumulate, bias);
    return;
  }
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
  let bias64: Float64Array | null = null;
  if (bias instanceof Float64Array) {
    bias64 = bias;
  } else if (bias !== null) {
    bias64 = Float64Array.from(bias);
  }
  if (c instanceof Float64Array) {
    gemm64(m, n, k, a64, aOffset, aRow, aCol, b64, bOffset, bRow, bCol, c, cOffset, accumulate, bias64);
    return;
  }
  const size = m * n;
  const c64 = (scratchC = grow(scratchC, size));
  gemm64(m, n, k, a64, aOffset, aRow, aCol, b64, bOffset, bRow, bCol, c64, 0, false, bias64);
  if (accumulate) for (let i = 0; i < size; i++) c[cOffset + i] += c64[i];
  else for (let i = 0; i < size; i++) c[cOffset + i] = c64[i];
}

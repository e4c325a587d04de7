/** Element types a tensor can hold. float64 is the default; float32 matches PyTorch's float32 results. */
export type DType = 'float32' | 'float64';

/** The flat storage behind a tensor. */
export type FloatArray = Float32Array | Float64Array;

export const DEFAULT_DTYPE: DType = 'float64';

export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
}

export function dtypeOf(array: FloatArray): DType {
  return array instanceof Float32Array ? 'float32' : 'float64';
}

/** PyTorch's promotion between float types: mixing float32 with float64 gives float64. */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

/** Copies `values` into a new array of `dtype`, rounding to float32 where needed. */
export function fromValues(dtype: DType, values: ArrayLike<number>): FloatArray {
  const out = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

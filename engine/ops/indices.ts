import { formatShape, type Shape } from '../shape';
import { Tensor } from '../tensor';

/**
 * Integer positions (class targets, embedding rows). A Tensor holding whole numbers keeps its
 * shape; a plain or Int32 array is 1-D.
 */
export type Indices = Tensor | Int32Array | readonly number[];

export interface ResolvedIndices {
  values: Int32Array;
  shape: Shape;
}

export function resolveIndices(indices: Indices, bound: number, op: string): ResolvedIndices {
  const source: ArrayLike<number> = indices instanceof Tensor ? indices.data : indices;
  const shape = indices instanceof Tensor ? indices.shape : [source.length];
  const values = new Int32Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const v = source[i];
    if (!Number.isInteger(v) || v < 0 || v >= bound) {
      throw new RangeError(`${op}: index ${v} is out of range [0, ${bound}) (indices of shape ${formatShape(shape)})`);
    }
    values[i] = v;
  }
  return { values, shape };
}

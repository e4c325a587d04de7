import type { FloatArray } from '../dtype';
import { broadcastIndex, broadcastShapes, sameShape, sizeOf, type Shape } from '../shape';

/**
 * How two operands line up under NumPy broadcasting. `indexA[i]` / `indexB[i]` is the flat element
 * of each operand that output element i reads; null means the operand already has the output's shape.
 * The same maps send gradients back: summing over broadcast dims is `sink[index[i]] += grad[i]`,
 * so un-broadcasting lives in this one place.
 */
export interface BroadcastPlan {
  shape: number[];
  size: number;
  indexA: Int32Array | null;
  indexB: Int32Array | null;
}

const MAX_CACHED = 256;
const indexCache = new Map<string, Int32Array>();

function cachedIndex(inShape: Shape, outShape: Shape): Int32Array {
  const key = `${inShape.join(',')}>${outShape.join(',')}`;
  let index = indexCache.get(key);
  if (index === undefined) {
    if (indexCache.size >= MAX_CACHED) indexCache.clear();
    index = broadcastIndex(inShape, outShape);
    indexCache.set(key, index);
  }
  return index;
}

export function planBroadcast(a: Shape, b: Shape, op: string): BroadcastPlan {
  if (sameShape(a, b)) return { shape: a.slice(), size: sizeOf(a), indexA: null, indexB: null };
  const shape = broadcastShapes(a, b, op);
  return {
    shape,
    size: sizeOf(shape),
    indexA: sameShape(a, shape) ? null : cachedIndex(a, shape),
    indexB: sameShape(b, shape) ? null : cachedIndex(b, shape),
  };
}

/** sink (operand-shaped) += grad (output-shaped), summing over the dims the operand was broadcast along. */
export function accumulateInto(sink: FloatArray, grad: ArrayLike<number>, index: Int32Array | null): void {
  const n = grad.length;
  if (index === null) {
    for (let i = 0; i < n; i++) sink[i] += grad[i];
  } else {
    for (let i = 0; i < n; i++) sink[index[i]] += grad[i];
  }
}

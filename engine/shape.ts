/** Shape arithmetic shared by tensors and ops: sizes, strides, dims, broadcasting. */

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major (C order) strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Resolves a possibly negative dim against a rank, as PyTorch does; throws on out-of-range dims. */
export function normalizeDim(dim: number, rank: number, op = 'op'): number {
  const lo = rank === 0 ? -1 : -rank;
  const hi = rank === 0 ? 0 : rank - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new RangeError(`${op}: dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`);
  }
  return dim < 0 ? dim + Math.max(rank, 1) : dim;
}

/** NumPy broadcasting: align trailing dims; each pair must be equal or contain a 1. */
export function broadcastShapes(a: Shape, b: Shape, op = 'op'): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(size ${da} vs ${db} at dimension ${i})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For each element of the broadcast `outShape`, the flat index of the element of `inShape` it reads.
 * Used both to read broadcast operands and, in reverse, to sum gradients back to an operand's shape.
 */
export function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array {
  const rank = outShape.length;
  const offset = rank - inShape.length;
  const inStrides = stridesOf(inShape);
  // Stride of each output dim inside the input; 0 where the input is broadcast along it.
  const step = new Array<number>(rank).fill(0);
  for (let d = 0; d < inShape.length; d++) step[d + offset] = inShape[d] === 1 ? 0 : inStrides[d];
  return stridedIndex(outShape, step);
}

/**
 * For each element of `outShape` in row-major order, the flat input index reached by moving
 * `step[d]` input elements per step along output dim d (broadcasts, permutations, views).
 */
export function stridedIndex(outShape: Shape, step: readonly number[]): Int32Array {
  const rank = outShape.length;
  const total = sizeOf(outShape);
  const index = new Int32Array(total);
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < total; i++) {
    index[i] = at;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      at += step[d];
      if (counter[d] < outShape[d]) break;
      at -= step[d] * outShape[d];
      counter[d] = 0;
    }
  }
  return index;
}

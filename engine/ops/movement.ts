import { anyNeedsGrad, needsGrad, record } from '../autograd';
import { allocate, type FloatArray } from '../dtype';
import { formatShape, normalizeDim, sameShape, sizeOf, stridedIndex, stridesOf, type Shape } from '../shape';
import { Tensor } from '../tensor';

/**
 * Ops that move elements without computing on them: reshape, transpose/permute, cat/stack,
 * slice/select. Each backward moves the gradient back the same way.
 */

/** a.reshape(shape); one entry may be -1 (inferred). Shares storage with `a`. */
export function reshape(a: Tensor, shape: Shape): Tensor {
  const resolved = resolveShape(shape, a.size, a.shape);
  const result = new Tensor(a.data, resolved);
  if (!needsGrad(a)) return result;
  return record(result, 'reshape', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < s.length; i++) s[i] += g[i];
  });
}

function resolveShape(shape: Shape, size: number, from: Shape): number[] {
  const out = shape.slice();
  let infer = -1;
  let known = 1;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === -1) {
      if (infer >= 0) throw new RangeError('reshape: only one dimension can be inferred (-1)');
      infer = i;
    } else if (!Number.isInteger(out[i]) || out[i] < 0) {
      throw new RangeError(`reshape: invalid dimension ${out[i]} in ${formatShape(shape)}`);
    } else {
      known *= out[i];
    }
  }
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new RangeError(`reshape: shape ${formatShape(shape)} is invalid for input of size ${size}`);
    }
    out[infer] = size / known;
  } else if (known !== size) {
    throw new RangeError(`reshape: shape ${formatShape(shape)} is invalid for input of shape ${formatShape(from)} (size ${size})`);
  }
  return out;
}

/** Flattens dims startDim..endDim into one. */
export function flatten(a: Tensor, startDim = 0, endDim = -1): Tensor {
  if (a.ndim === 0) return reshape(a, [1]);
  const s = normalizeDim(startDim, a.ndim, 'flatten');
  const e = normalizeDim(endDim, a.ndim, 'flatten');
  const shape = [...a.shape.slice(0, s), sizeOf(a.shape.slice(s, e + 1)), ...a.shape.slice(e + 1)];
  return reshape(a, shape);
}

/** Inserts a dim of size 1 at `dim`. */
export function unsqueeze(a: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, a.ndim + 1, 'unsqueeze');
  const shape = a.shape.slice();
  shape.splice(d, 0, 1);
  return reshape(a, shape);
}

/** Removes `dim` if it has size 1 (or every size-1 dim when dim is omitted). */
export function squeeze(a: Tensor, dim?: number): Tensor {
  if (dim === undefined) return reshape(a, a.shape.filter((s) => s !== 1));
  const d = normalizeDim(dim, a.ndim, 'squeeze');
  if (a.ndim === 0 || a.shape[d] !== 1) return a;
  const shape = a.shape.slice();
  shape.splice(d, 1);
  return reshape(a, shape);
}

/** For each output element of a.permute(dims), the flat input index it reads. */
function permutationIndex(shape: Shape, dims: readonly number[]): Int32Array {
  const inStrides = stridesOf(shape);
  return stridedIndex(
    dims.map((d) => shape[d]),
    dims.map((d) => inStrides[d]),
  );
}

/** a.permute(dims): dims is a permutation of 0..ndim-1 (negatives allowed). Copies. */
export function permute(a: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== a.ndim) {
    throw new RangeError(`permute: ${dims.length} dims given for a tensor of shape ${formatShape(a.shape)}`);
  }
  const order = dims.map((d) => normalizeDim(d, a.ndim, 'permute'));
  if (new Set(order).size !== order.length) throw new RangeError(`permute: repeated dim in [${dims.join(', ')}]`);
  const outShape = order.map((d) => a.shape[d]);
  const index = permutationIndex(a.shape, order);
  const x = a.data;
  const n = a.size;
  const out = allocate(a.dtype, n);
  for (let i = 0; i < n; i++) out[i] = x[index[i]];
  const result = new Tensor(out, outShape);
  if (!needsGrad(a)) return result;
  return record(result, 'permute', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) s[index[i]] += g[i];
  });
}

/** a.transpose(dim0, dim1) (negative dims allowed). */
export function transpose(a: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const d0 = normalizeDim(dim0, a.ndim, 'transpose');
  const d1 = normalizeDim(dim1, a.ndim, 'transpose');
  const order = a.shape.map((_, i) => i);
  order[d0] = d1;
  order[d1] = d0;
  return permute(a, order);
}

/**
 * Joins blocks along a dim. Every input is seen as [outer, chunk_i]: input i contributes its
 * chunk_i contiguous values to each of the `outer` rows of the output.
 */
function joinBlocks(op: string, tensors: readonly Tensor[], outShape: number[], outer: number, chunks: number[]): Tensor {
  const dtype = tensors.some((t) => t.dtype === 'float64') ? 'float64' : 'float32';
  const rowLength = chunks.reduce((s, c) => s + c, 0);
  const out = allocate(dtype, outer * rowLength);
  let column = 0;
  for (let t = 0; t < tensors.length; t++) {
    const x = tensors[t].data;
    const chunk = chunks[t];
    for (let r = 0; r < outer; r++) {
      const src = r * chunk;
      const dst = r * rowLength + column;
      for (let c = 0; c < chunk; c++) out[dst + c] = x[src + c];
    }
    column += chunk;
  }
  const result = new Tensor(out, outShape);
  if (!anyNeedsGrad(tensors)) return result;
  return record(result, op, tensors.slice(), (g) => {
    let col = 0;
    for (let t = 0; t < tensors.length; t++) {
      const chunk = chunks[t];
      if (tensors[t].requiresGrad) {
        const s = tensors[t].gradSink();
        for (let r = 0; r < outer; r++) {
          const src = r * rowLength + col;
          const dst = r * chunk;
          for (let c = 0; c < chunk; c++) s[dst + c] += g[src + c];
        }
      }
      col += chunk;
    }
  });
}

/** torch.cat(tensors, dim): shapes must match except along dim. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError('cat: expected a non-empty list of tensors');
  const first = tensors[0];
  if (first.ndim === 0) throw new RangeError('cat: zero-dimensional tensors cannot be concatenated');
  const d = normalizeDim(dim, first.ndim, 'cat');
  const outer = sizeOf(first.shape.slice(0, d));
  const inner = sizeOf(first.shape.slice(d + 1));
  let total = 0;
  const chunks: number[] = [];
  for (const t of tensors) {
    const sameElsewhere = t.ndim === first.ndim && t.shape.every((s, i) => i === d || s === first.shape[i]);
    if (!sameElsewhere) {
      throw new RangeError(
        `cat: sizes of tensors must match except in dimension ${d}: got ${formatShape(first.shape)} and ${formatShape(t.shape)}`,
      );
    }
    total += t.shape[d];
    chunks.push(t.shape[d] * inner);
  }
  const outShape = first.shape.slice();
  outShape[d] = total;
  return joinBlocks('cat', tensors, outShape, outer, chunks);
}

/** torch.stack(tensors, dim): all shapes equal; a new dim of size tensors.length at `dim`. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError('stack: expected a non-empty list of tensors');
  const first = tensors[0];
  for (const t of tensors) {
    if (!sameShape(t.shape, first.shape)) {
      throw new RangeError(`stack: expects each tensor to be equal size, but got ${formatShape(first.shape)} and ${formatShape(t.shape)}`);
    }
  }
  const d = normalizeDim(dim, first.ndim + 1, 'stack');
  const outer = sizeOf(first.shape.slice(0, d));
  const inner = sizeOf(first.shape.slice(d));
  const outShape = first.shape.slice();
  outShape.splice(d, 0, tensors.length);
  return joinBlocks('stack', tensors, outShape, outer, tensors.map(() => inner));
}

/**
 * a[..., start:end:step] along `dim` with Python slice rules: null/undefined = omitted, negative
 * start/end count from the end, out-of-range bounds are clamped, step > 0.
 */
export function slice(a: Tensor, dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer, got ${step}`);
  const d = normalizeDim(dim, a.ndim, 'slice');
  const length = a.shape[d];
  const clampIndex = (v: number) => Math.min(Math.max(v < 0 ? v + length : v, 0), length);
  const from = start === null ? 0 : clampIndex(start);
  const to = end === null ? length : clampIndex(end);
  const count = to > from ? Math.ceil((to - from) / step) : 0;
  const outer = sizeOf(a.shape.slice(0, d));
  const inner = sizeOf(a.shape.slice(d + 1));
  const outShape = a.shape.slice();
  outShape[d] = count;
  const x = a.data;
  const out = allocate(a.dtype, outer * count * inner);
  forEachSlice(outer, count, inner, length, from, step, (dst, src) => {
    for (let c = 0; c < inner; c++) out[dst + c] = x[src + c];
  });
  const result = new Tensor(out, outShape);
  if (!needsGrad(a)) return result;
  return record(result, 'slice', [a], (g) => {
    const s = a.gradSink();
    forEachSlice(outer, count, inner, length, from, step, (dst, src) => {
      for (let c = 0; c < inner; c++) s[src + c] += g[dst + c];
    });
  });
}

/** Calls copy(outputOffset, inputOffset) for every contiguous run of `inner` elements a slice keeps. */
function forEachSlice(
  outer: number,
  count: number,
  inner: number,
  length: number,
  from: number,
  step: number,
  copy: (dst: number, src: number) => void,
): void {
  for (let r = 0; r < outer; r++) {
    for (let i = 0; i < count; i++) copy((r * count + i) * inner, (r * length + from + i * step) * inner);
  }
}

/** a[index] along `dim`, dropping that dim (x[t] of a sequence is select(x, 0, t)). */
export function select(a: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim(dim, a.ndim, 'select');
  const length = a.shape[d];
  if (!Number.isInteger(index) || index < -length || index >= length) {
    throw new RangeError(`select: index ${index} is out of bounds for dimension ${d} with size ${length}`);
  }
  const i = index < 0 ? index + length : index;
  const outShape = a.shape.slice();
  outShape.splice(d, 1);
  const inner = sizeOf(a.shape.slice(d + 1));
  let data: FloatArray;
  if (d === 0) {
    // Leading-dim rows are contiguous: share the storage.
    data = a.data.subarray(i * inner, (i + 1) * inner);
  } else {
    const outer = sizeOf(a.shape.slice(0, d));
    data = allocate(a.dtype, outer * inner);
    const x = a.data;
    for (let r = 0; r < outer; r++) for (let c = 0; c < inner; c++) data[r * inner + c] = x[(r * length + i) * inner + c];
  }
  const result = new Tensor(data, outShape);
  if (!needsGrad(a)) return result;
  const outer = sizeOf(a.shape.slice(0, d));
  return record(result, 'select', [a], (g) => {
    const s = a.gradSink();
    for (let r = 0; r < outer; r++) for (let c = 0; c < inner; c++) s[(r * length + i) * inner + c] += g[r * inner + c];
  });
}

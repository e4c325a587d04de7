import { needsGrad, record } from '../autograd';
import { allocate, promote, type FloatArray } from '../dtype';
import { matmulInto } from '../kernels/matmul';
import * as math from '../math';
import { acquire, acquireForOutput, release } from '../pool';
import { broadcastIndex, broadcastShapes, formatShape, sizeOf } from '../shape';
import { Tensor } from '../tensor';

/**
 * torch.matmul: 2-D @ 2-D, batched (N-D @ N-D with broadcast batch dims, e.g. 3-D @ 2-D), and
 * 1-D operands treated as a row (left) or column (right) vector whose dim is dropped from the result.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) throw new RangeError('matmul: both arguments need at least 1 dimension');
  const aShape = a.ndim === 1 ? [1, a.shape[0]] : a.shape.slice();
  const bShape = b.ndim === 1 ? [b.shape[0], 1] : b.shape.slice();
  const m = aShape[aShape.length - 2];
  const k = aShape[aShape.length - 1];
  const kb = bShape[bShape.length - 2];
  const n = bShape[bShape.length - 1];
  if (k !== kb) {
    throw new RangeError(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied (${m}x${k} and ${kb}x${n})`,
    );
  }
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch, 'matmul');
  const batchCount = sizeOf(batch);
  const aIndex = broadcastIndex(aBatch, batch);
  const bIndex = broadcastIndex(bBatch, batch);

  const outShape = [...batch];
  if (a.ndim > 1) outShape.push(m);
  if (b.ndim > 1) outShape.push(n);
  const out = allocate(promote(a.dtype, b.dtype), batchCount * m * n);
  const x = a.data;
  const y = b.data;
  for (let t = 0; t < batchCount; t++) {
    matmulInto(m, n, k, x, aIndex[t] * m * k, k, 1, y, bIndex[t] * k * n, n, 1, out, t * m * n, false);
  }
  const result = new Tensor(out, outShape);
  if (!needsGrad(a, b)) return result;

  return record(result, 'matmul', [a, b], (g) => {
    for (let t = 0; t < batchCount; t++) {
      const gOffset = t * m * n;
      const aOffset = aIndex[t] * m * k;
      const bOffset = bIndex[t] * k * n;
      // dA = G·Bᵀ  (m×n · n×k)
      if (a.requiresGrad) matmulInto(m, k, n, g, gOffset, n, 1, y, bOffset, 1, n, a.gradSink(), aOffset, true);
      // dB = Aᵀ·G  (k×m · m×n)
      if (b.requiresGrad) matmulInto(k, n, m, x, aOffset, 1, k, g, gOffset, n, 1, b.gradSink(), bOffset, true);
    }
  });
}

/**
 * torch.nn.functional.linear, fused: y = x·Wᵀ + bias for x [..., in], weight [out, in], bias [out].
 * One node instead of transpose + matmul + add, and no transposed copy of the weight.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return linearActivation(x, weight, bias, null);
}

/** Activations that can be folded into a linear layer's node. */
export type FusedActivation = 'tanh' | 'relu';

/**
 * activation(x·Wᵀ + bias) as one node: the same arithmetic as linear followed by tanh/relu (so
 * the same values), with one output buffer and one backward step instead of two. Sequential uses
 * it for a Linear followed by Tanh or ReLU.
 */
export function linearActivation(x: Tensor, weight: Tensor, bias: Tensor | null, activation: FusedActivation | null): Tensor {
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [out, in], got ${formatShape(weight.shape)}`);
  const [outFeatures, inFeatures] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new RangeError(
      `linear: input of shape ${formatShape(x.shape)} does not match weight ${formatShape(weight.shape)} ` +
        `(expected last dim ${inFeatures})`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new RangeError(`linear: bias of shape ${formatShape(bias.shape)} does not match ${outFeatures} outputs`);
  }
  const rows = x.size / inFeatures;
  const dtype = bias === null ? promote(x.dtype, weight.dtype) : promote(promote(x.dtype, weight.dtype), bias.dtype);
  const size = rows * outFeatures;
  const out = acquireForOutput(dtype, size);
  const xd = x.data;
  const w = weight.data;
  matmulInto(rows, outFeatures, inFeatures, xd, 0, inFeatures, 1, w, 0, 1, inFeatures, out, 0, false, bias === null ? null : bias.data);
  if (activation === 'tanh') {
    if (out instanceof Float32Array) for (let i = 0; i < size; i++) out[i] = math.tanhFloat32(out[i]);
    else for (let i = 0; i < size; i++) out[i] = math.tanh(out[i]);
  } else if (activation === 'relu') {
    for (let i = 0; i < size; i++) if (!(out[i] > 0)) out[i] = 0;
  }
  const outShape = x.shape.slice(0, -1);
  outShape.push(outFeatures);
  const result = new Tensor(out, outShape);
  if (!needsGrad(x, weight, bias)) return result;

  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  return record(result, activation === null ? 'linear' : `linear_${activation}`, inputs, (gOut) => {
    // Through the activation first (from its output: 1 − y² for tanh, y > 0 for relu); the bias
    // gradient (column sums) is gathered in the same pass.
    let g = gOut;
    const biasSink = bias !== null && bias.requiresGrad ? bias.gradSink() : null;
    if (activation !== null) {
      g = acquire(dtype, size);
      activationBackward(activation === 'tanh', out, gOut, g, rows, outFeatures, biasSink);
    } else if (biasSink !== null) {
      sumRowsInto(g, rows, outFeatures, biasSink);
    }
    // dx = G·W
    if (x.requiresGrad) matmulInto(rows, inFeatures, outFeatures, g, 0, outFeatures, 1, w, 0, inFeatures, 1, x.gradSink(), 0, true);
    // dW = Gᵀ·x
    if (weight.requiresGrad) matmulInto(outFeatures, inFeatures, rows, g, 0, 1, outFeatures, xd, 0, inFeatures, 1, weight.gradSink(), 0, true);
    if (g !== gOut) release(g);
  });
}

/**
 * g = gOut · activation'(pre) computed from the activation's output y (tanh: 1 − y², relu: y > 0),
 * and, when a bias sink is given, sink[j] += Σ_r g[r, j] in the same pass. Column by column so
 * each column sum stays in a register; it adds the stored (dtype-rounded) g values in row order,
 * which is exactly what a separate activation op followed by a bias reduction would compute.
 */
export function activationBackward(
  isTanh: boolean,
  y: FloatArray,
  gOut: FloatArray,
  g: FloatArray,
  rows: number,
  cols: number,
  biasSink: FloatArray | null,
): void {
  const size = rows * cols;
  const single = g instanceof Float32Array;
  for (let j = 0; j < cols; j++) {
    let sum = biasSink === null ? 0 : biasSink[j];
    for (let o = j; o < size; o += cols) {
      const v = y[o];
      let d = isTanh ? gOut[o] * (1 - v * v) : v > 0 ? gOut[o] : 0;
      if (single) d = Math.fround(d);
      g[o] = d;
      sum = single ? Math.fround(sum + d) : sum + d;
    }
    if (biasSink !== null) biasSink[j] = sum;
  }
}

/** sink[j] += Σ_r g[r·cols + j] */
export function sumRowsInto(g: ArrayLike<number>, rows: number, cols: number, sink: Float32Array | Float64Array): void {
  for (let r = 0, o = 0; r < rows; r++) for (let j = 0; j < cols; j++, o++) sink[j] += g[o];
}

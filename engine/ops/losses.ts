import { needsGrad, record } from '../autograd';
import { allocate, promote, type FloatArray } from '../dtype';
import * as math from '../math';
import { acquireForOutput, releaseOutput } from '../pool';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import { planBroadcast } from './broadcast';
import { resolveIndices, type Indices } from './indices';

/** How per-element losses are combined: averaged, summed, or returned as they are. */
export type Reduction = 'mean' | 'sum' | 'none';

function reduceLosses(losses: FloatArray, reduction: Reduction, shape: readonly number[]): Tensor {
  if (reduction === 'none') return new Tensor(losses, shape);
  let total = 0;
  for (let i = 0; i < losses.length; i++) total += losses[i];
  const out = allocate(losses instanceof Float32Array ? 'float32' : 'float64', 1);
  out[0] = reduction === 'mean' ? total / losses.length : total;
  return new Tensor(out, []);
}

const identity = (v: number) => v;

/** The upstream gradient of loss element i, whatever the reduction. */
function elementGrad(g: FloatArray, reduction: Reduction, count: number): (i: number) => number {
  if (reduction === 'none') return (i) => g[i];
  const v = reduction === 'mean' ? g[0] / count : g[0];
  return () => v;
}

/** F.mse_loss: (input − target)², reduced. Either side may require grad; shapes broadcast. */
export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  const plan = planBroadcast(input.shape, target.shape, 'mse_loss');
  const n = plan.size;
  const x = input.data;
  const y = target.data;
  const ia = plan.indexA;
  const ib = plan.indexB;
  const dtype = promote(input.dtype, target.dtype);
  const diff = acquireForOutput(dtype, n); // saved for backward, handed back when the graph is freed
  if (ia === null && ib === null) for (let i = 0; i < n; i++) diff[i] = x[i] - y[i];
  else for (let i = 0; i < n; i++) diff[i] = x[ia === null ? i : ia[i]] - y[ib === null ? i : ib[i]];
  let result: Tensor;
  if (reduction === 'none') {
    const squares = allocate(dtype, n);
    for (let i = 0; i < n; i++) squares[i] = diff[i] * diff[i];
    result = new Tensor(squares, plan.shape);
  } else {
    // Reduce the squares as they are formed (each rounded to the dtype first, as a stored square would be).
    const round = dtype === 'float32' ? Math.fround : identity;
    let total = 0;
    for (let i = 0; i < n; i++) total += round(diff[i] * diff[i]);
    const out = allocate(dtype, 1);
    out[0] = reduction === 'mean' ? total / n : total;
    result = new Tensor(out, []);
  }
  if (!needsGrad(input, target)) {
    releaseOutput(diff);
    return result;
  }
  return record(result, 'mse_loss', [input, target], (g) => {
    const scale = reduction === 'mean' ? 2 / n : 2;
    const sa = input.requiresGrad ? input.gradSink() : null;
    const sb = target.requiresGrad ? target.gradSink() : null;
    for (let i = 0; i < n; i++) {
      const d = reduction === 'none' ? 2 * diff[i] * g[i] : scale * diff[i] * g[0];
      if (sa !== null) sa[ia === null ? i : ia[i]] += d;
      if (sb !== null) sb[ib === null ? i : ib[i]] -= d;
    }
  }, () => releaseOutput(diff));
}

/**
 * F.cross_entropy for logits [N, C] (or [C]) and integer class targets [N]: the negative
 * log-softmax at the target, computed with the max subtracted. Backward is (softmax − onehot)·g.
 */
export function crossEntropy(logits: Tensor, targets: Indices, reduction: Reduction = 'mean'): Tensor {
  if (logits.ndim !== 1 && logits.ndim !== 2) {
    throw new RangeError(`cross_entropy: logits must be [N, C] or [C], got ${formatShape(logits.shape)}`);
  }
  const classes = logits.shape[logits.ndim - 1];
  const rows = logits.ndim === 2 ? logits.shape[0] : 1;
  const { values: target } = resolveIndices(targets, classes, 'cross_entropy');
  if (target.length !== rows) {
    throw new RangeError(`cross_entropy: ${target.length} targets for ${rows} rows of logits ${formatShape(logits.shape)}`);
  }
  const x = logits.data;
  const probabilities = acquireForOutput(logits.dtype, logits.size); // saved for backward
  const losses = allocate(logits.dtype, rows);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let m = -Infinity;
    for (let c = 0; c < classes; c++) if (x[base + c] > m) m = x[base + c];
    let total = 0;
    for (let c = 0; c < classes; c++) total += probabilities[base + c] = math.exp(x[base + c] - m);
    const logTotal = math.log(total);
    for (let c = 0; c < classes; c++) probabilities[base + c] /= total;
    losses[r] = -(x[base + target[r]] - m - logTotal);
  }
  const result = reduceLosses(losses, reduction, logits.ndim === 2 ? [rows] : []);
  if (!needsGrad(logits)) {
    releaseOutput(probabilities);
    return result;
  }
  return record(result, 'cross_entropy', [logits], (g) => {
    const s = logits.gradSink();
    const gradOf = elementGrad(g, reduction, rows);
    for (let r = 0; r < rows; r++) {
      const gr = gradOf(r);
      const base = r * classes;
      for (let c = 0; c < classes; c++) s[base + c] += gr * probabilities[base + c];
      s[base + target[r]] -= gr;
    }
  }, () => releaseOutput(probabilities));
}

/**
 * F.binary_cross_entropy_with_logits in its stable form max(x, 0) − x·t + log(1 + e^(−|x|)).
 * The target is a constant (no gradient flows to it); shapes must match.
 */
export function bceWithLogits(logits: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  if (logits.size !== target.size || logits.ndim !== target.ndim || logits.shape.some((s, i) => s !== target.shape[i])) {
    throw new RangeError(
      `binary_cross_entropy_with_logits: target size ${formatShape(target.shape)} must be the same as input size ${formatShape(logits.shape)}`,
    );
  }
  const x = logits.data;
  const t = target.data;
  const n = logits.size;
  const losses = allocate(promote(logits.dtype, target.dtype), n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    losses[i] = Math.max(v, 0) - v * t[i] + math.log1p(math.exp(-Math.abs(v)));
  }
  const result = reduceLosses(losses, reduction, logits.shape);
  if (!needsGrad(logits)) return result;
  return record(result, 'binary_cross_entropy_with_logits', [logits], (g) => {
    const s = logits.gradSink();
    const gradOf = elementGrad(g, reduction, n);
    for (let i = 0; i < n; i++) s[i] += (1 / (1 + math.exp(-x[i])) - t[i]) * gradOf(i);
  });
}

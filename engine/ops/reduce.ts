import { needsGrad, record } from '../autograd';
import { allocate } from '../dtype';
import { broadcastIndex, normalizeDim, sizeOf } from '../shape';
import { Tensor } from '../tensor';

/** Dims to reduce: null/undefined = all of them; an int or a list of ints (negative counts from the end). */
export type Dims = number | readonly number[] | null | undefined;

interface Reduction {
  /** Output shape (with or without the kept 1s). */
  shape: number[];
  /** For every input element, the output element it folds into; null when reducing everything. */
  target: Int32Array | null;
  outSize: number;
  /** How many input elements fold into each output element. */
  count: number;
}

function planReduction(input: Tensor, dims: Dims, keepdim: boolean, op: string): Reduction {
  const rank = input.ndim;
  const reduced = new Array<boolean>(rank).fill(false);
  if (dims === null || dims === undefined) {
    reduced.fill(true);
  } else {
    for (const d of typeof dims === 'number' ? [dims] : dims) {
      const nd = normalizeDim(d, rank, op);
      if (rank > 0) reduced[nd] = true;
    }
  }
  const kept: number[] = [];
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < rank; d++) {
    if (reduced[d]) {
      count *= input.shape[d];
      kept.push(1);
      if (keepdim) shape.push(1);
    } else {
      kept.push(input.shape[d]);
      shape.push(input.shape[d]);
    }
  }
  const outSize = sizeOf(kept);
  const target = outSize === 1 ? null : broadcastIndex(kept, input.shape);
  return { shape, target, outSize, count };
}

/** torch.sum(a, dim, keepdim); `dim` null sums every element into a 0-dim tensor. */
export function sum(a: Tensor, dim: Dims = null, keepdim = false): Tensor {
  return sumOrMean(a, dim, keepdim, false);
}

/** torch.mean(a, dim, keepdim). */
export function mean(a: Tensor, dim: Dims = null, keepdim = false): Tensor {
  return sumOrMean(a, dim, keepdim, true);
}

function sumOrMean(a: Tensor, dim: Dims, keepdim: boolean, average: boolean): Tensor {
  const op = average ? 'mean' : 'sum';
  const plan = planReduction(a, dim, keepdim, op);
  const x = a.data;
  const n = a.size;
  const out = allocate(a.dtype, plan.outSize);
  const target = plan.target;
  if (target === null) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i];
    out[0] = s;
  } else {
    for (let i = 0; i < n; i++) out[target[i]] += x[i];
  }
  if (average) for (let i = 0; i < out.length; i++) out[i] /= plan.count;
  const result = new Tensor(out, plan.shape);
  if (!needsGrad(a)) return result;
  return record(result, op, [a], (g) => {
    const s = a.gradSink();
    if (target === null) {
      const v = average ? g[0] / plan.count : g[0];
      for (let i = 0; i < n; i++) s[i] += v;
    } else if (average) {
      const count = plan.count;
      for (let i = 0; i < n; i++) s[i] += g[target[i]] / count;
    } else {
      for (let i = 0; i < n; i++) s[i] += g[target[i]];
    }
  });
}

/**
 * torch.max(a, dim, keepdim).values (or the global max when dim is null). The gradient goes to the
 * element that was the maximum; NaN wins, as in PyTorch.
 */
export function max(a: Tensor, dim: number | null = null, keepdim = false): Tensor {
  return extremum(a, dim, keepdim, true);
}

/** torch.min(a, dim, keepdim).values (or the global min). */
export function min(a: Tensor, dim: number | null = null, keepdim = false): Tensor {
  return extremum(a, dim, keepdim, false);
}

function extremum(a: Tensor, dim: number | null, keepdim: boolean, isMax: boolean): Tensor {
  const op = isMax ? 'max' : 'min';
  if (a.size === 0) throw new RangeError(`${op}: cannot reduce an empty tensor`);
  const plan = planReduction(a, dim, keepdim, op);
  const x = a.data;
  const n = a.size;
  const out = allocate(a.dtype, plan.outSize);
  const winner = new Int32Array(plan.outSize).fill(-1);
  const target = plan.target;
  for (let i = 0; i < n; i++) {
    const o = target === null ? 0 : target[i];
    const v = x[i];
    const w = winner[o];
    if (w < 0) {
      winner[o] = i;
      continue;
    }
    const best = x[w];
    if (best !== best) continue; // NaN already won
    if (v !== v || (isMax ? v > best : v < best)) winner[o] = i;
  }
  for (let o = 0; o < out.length; o++) out[o] = x[winner[o]];
  const result = new Tensor(out, plan.shape);
  if (!needsGrad(a)) return result;
  return record(result, op, [a], (g) => {
    const s = a.gradSink();
    for (let o = 0; o < winner.length; o++) s[winner[o]] += g[o];
  });
}

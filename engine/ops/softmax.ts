import { needsGrad, record } from '../autograd';
import { allocate, type FloatArray } from '../dtype';
import * as math from '../math';
import { normalizeDim, sizeOf } from '../shape';
import { Tensor } from '../tensor';

/**
 * softmax / log_softmax along one dim. The tensor is viewed as [outer, length, inner]; each of the
 * outer·inner lanes is normalised separately after subtracting its max, so rows offset by ±1000
 * neither overflow nor underflow.
 */

interface Lanes {
  outer: number;
  length: number;
  inner: number;
}

function lanes(a: Tensor, dim: number, op: string): Lanes {
  const d = normalizeDim(dim, a.ndim, op);
  if (a.ndim === 0) return { outer: 1, length: 1, inner: 1 };
  return { outer: sizeOf(a.shape.slice(0, d)), length: a.shape[d], inner: sizeOf(a.shape.slice(d + 1)) };
}

/** Fills `out` with the softmax (or log-softmax) of every lane of `x`. */
function softmaxLanes(x: FloatArray, out: FloatArray, { outer, length, inner }: Lanes, logarithm: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < inner; c++) {
      const base = o * length * inner + c;
      let m = -Infinity;
      for (let i = 0, p = base; i < length; i++, p += inner) if (x[p] > m || x[p] !== x[p]) m = x[p];
      if (m === -Infinity) m = 0; // all -inf: keep the lane NaN-free where PyTorch would be
      let total = 0;
      for (let i = 0, p = base; i < length; i++, p += inner) total += math.exp(x[p] - m);
      if (logarithm) {
        const logTotal = math.log(total);
        for (let i = 0, p = base; i < length; i++, p += inner) out[p] = x[p] - m - logTotal;
      } else {
        for (let i = 0, p = base; i < length; i++, p += inner) out[p] = math.exp(x[p] - m) / total;
      }
    }
  }
}

export function softmax(a: Tensor, dim = -1): Tensor {
  const shape = lanes(a, dim, 'softmax');
  const out = allocate(a.dtype, a.size);
  softmaxLanes(a.data, out, shape, false);
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  // dx = y · (g − Σ g·y) per lane
  return record(result, 'softmax', [a], (g) => {
    const s = a.gradSink();
    const { outer, length, inner } = shape;
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < inner; c++) {
        const base = o * length * inner + c;
        let dot = 0;
        for (let i = 0, p = base; i < length; i++, p += inner) dot += g[p] * out[p];
        for (let i = 0, p = base; i < length; i++, p += inner) s[p] += out[p] * (g[p] - dot);
      }
    }
  });
}

export function logSoftmax(a: Tensor, dim = -1): Tensor {
  const shape = lanes(a, dim, 'log_softmax');
  const out = allocate(a.dtype, a.size);
  softmaxLanes(a.data, out, shape, true);
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  // dx = g − exp(y) · Σ g per lane
  return record(result, 'log_softmax', [a], (g) => {
    const s = a.gradSink();
    const { outer, length, inner } = shape;
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < inner; c++) {
        const base = o * length * inner + c;
        let total = 0;
        for (let i = 0, p = base; i < length; i++, p += inner) total += g[p];
        for (let i = 0, p = base; i < length; i++, p += inner) s[p] += g[p] - math.exp(out[p]) * total;
      }
    }
  });
}

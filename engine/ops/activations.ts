import { needsGrad, record } from '../autograd';
import * as math from '../math';
import { acquireForOutput } from '../pool';
import { Tensor } from '../tensor';

/**
 * tanh; its derivative is taken from the output, 1 − y², as PyTorch does. float32 tensors use
 * tanhFloat32 (float32-accurate, several times faster than the float64 tanh).
 */
export function tanh(a: Tensor): Tensor {
  const x = a.data;
  const n = a.size;
  const out = acquireForOutput(a.dtype, n);
  if (out instanceof Float32Array) for (let i = 0; i < n; i++) out[i] = math.tanhFloat32(x[i]);
  else for (let i = 0; i < n; i++) out[i] = math.tanh(x[i]);
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'tanh', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) {
      const y = out[i];
      s[i] += g[i] * (1 - y * y);
    }
  });
}

/** 1 / (1 + e^(−x)); derivative (1 − y)·y from the output. */
export function sigmoid(a: Tensor): Tensor {
  const x = a.data;
  const n = a.size;
  const out = acquireForOutput(a.dtype, n);
  for (let i = 0; i < n; i++) out[i] = 1 / (1 + math.exp(-x[i]));
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'sigmoid', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) {
      const y = out[i];
      s[i] += g[i] * (1 - y) * y;
    }
  });
}

/** max(x, 0); relu'(0) = 0. */
export function relu(a: Tensor): Tensor {
  const x = a.data;
  const n = a.size;
  const out = acquireForOutput(a.dtype, n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v > 0 ? v : 0;
  }
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'relu', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) if (x[i] > 0) s[i] += g[i];
  });
}

/** x for x > 0, negativeSlope·x otherwise; the derivative at 0 is negativeSlope. */
export function leakyRelu(a: Tensor, negativeSlope = 0.01): Tensor {
  const x = a.data;
  const n = a.size;
  const out = acquireForOutput(a.dtype, n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v > 0 ? v : v * negativeSlope;
  }
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'leaky_relu', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) s[i] += x[i] > 0 ? g[i] : g[i] * negativeSlope;
  });
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

/** Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)); Φ is computed through erfc so the left tail keeps its digits. */
export function gelu(a: Tensor): Tensor {
  const x = a.data;
  const n = a.size;
  const out = acquireForOutput(a.dtype, n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v * (0.5 * math.erfc(-v * SQRT1_2));
  }
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'gelu', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const cdf = 0.5 * math.erfc(-v * SQRT1_2);
      const pdf = INV_SQRT_2PI * math.exp(-0.5 * v * v);
      s[i] += g[i] * (cdf + v * pdf);
    }
  });
}

/** log(1 + e^(βx))/β, switching to x where βx > threshold (PyTorch's F.softplus). */
export function softplus(a: Tensor, beta = 1, threshold = 20): Tensor {
  const x = a.data;
  const n = a.size;
  const out = acquireForOutput(a.dtype, n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v * beta > threshold ? v : math.log1p(math.exp(v * beta)) / beta;
  }
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'softplus', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (v * beta > threshold) s[i] += g[i];
      else {
        const z = math.exp(v * beta);
        s[i] += (g[i] * z) / (z + 1);
      }
    }
  });
}

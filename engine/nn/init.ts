import { noGrad } from '../autograd';
import { Rng, getDefaultRng } from '../random';
import type { Tensor } from '../tensor';

/** In-place parameter initialisers; they draw from `rng` (or the default generator). */

export function uniform_(t: Tensor, low: number, high: number, rng: Rng = getDefaultRng()): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = rng.uniform(low, high);
  return t;
}

export function normal_(t: Tensor, mean = 0, std = 1, rng: Rng = getDefaultRng()): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = rng.normal(mean, std);
  return t;
}

export function constant_(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}

/**
 * A (semi-)orthogonal matrix times `gain`, as torch.nn.init.orthogonal_: QR of a normal matrix
 * (modified Gram–Schmidt here), with signs fixed so the result is uniformly distributed.
 * W_hh = orthogonal × 3 is the classic exploding-gradient RNN.
 */
export function orthogonal_(t: Tensor, gain = 1, rng: Rng = getDefaultRng()): Tensor {
  if (t.ndim < 2) throw new RangeError('orthogonal_: only tensors with 2 or more dimensions are supported');
  const rows = t.shape[0];
  const cols = t.size / rows;
  // Orthonormalise the columns of a tall matrix (transpose of a wide one).
  const tall = rows >= cols;
  const r = tall ? rows : cols;
  const c = tall ? cols : rows;
  const q = new Float64Array(r * c);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let j = 0; j < c; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < r; i++) dot += q[i * c + j] * q[i * c + k];
      for (let i = 0; i < r; i++) q[i * c + j] -= dot * q[i * c + k];
    }
    let norm = 0;
    for (let i = 0; i < r; i++) norm += q[i * c + j] * q[i * c + j];
    norm = Math.sqrt(norm);
    for (let i = 0; i < r; i++) q[i * c + j] /= norm;
  }
  noGrad(() => {
    const d = t.data;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) d[i * cols + j] = gain * (tall ? q[i * c + j] : q[j * c + i]);
    }
  });
  return t;
}

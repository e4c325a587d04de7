import { needsGrad, record } from '../autograd';
import { allocate } from '../dtype';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import { resolveIndices, type Indices } from './indices';

/**
 * weight[indices] for weight [V, D]: the result has shape indices.shape + [D]. In backward each
 * looked-up row adds its gradient back to its source row, so repeated indices accumulate.
 */
export function embedding(weight: Tensor, indices: Indices): Tensor {
  if (weight.ndim !== 2) throw new RangeError(`embedding: weight must be 2-D [V, D], got ${formatShape(weight.shape)}`);
  const [rows, width] = weight.shape;
  const { values, shape } = resolveIndices(indices, rows, 'embedding');
  const w = weight.data;
  const out = allocate(weight.dtype, values.length * width);
  for (let i = 0; i < values.length; i++) {
    const src = values[i] * width;
    const dst = i * width;
    for (let c = 0; c < width; c++) out[dst + c] = w[src + c];
  }
  const result = new Tensor(out, [...shape, width]);
  if (!needsGrad(weight)) return result;
  return record(result, 'embedding', [weight], (g) => {
    const s = weight.gradSink();
    for (let i = 0; i < values.length; i++) {
      const dst = values[i] * width;
      const src = i * width;
      for (let c = 0; c < width; c++) s[dst + c] += g[src + c];
    }
  });
}

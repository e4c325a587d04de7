import { needsGrad, record } from '../autograd';
import { promote } from '../dtype';
import { matmulInto } from '../kernels/matmul';
import * as math from '../math';
import { acquire, acquireForOutput, acquireZeroed, release } from '../pool';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import { activationBackward, sumRowsInto } from './matmul';

/**
 * One fused step of a tanh RNN, as torch.nn.RNNCell computes it:
 *   h' = tanh((x·W_ihᵀ + b_ih) + (h·W_hhᵀ + b_hh))
 * x [B, I], h [B, H] (null means zeros), W_ih [H, I], W_hh [H, H], biases [H] or null.
 * One graph node per time step instead of six, and tanh's derivative comes from the output.
 */
export function rnnTanhCell(
  x: Tensor,
  h: Tensor | null,
  weightIh: Tensor,
  weightHh: Tensor,
  biasIh: Tensor | null,
  biasHh: Tensor | null,
): Tensor {
  const hidden = weightIh.shape[0];
  const inputSize = weightIh.shape[1];
  if (x.ndim !== 2 || x.shape[1] !== inputSize) {
    throw new RangeError(`rnnTanhCell: input of shape ${formatShape(x.shape)} does not match weight_ih ${formatShape(weightIh.shape)}`);
  }
  const batch = x.shape[0];
  if (h !== null && (h.ndim !== 2 || h.shape[0] !== batch || h.shape[1] !== hidden)) {
    throw new RangeError(`rnnTanhCell: hidden state of shape ${formatShape(h.shape)} should be [${batch}, ${hidden}]`);
  }
  const dtype = promote(x.dtype, weightIh.dtype);
  const size = batch * hidden;
  const xd = x.data;
  const wih = weightIh.data;
  const whh = weightHh.data;
  const out = acquireForOutput(dtype, size);
  // (x·W_ihᵀ + b_ih) and (h·W_hhᵀ + b_hh), each bias added in the gemm epilogue, then summed.
  matmulInto(batch, hidden, inputSize, xd, 0, inputSize, 1, wih, 0, 1, inputSize, out, 0, false, biasIh === null ? null : biasIh.data);
  const recurrent = acquireZeroed(dtype, size);
  if (h !== null) {
    matmulInto(batch, hidden, hidden, h.data, 0, hidden, 1, whh, 0, 1, hidden, recurrent, 0, false, biasHh === null ? null : biasHh.data);
  } else if (biasHh !== null) {
    addRows(recurrent, biasHh.data, batch, hidden);
  }
  if (out instanceof Float32Array) for (let i = 0; i < size; i++) out[i] = math.tanhFloat32(out[i] + recurrent[i]);
  else for (let i = 0; i < size; i++) out[i] = math.tanh(out[i] + recurrent[i]);
  release(recurrent);

  const result = new Tensor(out, [batch, hidden]);
  if (!needsGrad(x, h, weightIh) && !needsGrad(weightHh, biasIh, biasHh)) return result;
  const inputs = [x, weightIh, weightHh];
  if (h !== null) inputs.push(h);
  if (biasIh !== null) inputs.push(biasIh);
  if (biasHh !== null) inputs.push(biasHh);
  return record(result, 'rnn_tanh_cell', inputs, (g) => {
    // Through tanh (1 − y², from the output); both bias gradients are the column sums of that.
    const pre = acquire(dtype, size);
    const sinkIh = biasIh !== null && biasIh.requiresGrad ? biasIh.gradSink() : null;
    const sinkHh = biasHh !== null && biasHh.requiresGrad ? biasHh.gradSink() : null;
    activationBackward(true, out, g, pre, batch, hidden, sinkIh);
    if (sinkHh !== null) sumRowsInto(pre, batch, hidden, sinkHh);
    if (x.requiresGrad) matmulInto(batch, inputSize, hidden, pre, 0, hidden, 1, wih, 0, inputSize, 1, x.gradSink(), 0, true);
    if (weightIh.requiresGrad) matmulInto(hidden, inputSize, batch, pre, 0, 1, hidden, xd, 0, inputSize, 1, weightIh.gradSink(), 0, true);
    if (h !== null) {
      if (h.requiresGrad) matmulInto(batch, hidden, hidden, pre, 0, hidden, 1, whh, 0, hidden, 1, h.gradSink(), 0, true);
      if (weightHh.requiresGrad) matmulInto(hidden, hidden, batch, pre, 0, 1, hidden, h.data, 0, hidden, 1, weightHh.gradSink(), 0, true);
    } else if (weightHh.requiresGrad) {
      weightHh.gradSink(); // a zero contribution still gives the weight a gradient, as in PyTorch
    }
    release(pre);
  });
}

function addRows(target: Float32Array | Float64Array, bias: ArrayLike<number>, rows: number, cols: number): void {
  for (let r = 0, o = 0; r < rows; r++) for (let j = 0; j < cols; j++, o++) target[o] += bias[j];
}

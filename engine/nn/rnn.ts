import { allocate, DEFAULT_DTYPE } from '../dtype';
import { select, stack } from '../ops/movement';
import { rnnTanhCell } from '../ops/recurrent';
import { formatShape, sizeOf } from '../shape';
import { Tensor } from '../tensor';
import { uniform_ } from './init';
import type { LayerOptions } from './linear';
import { Module } from './module';

/** The four tensors of one tanh RNN layer, initialised uniform in ±1/√hidden like PyTorch. */
abstract class TanhRecurrence extends Module {
  readonly weightIh: Tensor;
  readonly weightHh: Tensor;
  readonly biasIh: Tensor | null;
  readonly biasHh: Tensor | null;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    nameSuffix: string,
    options: LayerOptions,
  ) {
    super();
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    const bound = 1 / Math.sqrt(hiddenSize);
    const param = (name: string, shape: number[]) => {
      const t = new Tensor(allocate(dtype, sizeOf(shape)), shape);
      uniform_(t, -bound, bound, options.rng);
      return this.registerParameter(name + nameSuffix, t);
    };
    this.weightIh = param('weight_ih', [hiddenSize, inputSize]);
    this.weightHh = param('weight_hh', [hiddenSize, hiddenSize]);
    const withBias = options.bias !== false;
    this.biasIh = withBias ? param('bias_ih', [hiddenSize]) : null;
    this.biasHh = withBias ? param('bias_hh', [hiddenSize]) : null;
  }

  protected step(input: Tensor, hidden: Tensor | null): Tensor {
    return rnnTanhCell(input, hidden, this.weightIh, this.weightHh, this.biasIh, this.biasHh);
  }
}

/** One step of a vanilla tanh RNN: h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) (torch.nn.RNNCell). */
export class RNNCell extends TanhRecurrence {
  constructor(inputSize: number, hiddenSize: number, options: LayerOptions = {}) {
    super(inputSize, hiddenSize, '', options);
  }

  /** x [B, I], h [B, H] (omitted: zeros) → h' [B, H]. */
  forward(input: Tensor, hidden: Tensor | null = null): Tensor {
    return this.step(input, hidden);
  }
}

export interface RNNResult {
  /** Hidden state at every step, [T, B, H]. */
  output: Tensor;
  /** Hidden state after the last step, [B, H]. */
  hidden: Tensor;
}

/**
 * A single-layer tanh RNN over a whole sequence x [T, B, I] (time first, torch.nn.RNN's default).
 * Parameters are named weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 as in PyTorch.
 */
export class RNN extends TanhRecurrence {
  constructor(inputSize: number, hiddenSize: number, options: LayerOptions = {}) {
    super(inputSize, hiddenSize, '_l0', options);
  }

  /** Runs the sequence from h0 [B, H] (omitted: zeros). */
  forward(input: Tensor, h0: Tensor | null = null): RNNResult {
    if (input.ndim !== 3 || input.shape[2] !== this.inputSize) {
      throw new RangeError(`RNN: expected input [T, B, ${this.inputSize}], got ${formatShape(input.shape)}`);
    }
    const steps = input.shape[0];
    if (steps === 0) throw new RangeError('RNN: the sequence is empty');
    let h = h0;
    const states: Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      h = this.step(select(input, 0, t), h);
      states.push(h);
    }
    const output = stack(states, 0); // copies: the states themselves stay internal
    for (let t = 0; t < steps - 1; t++) states[t].recyclable = true;
    return { output, hidden: states[steps - 1] };
  }
}

import { allocate, DEFAULT_DTYPE, type DType } from '../dtype';
import { linear } from '../ops/matmul';
import type { Rng } from '../random';
import { Tensor } from '../tensor';
import { uniform_ } from './init';
import { Layer } from './module';

export interface LayerOptions {
  /** Whether the layer has a bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: the global one, see manualSeed). */
  rng?: Rng;
  dtype?: DType;
}

/**
 * y = x·Wᵀ + b, with weight [out, in] and bias [out] as torch.nn.Linear, initialised like PyTorch:
 * both uniform in ±1/√in.
 */
export class Linear extends Layer {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LayerOptions = {},
  ) {
    super();
    const dtype = options.dtype ?? DEFAULT_DTYPE;
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.registerParameter('weight', new Tensor(allocate(dtype, outFeatures * inFeatures), [outFeatures, inFeatures]));
    uniform_(this.weight, -bound, bound, options.rng);
    if (options.bias === false) {
      this.bias = null;
    } else {
      this.bias = this.registerParameter('bias', new Tensor(allocate(dtype, outFeatures), [outFeatures]));
      uniform_(this.bias, -bound, bound, options.rng);
    }
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }
}

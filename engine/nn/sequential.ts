import { linearActivation, type FusedActivation } from '../ops/matmul';
import type { Tensor } from '../tensor';
import { GELU, LeakyReLU, ReLU, Sigmoid, Softplus, Tanh } from './activation';
import { Linear } from './linear';
import { Layer } from './module';

/**
 * Layers applied in order; parameters are named "0.weight", "0.bias", "2.weight", … as in PyTorch.
 * A Linear followed by Tanh or ReLU runs as one fused node (same values, less work).
 */
export class Sequential extends Layer {
  readonly layers: readonly Layer[];

  constructor(...layers: Layer[]) {
    super();
    this.layers = layers;
    layers.forEach((layer, i) => this.registerModule(String(i), layer));
  }

  forward(input: Tensor): Tensor {
    const layers = this.layers;
    let x = input;
    let producedByBuiltin = false;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i];
      const activation = i + 1 < layers.length ? fusable(layers[i + 1]) : null;
      let y: Tensor;
      if (layer instanceof Linear && layer.constructor === Linear && activation !== null) {
        y = linearActivation(x, layer.weight, layer.bias, activation);
        i++;
      } else {
        y = layer.forward(x);
      }
      // x was made by one of our layers and only read by another: no one else can hold it.
      if (x !== input && producedByBuiltin && BUILTIN.has(layer.constructor) && y.data !== x.data && y.data.buffer !== x.data.buffer) {
        x.recyclable = true;
      }
      producedByBuiltin = BUILTIN.has(layers[i].constructor);
      x = y;
    }
    return x;
  }
}

/** Layers known to keep no reference to their input or output beyond the graph. */
const BUILTIN = new Set<unknown>([Linear, Tanh, ReLU, Sigmoid, LeakyReLU, GELU, Softplus]);

function fusable(layer: Layer): FusedActivation | null {
  if (layer.constructor === Tanh) return 'tanh';
  if (layer.constructor === ReLU) return 'relu';
  return null;
}

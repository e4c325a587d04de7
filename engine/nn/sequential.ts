import type { Tensor } from '../tensor';
import { Layer } from './module';

/** Layers applied in order; parameters are named "0.weight", "0.bias", "2.weight", … as in PyTorch. */
export class Sequential extends Layer {
  readonly layers: readonly Layer[];

  constructor(...layers: Layer[]) {
    super();
    this.layers = layers;
    layers.forEach((layer, i) => this.registerModule(String(i), layer));
  }

  forward(input: Tensor): Tensor {
    let x = input;
    for (const layer of this.layers) x = layer.forward(x);
    return x;
  }
}

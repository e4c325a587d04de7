import { gelu, leakyRelu, relu, sigmoid, softplus, tanh } from '../ops/activations';
import { logSoftmax, softmax } from '../ops/softmax';
import type { Tensor } from '../tensor';
import { Layer } from './module';

/** Activation layers, for use inside a Sequential. */

export class Tanh extends Layer {
  forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

export class ReLU extends Layer {
  forward(input: Tensor): Tensor {
    return relu(input);
  }
}

export class Sigmoid extends Layer {
  forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

export class LeakyReLU extends Layer {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(input: Tensor): Tensor {
    return leakyRelu(input, this.negativeSlope);
  }
}

export class GELU extends Layer {
  forward(input: Tensor): Tensor {
    return gelu(input);
  }
}

export class Softplus extends Layer {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
  }
  forward(input: Tensor): Tensor {
    return softplus(input, this.beta, this.threshold);
  }
}

export class Softmax extends Layer {
  constructor(readonly dim = -1) {
    super();
  }
  forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }
}

export class LogSoftmax extends Layer {
  constructor(readonly dim = -1) {
    super();
  }
  forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim);
  }
}

/** Passes its input through unchanged (a placeholder where a layer is optional). */
export class Identity extends Layer {
  forward(input: Tensor): Tensor {
    return input;
  }
}

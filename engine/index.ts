// The public surface of the autograd engine. Pure TypeScript: no DOM, no Node APIs.

export { DEFAULT_DTYPE, type DType, type FloatArray } from './dtype';
export { formatShape, type Shape } from './shape';
export {
  Tensor,
  tensor,
  full,
  zeros,
  ones,
  zerosLike,
  onesLike,
  arange,
  type GraphNode,
  type NestedNumbers,
  type TensorInit,
  type TensorOptions,
} from './tensor';
export { noGrad, isGradEnabled, setGradEnabled, type BackwardOptions } from './autograd';
export { poolStats, clearPool, type PoolStats } from './pool';
export { Rng, manualSeed, getDefaultRng, rand, randn, randint, uniform, type RandomOptions } from './random';
export { erf, erfc } from './math';
/** The engine's portable exp, log, sin, cos, tanh, pow …: the same bits in every JavaScript engine. */
export * as math from './math';

export { add, sub, mul, div, neg, exp, log, sqrt, abs, pow, square, type Operand } from './ops/arithmetic';
export { tanh, sigmoid, relu, leakyRelu, gelu, softplus } from './ops/activations';
export { sum, mean, max, min, type Dims } from './ops/reduce';
export { reshape, flatten, unsqueeze, squeeze, permute, transpose, cat, stack, slice, select } from './ops/movement';
export { matmul, linear, linearActivation, type FusedActivation } from './ops/matmul';
export { softmax, logSoftmax } from './ops/softmax';
export { mseLoss, crossEntropy, bceWithLogits, type Reduction } from './ops/losses';
export { embedding } from './ops/embedding';
export { rnnTanhCell } from './ops/recurrent';
export type { Indices } from './ops/indices';

export { Module, Layer } from './nn/module';
export { Linear, type LayerOptions } from './nn/linear';
export { RNNCell, RNN, type RNNResult } from './nn/rnn';
export { Sequential } from './nn/sequential';
export { Tanh, ReLU, Sigmoid, LeakyReLU, GELU, Softplus, Softmax, LogSoftmax, Identity } from './nn/activation';
export { uniform_, normal_, constant_, orthogonal_ } from './nn/init';

export { Optimizer } from './optim/optimizer';
export { SGD, type SGDOptions, type SGDState } from './optim/sgd';
export { Adam, AdamW, type AdamOptions, type AdamState } from './optim/adam';
export { RMSprop, type RMSpropOptions, type RMSpropState } from './optim/rmsprop';

export {
  clipGradNorm_,
  clipGradValue_,
  clipGradsWithNorm_,
  getTotalNorm,
  NonFiniteNormError,
  type ClipGradNormOptions,
  type NormType,
  type TensorList,
} from './clip';

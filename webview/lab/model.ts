// The Lab's models and data, built from an experiment's seed with engine/ (float64 throughout, so
// the exported PyTorch script can reproduce the numbers in torch.float64).
import { Linear, math, mseLoss, orthogonal_, ReLU, RNN, Rng, Sequential, Tanh, tensor, type Layer, type Module, type Tensor } from '../../engine';
import { batchCountOf, batchSizeOf } from './cost';
import type { DataSpec, ModelSpec } from './experiment';
import { layerNamesOf } from './layer-names';

/** A group of parameters reported as one layer (a weight with its bias, an RNN's four tensors). */
export interface LayerGroup {
  name: string;
  /** PyTorch's parameter names (`0.weight`, `rnn.weight_hh_l0`), in the model's parameter order. */
  parameterNames: string[];
  parameters: Tensor[];
}

export interface LabModel {
  /** Every trainable tensor, in PyTorch's `model.parameters()` order. */
  parameters: Tensor[];
  layers: LayerGroup[];
  /** MSE of the model's prediction for x against y (a 0-dim tensor with a graph). */
  loss(x: Tensor, y: Tensor): Tensor;
}

export interface Batch {
  x: Tensor;
  y: Tensor;
}

const DTYPE = 'float64';

function group(name: string, prefix: string, layer: Module): LayerGroup {
  const named = layer.namedParameters();
  return { name, parameterNames: named.map(([n]) => prefix + n), parameters: named.map(([, p]) => p) };
}

/** The model with its initial weights drawn from `seed` (the same seed always gives the same weights). */
export function buildModel(spec: ModelSpec, seed: number): LabModel {
  const rng = new Rng(seed);
  const options = { rng, dtype: DTYPE } as const;
  const names = layerNamesOf(spec);
  switch (spec.preset) {
    case 'linear': {
      const layer = new Linear(spec.inputs, spec.outputs, options);
      return {
        parameters: layer.parameters(),
        layers: [group(names[0], '', layer)],
        loss: (x, y) => mseLoss(layer.forward(x), y),
      };
    }
    case 'mlp': {
      const linears: Linear[] = [];
      const modules: Layer[] = [];
      let width = spec.inputs;
      for (let i = 0; i < spec.depth; i++) {
        const layer = new Linear(width, spec.hidden, options);
        linears.push(layer);
        modules.push(layer, spec.activation === 'tanh' ? new Tanh() : new ReLU());
        width = spec.hidden;
      }
      const out = new Linear(width, spec.outputs, options);
      linears.push(out);
      modules.push(out);
      const model = new Sequential(...modules);
      // Names as torch.nn.Sequential gives them: the Linear layers sit at even positions.
      const layers = linears.map((layer, i) => group(names[i], `${2 * i}.`, layer));
      return { parameters: model.parameters(), layers, loss: (x, y) => mseLoss(model.forward(x), y) };
    }
    case 'rnn': {
      const rnn = new RNN(spec.inputs, spec.hidden, options);
      orthogonal_(rnn.weightHh, spec.recurrentGain, rng);
      const head = new Linear(spec.hidden, spec.outputs, options);
      return {
        parameters: [...rnn.parameters(), ...head.parameters()],
        layers: [group(names[0], 'rnn.', rnn), group(names[1], 'head.', head)],
        loss: (x, y) => mseLoss(head.forward(rnn.forward(x).hidden), y),
      };
    }
  }
}

/** The data batches, drawn from seed + 1 (so changing the model's size leaves the data's stream alone). */
export function generateData(data: DataSpec, model: ModelSpec, seed: number): Batch[] {
  if (data.generator === 'docs-example') return [{ x: tensor([[1, 2]], { dtype: DTYPE }), y: tensor([[1]], { dtype: DTYPE }) }];
  const rng = new Rng(seed + 1);
  const batchSize = batchSizeOf(data);
  const normals = (n: number, std = 1) => Array.from({ length: n }, () => rng.normal(0, std));
  const batches: Batch[] = [];
  if (data.generator === 'regression') {
    const { inputs, outputs } = model;
    const teacher = normals(outputs * inputs, 1 / Math.sqrt(inputs));
    for (let b = 0; b < batchCountOf(data); b++) {
      const x = normals(batchSize * inputs);
      const y: number[] = [];
      for (let s = 0; s < batchSize; s++) {
        for (let o = 0; o < outputs; o++) {
          let dot = 0;
          for (let i = 0; i < inputs; i++) dot += x[s * inputs + i] * teacher[o * inputs + i];
          y.push(math.tanh(2 * dot) + data.noise * rng.normal());
        }
      }
      batches.push({ x: tensor(x, { shape: [batchSize, inputs], dtype: DTYPE }), y: tensor(y, { shape: [batchSize, outputs], dtype: DTYPE }) });
    }
    return batches;
  }
  if (model.preset !== 'rnn') throw new Error('sequence data needs the rnn model');
  const { inputs, outputs, sequenceLength } = model;
  for (let b = 0; b < batchCountOf(data); b++) {
    const x = normals(sequenceLength * batchSize * inputs);
    // The target is the first time step's input: only a network that carries it to the end learns it.
    const y: number[] = [];
    for (let s = 0; s < batchSize; s++) for (let o = 0; o < outputs; o++) y.push(x[s * inputs + (o % inputs)]);
    batches.push({
      x: tensor(x, { shape: [sequenceLength, batchSize, inputs], dtype: DTYPE }),
      y: tensor(y, { shape: [batchSize, outputs], dtype: DTYPE }),
    });
  }
  return batches;
}

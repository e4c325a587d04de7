// The Lab's presets: each pits an unclipped run against a clipped one on the same model, seed,
// data and initial weights.
import { defaultOptimizer, type CallSpec, type Experiment } from './experiment';

export interface Preset {
  id: 'exploding-rnn' | 'deep-mlp' | 'pytorch-docs';
  title: string;
  description: string;
  experiment: Experiment;
}

/** The correct order for one pass without accumulation: clear, compute, backpropagate, clip, step. */
export const CLIP_BEFORE_STEP: CallSpec[] = [{ call: 'zero_grad' }, { call: 'forward' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }];

const OFF = { mode: 'off', threshold: 1, normType: 2 } as const;

export const PRESETS: readonly Preset[] = [
  {
    id: 'exploding-rnn',
    title: 'Exploding tanh RNN',
    description:
      'A vanilla tanh RNN whose recurrent weights start orthogonal × 1.5 must carry the first input of a ' +
      '16-step sequence to the end. Its gradients explode: unclipped, SGD at lr 0.3 blows the weights up to inf; ' +
      'clipped by norm (max_norm=0.05) the same run trains.',
    experiment: {
      version: 1,
      title: 'Exploding tanh RNN, SGD lr 0.3: unclipped vs clip_grad_norm_(max_norm=0.05)',
      model: { preset: 'rnn', inputs: 1, hidden: 16, outputs: 1, sequenceLength: 16, recurrentGain: 1.5 },
      data: { generator: 'sequence', batchSize: 8, batches: 16 },
      seed: 0,
      optimizer: defaultOptimizer('sgd', 0.3),
      clip: { mode: 'norm', threshold: 0.05, normType: 2 },
      scaler: null,
      accumulation: 1,
      steps: 400,
      a: { label: 'unclipped', calls: CLIP_BEFORE_STEP, clip: { ...OFF } },
      b: { label: 'clip_grad_norm_(max_norm=0.05)', calls: CLIP_BEFORE_STEP },
    },
  },
  {
    id: 'deep-mlp',
    title: 'Deep MLP at a high learning rate',
    description:
      'Six tanh layers of width 32 trained by SGD at lr 0.6 on a noisy regression. Unclipped, the large ' +
      'steps feed on themselves until the weights overflow; clipped by norm (max_norm=1.0) it fits the data.',
    experiment: {
      version: 1,
      title: 'Deep MLP, SGD lr 0.6: unclipped vs clip_grad_norm_(max_norm=1.0)',
      model: { preset: 'mlp', inputs: 8, hidden: 32, depth: 6, outputs: 1, activation: 'tanh' },
      data: { generator: 'regression', batchSize: 32, batches: 16, noise: 0.1 },
      seed: 1,
      optimizer: defaultOptimizer('sgd', 0.6),
      clip: { mode: 'norm', threshold: 1, normType: 2 },
      scaler: null,
      accumulation: 1,
      steps: 300,
      a: { label: 'unclipped', calls: CLIP_BEFORE_STEP, clip: { ...OFF } },
      b: { label: 'clip_grad_norm_(max_norm=1.0)', calls: CLIP_BEFORE_STEP },
    },
  },
  {
    id: 'pytorch-docs',
    title: 'The PyTorch docs example',
    description:
      'Linear(2, 1) on the input [[1, 2]] with target [[1]], MSE loss, SGD lr 0.1, max_norm=0.1: ' +
      'every gradient norm after clipping is at most 0.1, shown next to the unclipped norms.',
    experiment: {
      version: 1,
      title: 'Linear(2, 1), SGD lr 0.1: unclipped vs clip_grad_norm_(max_norm=0.1)',
      model: { preset: 'linear', inputs: 2, outputs: 1 },
      data: { generator: 'docs-example' },
      seed: 0,
      optimizer: defaultOptimizer('sgd', 0.1),
      clip: { mode: 'norm', threshold: 0.1, normType: 2 },
      scaler: null,
      accumulation: 1,
      steps: 30,
      a: { label: 'unclipped', calls: CLIP_BEFORE_STEP, clip: { ...OFF } },
      b: { label: 'clip_grad_norm_(max_norm=0.1)', calls: CLIP_BEFORE_STEP },
    },
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** A fresh copy of a preset's experiment, safe to modify. */
export function presetExperiment(id: Preset['id']): Experiment {
  const preset = presetById(id);
  if (!preset) throw new RangeError(`no preset ${id}`);
  return structuredClone(preset.experiment);
}

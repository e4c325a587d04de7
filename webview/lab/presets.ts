// The Lab's presets: each pits an unclipped run against a clipped one on the same model, seed,
// data and initial weights. Titles, labels and descriptions name the model and the order of calls,
// never a setting the panel's controls change (the threshold, optimizer, learning rate): the panel
// shows those next to each run, from the experiment as it is (run-settings.ts).
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

/** Run A of every preset: the same calls with its own clip turned off (the controls leave it off). */
const unclipped = () => ({ label: 'unclipped', calls: CLIP_BEFORE_STEP, clip: { ...OFF } });
/** Run B: the clip after backward and before step, with the experiment's clip settings. */
const clipBeforeStep = () => ({ label: 'clip before step', calls: CLIP_BEFORE_STEP });

export const PRESETS: readonly Preset[] = [
  {
    id: 'exploding-rnn',
    title: 'Exploding tanh RNN',
    description:
      'A vanilla tanh RNN whose recurrent weights start orthogonal × 1.5 must carry the first input of a ' +
      "16-step sequence to the end. Its gradients explode: at the preset's settings the unclipped run blows its " +
      'weights up to inf, while the same run clipped by norm trains.',
    experiment: {
      version: 1,
      title: 'Exploding tanh RNN: unclipped vs clip before step',
      model: { preset: 'rnn', inputs: 1, hidden: 16, outputs: 1, sequenceLength: 16, recurrentGain: 1.5 },
      data: { generator: 'sequence', batchSize: 8, batches: 16 },
      seed: 0,
      optimizer: defaultOptimizer('sgd', 0.3),
      clip: { mode: 'norm', threshold: 0.05, normType: 2 },
      scaler: null,
      accumulation: 1,
      steps: 400,
      a: unclipped(),
      b: clipBeforeStep(),
    },
  },
  {
    id: 'deep-mlp',
    title: 'Deep MLP at a high learning rate',
    description:
      "Six tanh layers of width 32 on a noisy regression at a high learning rate. At the preset's settings the " +
      "unclipped run's large steps feed on themselves until the weights overflow; clipped by norm, it fits the data.",
    experiment: {
      version: 1,
      title: 'Deep MLP: unclipped vs clip before step',
      model: { preset: 'mlp', inputs: 8, hidden: 32, depth: 6, outputs: 1, activation: 'tanh' },
      data: { generator: 'regression', batchSize: 32, batches: 16, noise: 0.1 },
      seed: 1,
      optimizer: defaultOptimizer('sgd', 0.6),
      clip: { mode: 'norm', threshold: 1, normType: 2 },
      scaler: null,
      accumulation: 1,
      steps: 300,
      a: unclipped(),
      b: clipBeforeStep(),
    },
  },
  {
    id: 'pytorch-docs',
    title: 'The PyTorch docs example',
    description:
      "Linear(2, 1) on the input [[1, 2]] with target [[1]] and MSE loss, as in PyTorch's documentation of " +
      'clip_grad_norm_: every gradient norm after clipping is at most max_norm, shown next to the unclipped norms.',
    experiment: {
      version: 1,
      title: 'Linear(2, 1), the PyTorch docs example: unclipped vs clip before step',
      model: { preset: 'linear', inputs: 2, outputs: 1 },
      data: { generator: 'docs-example' },
      seed: 0,
      optimizer: defaultOptimizer('sgd', 0.1),
      clip: { mode: 'norm', threshold: 0.1, normType: 2 },
      scaler: null,
      accumulation: 1,
      steps: 30,
      a: unclipped(),
      b: clipBeforeStep(),
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

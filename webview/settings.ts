// The panel's controls as values, and how they read and change an experiment: the controls edit
// the experiment's shared settings (a run's own override, such as "unclipped", stays as it is).
// Pure, so tests check the mapping without a page.
import { defaultOptimizer, LIMITS, type ClipMode, type Experiment, type OptimizerSpec } from './lab/experiment';

export type OptimizerChoice = 'sgd' | 'sgd-momentum' | 'adam' | 'adamw' | 'rmsprop';
export type NormChoice = '2' | '1' | 'inf';

export interface LabSettings {
  clipMode: ClipMode;
  threshold: number;
  normType: NormChoice;
  optimizer: OptimizerChoice;
  learningRate: number;
  steps: number;
  seed: number;
}

export const OPTIMIZER_CHOICES: ReadonlyArray<{ value: OptimizerChoice; label: string }> = [
  { value: 'sgd', label: 'SGD' },
  { value: 'sgd-momentum', label: 'SGD + momentum 0.9' },
  { value: 'adam', label: 'Adam' },
  { value: 'adamw', label: 'AdamW' },
];

export const CLIP_CHOICES: ReadonlyArray<{ value: ClipMode; label: string }> = [
  { value: 'off', label: 'off' },
  { value: 'norm', label: 'by norm (clip_grad_norm_)' },
  { value: 'value', label: 'by value (clip_grad_value_)' },
];

export const NORM_CHOICES: ReadonlyArray<{ value: NormChoice; label: string }> = [
  { value: '2', label: '2 (Euclidean)' },
  { value: '1', label: '1' },
  { value: 'inf', label: 'inf (largest entry)' },
];

/** Log sliders: the exponent range and the slider's resolution (steps per decade). */
export const THRESHOLD_RANGE = { minExponent: -4, maxExponent: 4, perDecade: 20 } as const;
export const LEARNING_RATE_RANGE = { minExponent: -5, maxExponent: 1, perDecade: 20 } as const;
export const MAX_SEED = 2 ** 31 - 1;

export type LogRange = { minExponent: number; maxExponent: number; perDecade: number };

/** Slider position (an integer) for a value on a log range, clamped to the range. */
export function sliderPosition(value: number, range: LogRange): number {
  const exponent = Math.log10(value);
  const clamped = Math.min(range.maxExponent, Math.max(range.minExponent, Number.isFinite(exponent) ? exponent : range.minExponent));
  return Math.round((clamped - range.minExponent) * range.perDecade);
}

export function sliderMax(range: LogRange): number {
  return (range.maxExponent - range.minExponent) * range.perDecade;
}

/** The value at a slider position, rounded to three significant digits (what a person would type). */
export function sliderValue(position: number, range: LogRange): number {
  const value = 10 ** (range.minExponent + position / range.perDecade);
  return Number(value.toPrecision(3));
}

export function settingsOf(experiment: Experiment): LabSettings {
  const { optimizer, clip } = experiment;
  const choice: OptimizerChoice = optimizer.kind === 'sgd' ? (optimizer.momentum > 0 ? 'sgd-momentum' : 'sgd') : optimizer.kind;
  return {
    clipMode: clip.mode,
    threshold: clip.threshold,
    normType: clip.normType === 'inf' ? 'inf' : clip.normType === 1 ? '1' : '2',
    optimizer: choice,
    learningRate: optimizer.lr,
    steps: experiment.steps,
    seed: experiment.seed,
  };
}

function optimizerFor(choice: OptimizerChoice, lr: number, current: OptimizerSpec): OptimizerSpec {
  const kind = choice === 'sgd-momentum' ? 'sgd' : choice;
  const base = current.kind === kind ? { ...current, lr } : defaultOptimizer(kind, lr);
  if (choice === 'sgd') base.momentum = 0;
  if (choice === 'sgd-momentum') base.momentum = current.kind === 'sgd' && current.momentum > 0 ? current.momentum : 0.9;
  return base;
}

/** The experiment with the settings applied (a copy; the argument is not changed). */
export function applySettings(experiment: Experiment, settings: LabSettings): Experiment {
  const next = structuredClone(experiment);
  const normType = settings.normType === 'inf' ? 'inf' : Number(settings.normType);
  next.clip = { mode: settings.clipMode, threshold: settings.threshold, normType };
  next.optimizer = optimizerFor(settings.optimizer, settings.learningRate, experiment.optimizer);
  next.steps = Math.min(LIMITS.steps, Math.max(1, Math.round(settings.steps)));
  next.seed = Math.min(MAX_SEED, Math.max(0, Math.round(settings.seed)));
  return next;
}

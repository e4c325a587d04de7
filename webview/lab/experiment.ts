// The Gradient Lab's experiment: one small JSON document that says everything a run needs, so
// any run can be saved, shared and reproduced (the panel, `clipwise lab run`, the exported
// PyTorch script and the tests all read this record). Validated once, at every border, by
// parseExperiment.
import { validateExperiment } from './validate';

/** The calls a step can make, in the order the experiment lists them. */
export type LabCall = 'zero_grad' | 'forward' | 'backward' | 'unscale' | 'clip' | 'step';

export const LAB_CALLS: readonly LabCall[] = ['zero_grad', 'forward', 'backward', 'unscale', 'clip', 'step'];

/**
 * One call of a pass. A pass is one micro-batch; under accumulation (k > 1) a call marked
 * `windowEnd` runs only on the window's last micro-batch (inside `if (i + 1) % k == 0:`).
 */
export interface CallSpec {
  call: LabCall;
  windowEnd?: boolean;
}

/** The model, built from the seed. Every model ends in a regression output trained with MSE. */
export type ModelSpec =
  /** One Linear layer (the PyTorch docs' `Linear(2, 1)`). */
  | { preset: 'linear'; inputs: number; outputs: number }
  /** `depth` hidden Linear layers of width `hidden`, each followed by the activation, then a Linear output layer. */
  | { preset: 'mlp'; inputs: number; hidden: number; depth: number; outputs: number; activation: 'tanh' | 'relu' }
  /**
   * A vanilla tanh RNN over `sequenceLength` time steps and a Linear head on its last hidden state.
   * The recurrent weight starts orthogonal × `recurrentGain` (above 1 it makes gradients explode).
   */
  | { preset: 'rnn'; inputs: number; hidden: number; outputs: number; sequenceLength: number; recurrentGain: number };

export type ModelPreset = ModelSpec['preset'];

/** The training data, generated from the seed; micro-batch i of the run reads batch i mod `batches`. */
export type DataSpec =
  /** The PyTorch docs' example: input [[1, 2]], target [[1]] (for a linear 2 → 1 model). */
  | { generator: 'docs-example' }
  /** x ~ N(0, 1); y = tanh(2·x·Wᵀ) + noise·N(0, 1) for a random teacher W ~ N(0, 1/inputs). */
  | { generator: 'regression'; batchSize: number; batches: number; noise: number }
  /** x ~ N(0, 1) of shape [T, B, inputs]; y is the first time step's input (remember it to the end). */
  | { generator: 'sequence'; batchSize: number; batches: number };

export type DataGenerator = DataSpec['generator'];

export type OptimizerKind = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

/** torch.optim settings (PyTorch 1.13 semantics); fields a kind does not use are ignored. */
export interface OptimizerSpec {
  kind: OptimizerKind;
  lr: number;
  /** SGD and RMSprop. */
  momentum: number;
  /** Adam and AdamW. */
  betas: [number, number];
  /** Adam, AdamW and RMSprop. */
  eps: number;
  weightDecay: number;
}

export type ClipMode = 'off' | 'norm' | 'value';

/** `clip_grad_norm_(params, threshold, norm_type)` or `clip_grad_value_(params, threshold)`. */
export interface ClipSpec {
  mode: ClipMode;
  /** max_norm (mode 'norm') or clip_value (mode 'value'). */
  threshold: number;
  /** The norm clip_grad_norm_ uses; every norm the Lab records uses it too (for every mode). */
  normType: number | 'inf';
}

/**
 * A GradScaler, simulated with PyTorch's semantics: backward of loss × scale, unscale_ once per
 * step, the step skipped when the unscaled gradients hold inf/NaN, then update(): × backoff on a
 * skipped step, × growth after `growthInterval` clean steps in a row.
 */
export interface ScalerSpec {
  initScale: number;
  growthFactor: number;
  backoffFactor: number;
  growthInterval: number;
  /**
   * The Lab computes in float64, where scaled gradients never overflow. With this set, each
   * backward's gradient contribution beyond float16's range (±65504) becomes ±inf, as in a
   * float16 backward, so the scale backs off as it does in mixed-precision training.
   */
  float16Overflow: boolean;
}

/** One of the two runs. Overrides replace the shared setting as a whole. */
export interface RunSpec {
  label: string;
  /** The calls of one pass (one micro-batch), in order. */
  calls: CallSpec[];
  clip?: ClipSpec;
  optimizer?: OptimizerSpec;
  /** null: this run has no scaler even if the experiment has one. */
  scaler?: ScalerSpec | null;
}

export interface Experiment {
  version: 1;
  title?: string;
  model: ModelSpec;
  data: DataSpec;
  /** Seeds the initial weights and (through seed + 1) the data: both runs start from the same ones. */
  seed: number;
  optimizer: OptimizerSpec;
  clip: ClipSpec;
  /** null: no loss scaling. */
  scaler: ScalerSpec | null;
  /** Micro-batches per step (k); each micro-batch's loss is divided by k before backward. */
  accumulation: number;
  /** Optimizer steps (accumulation windows) per run. */
  steps: number;
  a: RunSpec;
  b: RunSpec;
}

export type RunId = 'a' | 'b';

/** The settings one run trains with: the shared ones with its overrides applied. */
export interface ResolvedRun {
  label: string;
  calls: CallSpec[];
  clip: ClipSpec;
  optimizer: OptimizerSpec;
  scaler: ScalerSpec | null;
}

export function resolveRun(experiment: Experiment, id: RunId): ResolvedRun {
  const run = experiment[id];
  return {
    label: run.label,
    calls: run.calls,
    clip: run.clip ?? experiment.clip,
    optimizer: run.optimizer ?? experiment.optimizer,
    scaler: run.scaler === undefined ? experiment.scaler : run.scaler,
  };
}

/** GradScaler's defaults (torch.cuda.amp.GradScaler). */
export const DEFAULT_SCALER: ScalerSpec = {
  initScale: 65536,
  growthFactor: 2,
  backoffFactor: 0.5,
  growthInterval: 2000,
  float16Overflow: true,
};

/** torch.optim's defaults per kind, with the given learning rate. */
export function defaultOptimizer(kind: OptimizerKind, lr: number): OptimizerSpec {
  return {
    kind,
    lr,
    momentum: 0,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay: kind === 'adamw' ? 0.01 : 0,
  };
}

/** Limits that keep a hostile or mistaken document from hanging the worker. */
export const LIMITS = {
  steps: 10_000,
  accumulation: 32,
  callsPerPass: 32,
  inputs: 64,
  outputs: 16,
  hidden: 256,
  depth: 16,
  sequenceLength: 200,
  batchSize: 256,
  batches: 64,
  labelLength: 80,
  titleLength: 200,
  /** Trainable values per model. */
  parameters: 200_000,
  /** Generated data values (inputs and targets), which the PyTorch export writes inline. */
  dataValues: 200_000,
  /** Multiply-adds of both runs together (forward and backward, every micro-batch). */
  work: 2e10,
  /** The same for one step, so that the worker answers pause and reset between steps within a second. */
  stepWork: 1e9,
} as const;

export type ParseResult = { ok: true; experiment: Experiment } | { ok: false; problems: string[] };

/**
 * The one validator: checks an untrusted value (a parsed file, a webview message, CLI input) and
 * returns the experiment with every default filled in, or every problem found, each a sentence
 * that names the field (`steps: …`, `a.calls[2]: …`).
 */
export function parseExperiment(value: unknown): ParseResult {
  return validateExperiment(value);
}

/** The experiment as pretty JSON (every default written out), which parseExperiment reads back. */
export function serializeExperiment(experiment: Experiment): string {
  return JSON.stringify(experiment, null, 2) + '\n';
}

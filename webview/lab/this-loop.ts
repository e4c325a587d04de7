// "This loop": the order of calls the analyzer found in the user's loop (run A) beside the same
// loop with its ordering findings fixed (run B), with the loop's own settings where the code
// states them and the exploding RNN's model and data otherwise.
import { DEFAULT_SCALER, defaultOptimizer, LIMITS, type CallSpec, type ClipSpec, type Experiment, type OptimizerKind } from './experiment';
import { presetExperiment } from './presets';

/**
 * One loop as the analyzer summarises it. Declared here, structurally identical to LoopSummary
 * in server/protocol.ts (the webview cannot import the server; a test keeps the two in step).
 */
export type LoopCallName = 'zero_grad' | 'backward' | 'unscale' | 'clip' | 'step';

export interface LoopCall {
  call: LoopCallName;
  /** Runs only when an accumulation window ends (inside `if (i + 1) % k == 0:`, `if accelerator.sync_gradients:` …). */
  windowEnd?: boolean;
}

export interface LoopInput {
  /** One pass of the loop (one micro-batch under accumulation) as the code runs it, from the step model. */
  order: LoopCall[];
  /** The same pass with this loop's ordering findings (CLP001–CLP005) fixed. */
  fixedOrder: LoopCall[];
  /** Ordering findings in this loop, e.g. ['CLP002']. */
  codes: string[];
  clip?: { kind: 'norm' | 'value'; threshold?: number; thresholdText?: string; normType?: number | 'inf' };
  learningRate?: number;
  learningRateText?: string;
  /** The optimizer as written (`optimizer`, `self.opt`) and its kind when the code constructs it. */
  optimizer?: string;
  optimizerKind?: 'sgd' | 'adam' | 'adamw' | 'rmsprop';
  momentum?: number;
  /** Micro-batches per step when the code states it (`% 4`, `gradient_accumulation_steps=4`, an argparse default). */
  accumulation?: number;
  /** Present when the loop scales its loss with a GradScaler. */
  scaler?: { initScale?: number };
}

/** Learning rates that train the exploding-RNN model in a few hundred steps, per optimizer kind. */
const DEFAULT_LR: Record<OptimizerKind, number> = { sgd: 0.3, adam: 0.01, adamw: 0.01, rmsprop: 0.005 };

/** Micro-batches per window when the code guards its step but does not say how often. */
const DEFAULT_ACCUMULATION = 4;

const STEPS = 300;

function isFinitePositive(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/**
 * The calls of one pass, made runnable: a forward before each backward (the analyzer does not
 * report forwards; the loss is computed right before it is backpropagated), a backward and a step
 * when the loop shows none, at most LIMITS.callsPerPass calls.
 */
export function passFromLoop(order: readonly LoopCall[]): CallSpec[] {
  const calls: CallSpec[] = [];
  for (const c of order) {
    if (calls.length >= LIMITS.callsPerPass - 1) break;
    const windowEnd = c.windowEnd === true ? { windowEnd: true } : {};
    if (c.call === 'backward') calls.push({ call: 'forward', ...windowEnd });
    calls.push({ call: c.call, ...windowEnd });
  }
  if (!calls.some((c) => c.call === 'backward')) calls.unshift({ call: 'forward' }, { call: 'backward' });
  if (!calls.some((c) => c.call === 'step')) calls.push({ call: 'step' });
  return calls.slice(0, LIMITS.callsPerPass);
}

function describeCodes(codes: readonly string[]): string {
  return codes.length ? ` (${codes.join(', ')})` : '';
}

export function experimentFromLoop(loop: LoopInput): Experiment {
  const base = presetExperiment('exploding-rnn');
  const kind: OptimizerKind = loop.optimizerKind ?? 'sgd';
  const lr = isFinitePositive(loop.learningRate) && loop.learningRate <= 100 ? loop.learningRate : DEFAULT_LR[kind];
  const optimizer = defaultOptimizer(kind, lr);
  if ((kind === 'sgd' || kind === 'rmsprop') && typeof loop.momentum === 'number' && loop.momentum >= 0 && loop.momentum < 1) {
    optimizer.momentum = loop.momentum;
  }

  const given = loop.clip;
  const threshold = given && isFinitePositive(given.threshold) && given.threshold <= 1e12 ? given.threshold : base.clip.threshold;
  const normType = given?.normType === 'inf' || (isFinitePositive(given?.normType) && given.normType <= 1000) ? given!.normType! : 2;
  const clip: ClipSpec = { mode: given?.kind ?? 'norm', threshold, normType };

  const guarded = [...loop.order, ...loop.fixedOrder].some((c) => c.windowEnd === true);
  const stated = loop.accumulation;
  const accumulation =
    typeof stated === 'number' && Number.isInteger(stated) && stated >= 1 && stated <= LIMITS.accumulation ? stated : guarded ? DEFAULT_ACCUMULATION : 1;

  const usesScaler = loop.scaler !== undefined || [...loop.order, ...loop.fixedOrder].some((c) => c.call === 'unscale');
  const initScale = loop.scaler?.initScale;
  const scaler = usesScaler ? { ...DEFAULT_SCALER, initScale: isFinitePositive(initScale) && initScale <= 2 ** 64 ? initScale : DEFAULT_SCALER.initScale } : null;

  const threshText = given?.thresholdText ?? String(threshold);
  const clipText = clip.mode === 'value' ? `clip_value=${threshText}` : `max_norm=${threshText}`;
  return {
    ...base,
    title: `This loop${describeCodes(loop.codes)}: your order vs the fixed order, ${clipText}`,
    optimizer,
    clip,
    scaler,
    accumulation,
    steps: STEPS,
    a: { label: `your order${describeCodes(loop.codes)}`, calls: passFromLoop(loop.order) },
    b: { label: 'fixed order', calls: passFromLoop(loop.fixedOrder) },
  };
}

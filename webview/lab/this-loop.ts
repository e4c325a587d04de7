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
const DEFAULT_LR: Record<Exclude<OptimizerKind, 'sgd'>, number> = { adam: 0.01, adamw: 0.01, rmsprop: 0.005 };

/**
 * Clipped SGD moves the weights by lr × max_norm per step; the exploding-RNN preset trains well
 * at 0.3 × 0.05, so an unstated SGD learning rate keeps that product for the loop's max_norm.
 */
const SGD_CLIPPED_STEP = 0.015;

/** max_norm when the code does not state it: the value most code uses. */
const DEFAULT_THRESHOLD = 1;

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
  // Room is kept for a step at the end: a pass without one trains nothing.
  const room = LIMITS.callsPerPass - 1;
  for (const c of order) {
    const windowEnd = c.windowEnd === true ? { windowEnd: true } : {};
    const needed = c.call === 'backward' ? 2 : 1;
    if (calls.length + needed > room) break;
    if (c.call === 'backward') calls.push({ call: 'forward', ...windowEnd });
    calls.push({ call: c.call, ...windowEnd });
  }
  if (!calls.some((c) => c.call === 'backward')) calls.splice(0, Math.max(0, calls.length + 2 - room), { call: 'forward' }, { call: 'backward' });
  if (!calls.some((c) => c.call === 'step')) calls.push({ call: 'step' });
  return calls;
}

/** " (CLP002, CLP004)": each code once, at most five. */
function describeCodes(codes: readonly string[]): string {
  const unique = [...new Set(codes.filter((c) => /^[A-Z]{3}\d{3}$/.test(c)))].slice(0, 5);
  return unique.length ? ` (${unique.join(', ')})` : '';
}

export function experimentFromLoop(loop: LoopInput): Experiment {
  const base = presetExperiment('exploding-rnn');
  const given = loop.clip;
  const threshold = given && isFinitePositive(given.threshold) && given.threshold <= 1e12 ? given.threshold : DEFAULT_THRESHOLD;

  const kind: OptimizerKind = loop.optimizerKind ?? 'sgd';
  const guessed = kind === 'sgd' ? Math.min(1, Math.max(1e-4, SGD_CLIPPED_STEP / threshold)) : DEFAULT_LR[kind];
  const lr = isFinitePositive(loop.learningRate) && loop.learningRate <= 100 ? loop.learningRate : guessed;
  const optimizer = defaultOptimizer(kind, lr);
  if ((kind === 'sgd' || kind === 'rmsprop') && typeof loop.momentum === 'number' && loop.momentum >= 0 && loop.momentum < 1) {
    optimizer.momentum = loop.momentum;
  }

  const normType = given?.normType === 'inf' || (isFinitePositive(given?.normType) && given.normType <= 1000) ? given!.normType! : 2;
  const clip: ClipSpec = { mode: given?.kind ?? 'norm', threshold, normType };

  const guarded = [...loop.order, ...loop.fixedOrder].some((c) => c.windowEnd === true);
  const k = loop.accumulation;
  const accumulation = typeof k === 'number' && Number.isInteger(k) && k >= 1 && k <= LIMITS.accumulation ? k : guarded ? DEFAULT_ACCUMULATION : 1;

  const usesScaler = loop.scaler !== undefined || [...loop.order, ...loop.fixedOrder].some((c) => c.call === 'unscale');
  const initScale = loop.scaler?.initScale;
  const scaler = usesScaler ? { ...DEFAULT_SCALER, initScale: isFinitePositive(initScale) && initScale <= 2 ** 64 ? initScale : DEFAULT_SCALER.initScale } : null;

  return {
    ...base,
    // The threshold is not in the title: the panel shows it next to each run, as the code writes it while it is the code's.
    title: `This loop${describeCodes(loop.codes)}: your order vs the fixed order`,
    optimizer,
    clip,
    scaler,
    accumulation,
    steps: STEPS,
    a: { label: `your order${describeCodes(loop.codes)}`, calls: passFromLoop(loop.order) },
    b: { label: 'fixed order', calls: passFromLoop(loop.fixedOrder) },
  };
}

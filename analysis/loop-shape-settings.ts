// Training settings as the code states them, for loop shapes: what the optimizer is constructed
// with, the GradScaler's initial scale, how many micro-batches an accumulation condition counts.
// A front end fills this in while it builds a unit (so a cached result depends on what it read);
// loop-shape.ts reads it. Plain data, no syntax: the rules' language-neutral world.

/** A number and its spelling in the code (`3e-4`, `1.0`, `2**16`). */
export interface StatedNumber {
  value: number;
  text: string;
}

export type OptimizerKind = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

export interface OptimizerSettings {
  /** Set only for the optimizers the Lab can run; other constructors leave it out. */
  kind?: OptimizerKind;
  learningRate?: StatedNumber;
  momentum?: StatedNumber;
}

export interface ScalerSettings {
  initScale?: StatedNumber;
}

export interface TrainingSettings {
  /** By the optimizer's text in events (`optimizer`, `self.opt`). */
  optimizers: Map<string, OptimizerSettings>;
  /** By the scaler's text in events (`scaler`). */
  scalers: Map<string, ScalerSettings>;
  /** Micro-batches per window, by accumulation guard key (`(i + 1) % 4 == 0`, the sync key). */
  accumulation: Map<string, StatedNumber>;
  /** Conditions that count micro-batches (`% k`) though no call sits under them (`… != 0: continue`). */
  windowConditions: Set<string>;
  /** Passes of a `for` loop over `range(n)`, by the loop's start (`line:character`). */
  iterations: Map<string, StatedNumber>;
  /** Clip thresholds written as names or expressions (`grad_clip`, `args.max_norm`), by their text. */
  thresholds: Map<string, StatedNumber>;
}

export function emptySettings(): TrainingSettings {
  return { optimizers: new Map(), scalers: new Map(), accumulation: new Map(), windowConditions: new Set(), iterations: new Map(), thresholds: new Map() };
}

export function positionKey(position: { line: number; character: number }): string {
  return `${position.line}:${position.character}`;
}

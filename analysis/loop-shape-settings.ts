// Training settings as the code states them, for loop shapes: what the optimizer is constructed
// with, the GradScaler's initial scale, how many micro-batches an accumulation condition counts.
// A front end fills this in while it builds a unit (so a cached result depends on what it read);
// loop-shape.ts reads it. Plain data, no syntax: the rules' language-neutral world.
import type { FlowGraph } from './model/graph';
import { SYNC_KEY } from './model/events';

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

/** What a front end reads of its code for the settings: each answers from text the events carry. */
export interface SettingsSource {
  optimizer(text: string): OptimizerSettings | undefined;
  /** The `k` of an accumulation condition's `… % k`: undefined without a `%`, null when k is not stated. */
  moduloCount(key: string): StatedNumber | null | undefined;
  numberText(text: string): StatedNumber | undefined;
  scaler?(text: string): ScalerSettings;
  acceleratorAccumulation?(text: string): StatedNumber | undefined;
}

/**
 * The settings a unit's events state, read through its front end's source; undefined for a unit
 * without a step. Loop counts (`range(n)`, `for (…; j < n; …)`) are the front end's to add.
 */
export function readTrainingSettings(graph: FlowGraph, reader: SettingsSource): TrainingSettings | undefined {
  let steps = false;
  for (const node of graph.nodes) for (const event of node.events) if (event.kind === 'step') steps = true;
  if (!steps) return undefined;
  const settings = emptySettings();
  for (const node of graph.nodes) {
    for (const event of node.events) {
      if (event.optimizer && !settings.optimizers.has(event.optimizer)) {
        const found = reader.optimizer(event.optimizer);
        if (found) settings.optimizers.set(event.optimizer, found);
      }
      if (event.scaler && reader.scaler && !settings.scalers.has(event.scaler)) settings.scalers.set(event.scaler, reader.scaler(event.scaler));
      if (event.accelerator && reader.acceleratorAccumulation && !settings.accumulation.has(SYNC_KEY)) {
        const steps = reader.acceleratorAccumulation(event.accelerator);
        if (steps) settings.accumulation.set(SYNC_KEY, steps);
      }
      for (const guard of event.guards) {
        if (!guard.accumulation || guard.key === SYNC_KEY || settings.accumulation.has(guard.key)) continue;
        const k = reader.moduloCount(guard.key);
        if (k) settings.accumulation.set(guard.key, k);
      }
      for (const threshold of event.clip?.thresholds ?? []) {
        if (threshold.value !== undefined || settings.thresholds.has(threshold.text)) continue;
        const value = reader.numberText(threshold.text);
        if (value) settings.thresholds.set(threshold.text, value);
      }
    }
  }
  // Conditions no call is under: `if (i + 1) % k != 0: continue` ends a window by skipping the rest.
  for (const node of graph.nodes) {
    for (const edge of node.next) {
      for (const { key } of edge.conditions ?? []) {
        if (!key.includes('%') || settings.windowConditions.has(key)) continue;
        const k = reader.moduloCount(key);
        if (k === undefined) continue;
        settings.windowConditions.add(key);
        if (k) settings.accumulation.set(key, k);
      }
    }
  }
  return settings;
}

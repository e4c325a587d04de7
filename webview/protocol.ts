// The messages between the Gradient Lab view and the extension host, and the readers that check
// them on arrival. Both sides read every message with these: anything unknown or malformed is
// dropped (and logged by the receiver), never acted on. Experiments travel as plain values and are
// validated with parseExperiment where they are used.
import type { LoopInput } from './lab/this-loop';
import { isFiniteNumber, isObject, isOneOf, isString, isWholeNumber, optional, type Fields } from './guards';

/** Where the experiment on show came from. */
export type LabSource =
  | { kind: 'preset'; id: string }
  /** "Show in Gradient Lab" on a loop: A replays the code's order, B the fixed one. */
  | { kind: 'loop'; loop: LoopInput; file: string; line: number; code?: string }
  | { kind: 'file'; name: string };

/** What the view shows, for the extension (and its tests) to observe. */
export interface LabReport {
  title: string;
  source: LabSource['kind'];
  presetId?: string;
  runs: Record<'a' | 'b', { label: string; calls: string[]; completed: number; diverged?: { step: number; reason: string } }>;
  steps: number;
  clip: { mode: string; threshold: number; normType: number | 'inf' };
  optimizer: { kind: string; lr: number; momentum: number };
  accumulation: number;
  /** Points the charts have drawn (the same for every chart). */
  chartPoints: number;
  playing: boolean;
  /** The sentences the panel shows about the difference between A and B. */
  summary: string[];
  /** Date.now() when the first chart point of this experiment was drawn. */
  firstPointAt?: number;
}

// ---- view → host ----

export type ViewMessage =
  /** The page is up; `restored`: it restored its own state (so the host need not send the record). */
  | { type: 'ready'; restored: boolean }
  /** The experiment on show changed or progressed: the host keeps it as the experiment record. */
  | { type: 'report'; experiment: unknown; source: LabSource; report: LabReport }
  | { type: 'save-experiment'; experiment: unknown; suggestedName: string }
  | { type: 'open-experiment' }
  | { type: 'export-csv'; csv: string; suggestedName: string }
  | { type: 'export-png'; dataUrl: string; suggestedName: string }
  | { type: 'copy-pytorch'; experiment: unknown }
  | { type: 'export-pytorch'; experiment: unknown; suggestedName: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** Limits on what the view may send: the host writes files from these. */
export const VIEW_LIMITS = { csvChars: 20_000_000, pngChars: 30_000_000, nameChars: 200, logChars: 2_000 } as const;

const FILE_NAME = /^[\w.\- ()]+$/;

function isFileName(value: unknown): value is string {
  return isString(value, VIEW_LIMITS.nameChars) && FILE_NAME.test(value) && !value.startsWith('.');
}

export function readViewMessage(value: unknown): ViewMessage | undefined {
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return typeof value.restored === 'boolean' ? { type: 'ready', restored: value.restored } : undefined;
    case 'report': {
      const report = readReport(value.report);
      const source = readSource(value.source);
      return report && source && value.experiment !== undefined ? { type: 'report', experiment: value.experiment, source, report } : undefined;
    }
    case 'save-experiment':
    case 'export-pytorch':
      return value.experiment !== undefined && isFileName(value.suggestedName) ? { type: value.type, experiment: value.experiment, suggestedName: value.suggestedName } : undefined;
    case 'open-experiment':
      return { type: 'open-experiment' };
    case 'export-csv':
      return isString(value.csv, VIEW_LIMITS.csvChars) && isFileName(value.suggestedName) ? { type: 'export-csv', csv: value.csv, suggestedName: value.suggestedName } : undefined;
    case 'export-png':
      return isString(value.dataUrl, VIEW_LIMITS.pngChars) && /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(value.dataUrl) && isFileName(value.suggestedName)
        ? { type: 'export-png', dataUrl: value.dataUrl, suggestedName: value.suggestedName }
        : undefined;
    case 'copy-pytorch':
      return value.experiment !== undefined ? { type: 'copy-pytorch', experiment: value.experiment } : undefined;
    case 'log':
      return isOneOf(value.level, ['info', 'warn', 'error'] as const) && isString(value.message, VIEW_LIMITS.logChars) ? { type: 'log', level: value.level, message: value.message } : undefined;
    default:
      return undefined;
  }
}

function readReport(value: unknown): LabReport | undefined {
  if (!isObject(value)) return undefined;
  const { runs, clip, optimizer } = value;
  const ok =
    isString(value.title, 400) &&
    isOneOf(value.source, ['preset', 'loop', 'file'] as const) &&
    optional(value.presetId, (v): v is string => isString(v, 80)) &&
    isObject(runs) && isRunReport(runs.a) && isRunReport(runs.b) &&
    isWholeNumber(value.steps) &&
    isObject(clip) && isString(clip.mode, 10) && isFiniteNumber(clip.threshold) && (isFiniteNumber(clip.normType) || clip.normType === 'inf') &&
    isObject(optimizer) && isString(optimizer.kind, 10) && isFiniteNumber(optimizer.lr) && isFiniteNumber(optimizer.momentum) &&
    isWholeNumber(value.accumulation) &&
    isWholeNumber(value.chartPoints) &&
    typeof value.playing === 'boolean' &&
    Array.isArray(value.summary) && value.summary.length <= 20 && value.summary.every((s) => isString(s, 1000)) &&
    optional(value.firstPointAt, isFiniteNumber);
  return ok ? (value as unknown as LabReport) : undefined;
}

function isRunReport(value: unknown): boolean {
  if (!isObject(value)) return false;
  const diverged = value.diverged;
  return (
    isString(value.label, 200) &&
    Array.isArray(value.calls) && value.calls.length <= 64 && value.calls.every((c) => isString(c, 40)) &&
    isWholeNumber(value.completed) &&
    (diverged === undefined || (isObject(diverged) && isWholeNumber(diverged.step) && isString(diverged.reason, 500)))
  );
}

// ---- host → view ----

export type HostMessage =
  /** Open "this loop": A = the loop's order, B = the fixed order. `sentAt`: Date.now() at the command. */
  | { type: 'show-loop'; loop: LoopInput; file: string; line: number; code?: string; sentAt: number }
  /** Show a validated experiment: an opened file, or the experiment record when the view lost its state. */
  | { type: 'show-experiment'; experiment: unknown; source: LabSource; sentAt: number }
  /** The presets, when the command has no loop to show. */
  | { type: 'show-presets'; sentAt: number }
  | { type: 'notice'; level: 'info' | 'error'; message: string };

export function readHostMessage(value: unknown): HostMessage | undefined {
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case 'show-loop': {
      const loop = readLoop(value.loop);
      const ok = loop && isString(value.file, 2000) && isWholeNumber(value.line) && optional(value.code, (v): v is string => isString(v, 20)) && isFiniteNumber(value.sentAt);
      if (!ok) return undefined;
      const message: HostMessage = { type: 'show-loop', loop, file: value.file as string, line: value.line as number, sentAt: value.sentAt as number };
      if (typeof value.code === 'string') message.code = value.code;
      return message;
    }
    case 'show-experiment': {
      const source = readSource(value.source);
      return source && value.experiment !== undefined && isFiniteNumber(value.sentAt) ? { type: 'show-experiment', experiment: value.experiment, source, sentAt: value.sentAt } : undefined;
    }
    case 'show-presets':
      return isFiniteNumber(value.sentAt) ? { type: 'show-presets', sentAt: value.sentAt } : undefined;
    case 'notice':
      return isOneOf(value.level, ['info', 'error'] as const) && isString(value.message, 4000) ? { type: 'notice', level: value.level, message: value.message } : undefined;
    default:
      return undefined;
  }
}

export function readSource(value: unknown): LabSource | undefined {
  if (!isObject(value)) return undefined;
  switch (value.kind) {
    case 'preset':
      return isString(value.id, 80) ? { kind: 'preset', id: value.id } : undefined;
    case 'file':
      return isString(value.name, 400) ? { kind: 'file', name: value.name } : undefined;
    case 'loop': {
      const loop = readLoop(value.loop);
      if (!loop || !isString(value.file, 2000) || !isWholeNumber(value.line)) return undefined;
      const source: LabSource = { kind: 'loop', loop, file: value.file, line: value.line };
      if (isString(value.code, 20)) source.code = value.code;
      return source;
    }
    default:
      return undefined;
  }
}

const LOOP_CALLS = ['zero_grad', 'backward', 'unscale', 'clip', 'step'] as const;
const OPTIMIZER_KINDS = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;

function readCalls(value: unknown): LoopInput['order'] | undefined {
  if (!Array.isArray(value) || value.length > 64) return undefined;
  const calls: LoopInput['order'] = [];
  for (const item of value) {
    if (!isObject(item) || !isOneOf(item.call, LOOP_CALLS) || !optional(item.windowEnd, (v): v is boolean => typeof v === 'boolean')) return undefined;
    calls.push(item.windowEnd === undefined ? { call: item.call } : { call: item.call, windowEnd: item.windowEnd });
  }
  return calls;
}

/** A LoopSummary from the language server, copied field by field (nothing else passes). */
export function readLoop(value: unknown): LoopInput | undefined {
  if (!isObject(value)) return undefined;
  const order = readCalls(value.order);
  const fixedOrder = readCalls(value.fixedOrder);
  if (!order || !fixedOrder || !Array.isArray(value.codes) || value.codes.length > 20 || !value.codes.every((c) => isString(c, 20))) return undefined;
  const loop: LoopInput = { order, fixedOrder, codes: [...(value.codes as string[])] };
  const number = (key: string, field: Fields = value) => (isFiniteNumber(field[key]) ? (field[key] as number) : undefined);
  const text = (key: string, field: Fields = value) => (isString(field[key], 40) ? (field[key] as string) : undefined);
  if (isObject(value.clip) && isOneOf(value.clip.kind, ['norm', 'value'] as const)) {
    const clip: NonNullable<LoopInput['clip']> = { kind: value.clip.kind };
    const threshold = number('threshold', value.clip);
    const thresholdText = text('thresholdText', value.clip);
    const normType = value.clip.normType === 'inf' ? 'inf' : number('normType', value.clip);
    if (threshold !== undefined) clip.threshold = threshold;
    if (thresholdText !== undefined) clip.thresholdText = thresholdText;
    if (normType !== undefined) clip.normType = normType;
    loop.clip = clip;
  }
  const learningRate = number('learningRate');
  if (learningRate !== undefined) loop.learningRate = learningRate;
  const learningRateText = text('learningRateText');
  if (learningRateText !== undefined) loop.learningRateText = learningRateText;
  if (isString(value.optimizer, 200)) loop.optimizer = value.optimizer;
  if (isOneOf(value.optimizerKind, OPTIMIZER_KINDS)) loop.optimizerKind = value.optimizerKind;
  const momentum = number('momentum');
  if (momentum !== undefined) loop.momentum = momentum;
  if (isWholeNumber(value.accumulation, 1, 1_000_000)) loop.accumulation = value.accumulation;
  if (isObject(value.scaler)) {
    const initScale = number('initScale', value.scaler);
    loop.scaler = initScale === undefined ? {} : { initScale };
  }
  return loop;
}

// The messages between the Lab's page and its training worker. Every message carries the token
// of the experiment it is about, so answers about an experiment the page has since replaced are
// dropped. The page and the worker check each other's messages with these readers.
import type { RunStatus, StepRecord } from './lab/runner';
import { isFiniteNumber, isObject, isOneOf, isWholeNumber } from './guards';

/** Steps per second, or 'max' to train as fast as the worker can. */
export type Speed = number | 'max';

export type TrainerCommand =
  | { type: 'load'; token: number; experiment: unknown }
  | { type: 'play'; token: number }
  | { type: 'pause'; token: number }
  | { type: 'step'; token: number }
  | { type: 'speed'; token: number; speed: Speed }
  /** Train without pacing up to `step` (restoring a view that was hidden mid-run), then pause. */
  | { type: 'advance-to'; token: number; step: number };

export type TrainerEvent =
  | { type: 'loaded'; token: number; layerNames: string[]; labels: { a: string; b: string }; steps: number }
  | {
      type: 'records';
      token: number;
      a: StepRecord[];
      b: StepRecord[];
      status: { a: RunStatus; b: RunStatus };
      finished: boolean;
      playing: boolean;
    }
  | { type: 'failed'; token: number; problems: string[] };

export const MAX_SPEED = 100_000;

export function isSpeed(value: unknown): value is Speed {
  return value === 'max' || (isFiniteNumber(value) && value > 0 && value <= MAX_SPEED);
}

export function readTrainerCommand(value: unknown): TrainerCommand | undefined {
  if (!isObject(value) || !isWholeNumber(value.token)) return undefined;
  const token = value.token;
  switch (value.type) {
    case 'load':
      return { type: 'load', token, experiment: value.experiment };
    case 'play':
    case 'pause':
    case 'step':
      return { type: value.type, token };
    case 'speed':
      return isSpeed(value.speed) ? { type: 'speed', token, speed: value.speed } : undefined;
    case 'advance-to':
      return isWholeNumber(value.step, 0, 1_000_000) ? { type: 'advance-to', token, step: value.step } : undefined;
    default:
      return undefined;
  }
}

/**
 * The worker is our own bundle, so its events are trusted for shape beyond these checks; the
 * checks keep a stray message (another script's postMessage) from being read as one.
 */
export function readTrainerEvent(value: unknown): TrainerEvent | undefined {
  if (!isObject(value) || !isWholeNumber(value.token) || !isOneOf(value.type, ['loaded', 'records', 'failed'] as const)) return undefined;
  switch (value.type) {
    case 'loaded':
      return Array.isArray(value.layerNames) && isObject(value.labels) && isWholeNumber(value.steps) ? (value as unknown as TrainerEvent) : undefined;
    case 'records':
      return Array.isArray(value.a) && Array.isArray(value.b) && isObject(value.status) && typeof value.finished === 'boolean' ? (value as unknown as TrainerEvent) : undefined;
    case 'failed':
      return Array.isArray(value.problems) ? (value as unknown as TrainerEvent) : undefined;
  }
}

// What the view keeps across being hidden, a webview reload and a window reload: the experiment,
// where it came from, how far it had trained and whether it was training. Training is
// deterministic, so the view restores by training again to the same step (fast, unpaced).
import { isObject, isWholeNumber } from './guards';
import { readSource, type LabSource } from './protocol';
import { isSpeed, type Speed } from './worker-protocol';

export interface SavedLab {
  version: 1;
  /** Validated again with parseExperiment when restored. */
  experiment: unknown;
  source: LabSource;
  reached: number;
  playing: boolean;
  speed: Speed;
}

export function readSavedLab(value: unknown): SavedLab | undefined {
  if (!isObject(value) || value.version !== 1 || value.experiment === undefined) return undefined;
  const source = readSource(value.source);
  if (!source || !isWholeNumber(value.reached) || typeof value.playing !== 'boolean' || !isSpeed(value.speed)) return undefined;
  return { version: 1, experiment: value.experiment, source, reached: value.reached, playing: value.playing, speed: value.speed };
}

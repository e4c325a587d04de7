// What a run trains with, in words, always from the experiment as it is now. Labels and titles
// name only the order of calls ("clip before step", "your order"), never a setting: the panel's
// controls change the settings, and a label that said max_norm=0.05 would go stale the moment the
// slider moved. Settings are said here, at the one place they are shown, next to each run.
import { resolveRun, type ClipSpec, type Experiment, type RunId } from './experiment';
import { isNumberLiteral, pyRepr } from './py-repr';

/** A threshold as the user's code writes it ("1.0", ".5"), kept only while the experiment's threshold is still that value. */
export interface WrittenThreshold {
  threshold: number;
  text: string;
}

/** One line of at most `max` characters (the code's spelling may span lines or carry control characters). */
function oneLine(text: string, max: number): string {
  const line = text.replace(/[\s\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** The clip's threshold as the code writes it while it is still the code's, else as Python writes the number ("1.0"). */
export function thresholdText(clip: ClipSpec, written?: WrittenThreshold): string {
  return written && written.threshold === clip.threshold && written.text.trim() ? oneLine(written.text, 24) : pyRepr(clip.threshold);
}

/** The threshold as a number literal: the code's own spelling when that is one ("1.0", ".5") and still the value, else Python's ("1.0"); never a name. */
export function thresholdNumber(threshold: number, written?: WrittenThreshold): string {
  return written && written.threshold === threshold && isNumberLiteral(written.text) ? written.text.trim() : pyRepr(threshold);
}

/** How a run clips, in the words of PyTorch's call, with the threshold as the code writes it when it still applies. */
export function describeClip(clip: ClipSpec, written?: WrittenThreshold): string {
  if (clip.mode === 'off') return 'no clipping';
  const threshold = thresholdText(clip, written);
  if (clip.mode === 'value') return `clip_grad_value_(clip_value=${threshold})`;
  const norm = clip.normType === 2 ? '' : `, norm_type=${clip.normType === 'inf' ? "'inf'" : clip.normType}`;
  return `clip_grad_norm_(max_norm=${threshold}${norm})`;
}

/** A run's settings: its clip, optimizer and learning rate, accumulation and loss scaler. */
export function runSettings(experiment: Experiment, id: RunId, written?: WrittenThreshold): string[] {
  const run = resolveRun(experiment, id);
  const { kind, lr, momentum } = run.optimizer;
  const optimizer = (kind === 'sgd' || kind === 'rmsprop') && momentum > 0 ? `${kind} lr ${pyRepr(lr)}, momentum ${pyRepr(momentum)}` : `${kind} lr ${pyRepr(lr)}`;
  const settings = [describeClip(run.clip, written), optimizer];
  if (experiment.accumulation > 1) settings.push(`${experiment.accumulation} micro-batches per step`);
  if (run.scaler) settings.push(`GradScaler from ${run.scaler.initScale}`);
  return settings;
}

// What the panel says in words about the difference between runs A and B, from the records so
// far: for "this loop", what the user's order did to the gradients the step used (against the
// threshold as the code writes it); for the other experiments, the same facts per run.
import { resolveRun, type Experiment } from './lab/experiment';
import type { RunStatus, StepRecord } from './lab/runner';
import { thresholdText } from './lab/run-settings';
import type { LabSource } from './protocol';
import { writtenThreshold } from './showing';

export interface RunProgress {
  records: readonly StepRecord[];
  status: RunStatus | undefined;
}

/** A measured number, short: two significant digits, exponent form outside [0.001, 100000). */
export function formatMeasured(value: number): string {
  if (!Number.isFinite(value)) return String(value).toLowerCase();
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(1).replace('e+', 'e');
  return String(Number(value.toPrecision(2)));
}

export function median(values: number[]): number {
  const finite = values.filter(Number.isFinite).sort((x, y) => x - y);
  if (!finite.length) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

const WHAT_THE_ORDER_DOES: Record<string, string> = {
  CLP001: 'your order clips before backward(), so the clip never sees the gradients the step applies',
  CLP002: 'your order clips after step(): the update has already used the unclipped gradients',
  CLP003: 'your order clips gradients still multiplied by the loss scale, so the clip crushes them',
  CLP004: 'your order clips on every micro-batch: it clips partial sums, not the gradient the step applies',
  CLP005: 'your order clears the gradients between backward() and step(): the step sees zeros',
};

function thresholdPhrase(experiment: Experiment, source: LabSource): string | undefined {
  const clip = experiment.clip;
  if (clip.mode === 'off') return undefined;
  const name = clip.mode === 'value' ? 'clip_value' : 'max_norm';
  return `${name} ${thresholdText(clip, writtenThreshold(source))}`;
}

function stepNorm(progress: RunProgress): number {
  return median(progress.records.map((r) => r.normAfter));
}

function lastLoss(progress: RunProgress): number {
  const records = progress.records;
  for (let i = records.length - 1; i >= 0; i--) if (Number.isFinite(records[i].loss)) return records[i].loss;
  return NaN;
}

function divergence(name: string, progress: RunProgress): string | undefined {
  const d = progress.status?.diverged;
  return d ? `${name} diverged at step ${d.step}: ${d.reason}.` : undefined;
}

export function summarize(experiment: Experiment, source: LabSource, a: RunProgress, b: RunProgress): string[] {
  if (!a.records.length && !b.records.length) return [];
  const lines: string[] = [];
  const threshold = thresholdPhrase(experiment, source);
  const against = threshold ? ` against ${threshold}` : '';
  if (source.kind === 'loop') {
    const code = source.loop.codes.find((c) => c in WHAT_THE_ORDER_DOES);
    const intro = code ? `${capitalize(WHAT_THE_ORDER_DOES[code])}. ` : '';
    lines.push(`${intro}Your order: the step used gradients of norm ${formatMeasured(stepNorm(a))}${against}; the fixed order: ${formatMeasured(stepNorm(b))}.`);
    lines.push(`Loss: ${formatMeasured(lastLoss(a))} in your order after ${a.records.length} steps, ${formatMeasured(lastLoss(b))} in the fixed order after ${b.records.length}.`);
  } else {
    for (const [id, progress] of [['A', a], ['B', b]] as const) {
      const run = resolveRun(experiment, id === 'A' ? 'a' : 'b');
      const norms = progress.records.map((r) => r.normAfter).filter(Number.isFinite);
      const largest = norms.length ? Math.max(...norms) : NaN;
      const clipped = run.clip.mode === 'off' ? '' : `${against}`;
      lines.push(`${id} (${run.label}): the step used gradients of norm ${formatMeasured(median(norms))} (largest ${formatMeasured(largest)})${clipped}; loss ${formatMeasured(lastLoss(progress))} after ${progress.records.length} steps.`);
    }
  }
  for (const line of [divergence(source.kind === 'loop' ? 'Your order' : 'A', a), divergence(source.kind === 'loop' ? 'The fixed order' : 'B', b)]) if (line) lines.push(line);
  return lines;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

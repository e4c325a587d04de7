// What the panel says in words about runs A and B, from the records so far: for "this loop", what
// the user's order does; then for each run, counted over its steps, how many updates used clipped
// gradients, the norm of the gradients the step used against max_norm (as the code writes it), steps
// the GradScaler skipped, and the loss where the run is. Every number is counted or measured from
// the records the charts show.
import { resolveRun, type ClipSpec, type Experiment, type ResolvedRun, type RunId } from './lab/experiment';
import type { RunStatus, StepRecord } from './lab/runner';
import { thresholdText } from './lab/run-settings';
import type { LabSource } from './protocol';
import { writtenThreshold } from './showing';

export interface RunProgress {
  records: readonly StepRecord[];
  status: RunStatus | undefined;
}

/** A measured number, short: two significant digits ("1.0", "0.032", "120"), exponent form outside [0.001, 100000). */
export function formatMeasured(value: number): string {
  if (!Number.isFinite(value)) return String(value).toLowerCase();
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(1).replace('e+', 'e');
  return magnitude >= 100 ? String(Number(value.toPrecision(2))) : value.toPrecision(2);
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

/** clip_grad_norm_ scales by max_norm / (total_norm + 1e-6): what it leaves may sit a hair above max_norm. */
const WITHIN = 1 + 1e-6;

/** "1 step", "300 steps". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Whether the run's first clip comes before its first step in the calls of a pass. */
function clipsBeforeStep(run: ResolvedRun): boolean {
  const calls = run.calls.map((c) => c.call);
  const clip = calls.indexOf('clip');
  return clip >= 0 && clip < calls.indexOf('step');
}

/**
 * How many of the run's updates used gradients its clip had scaled down: a clip that runs before
 * the step measured more than max_norm (or, by value, changed the gradients) and the step then saw
 * non-zero gradients no larger than what the clip measured.
 */
function clippedUpdates(run: ResolvedRun, records: readonly StepRecord[]): number {
  if (run.clip.mode === 'off' || !clipsBeforeStep(run)) return 0;
  const threshold = run.clip.threshold;
  return records.filter((r) => r.normAfter > 0 && (run.clip.mode === 'norm' ? r.normBefore > threshold && r.normAfter <= threshold * WITHIN : r.normAfter < r.normBefore)).length;
}

function clipPart(run: ResolvedRun, records: readonly StepRecord[], threshold: string | undefined): string {
  const n = records.length;
  if (run.clip.mode === 'off') return 'no clipping';
  if (!clipsBeforeStep(run)) return run.calls.some((c) => c.call === 'clip') ? 'no update used clipped gradients (the clip runs after step())' : 'no clipping';
  const clipped = clippedUpdates(run, records);
  const used = clipped === n ? `all ${count(n, 'update')} used clipped gradients` : `${clipped} of ${count(n, 'update')} used clipped gradients`;
  const stepping = records.filter((r) => r.normAfter > 0);
  // A clip that measured zeros ran where there were no gradients yet (before backward, after zero_grad).
  const blind = stepping.filter((r) => r.normBefore === 0).length;
  if (blind === stepping.length && blind > 0) return `${used} (the clip measured zero gradients: it ran before there were any)`;
  // By norm, the others are steps whose clip measured no more than max_norm (a clip leaves those as they are).
  const within = run.clip.mode === 'norm' ? stepping.filter((r) => r.normBefore > 0 && r.normBefore <= run.clip.threshold).length : 0;
  return within && clipped + within === stepping.length && threshold ? `${used} (in the other ${within} the norm was already within max_norm ${threshold})` : used;
}

function normPart(records: readonly StepRecord[], clip: ClipSpec, threshold: string | undefined): string {
  const n = records.length;
  const norms = records.map((r) => r.normAfter);
  const zeros = norms.filter((v) => v === 0).length;
  if (zeros === n) return `every update used zero gradients`;
  const finite = norms.filter(Number.isFinite);
  const largest = finite.length ? Math.max(...finite) : NaN;
  let part = `the step used gradients of norm ${formatMeasured(median(norms))} (median; largest ${formatMeasured(largest)})`;
  if (clip.mode === 'norm' && threshold) {
    const over = norms.filter((v) => !(v <= clip.threshold * WITHIN)).length;
    part += ` against max_norm ${threshold}, ${over ? `above it in ${over} of ${count(n, 'step')}` : 'never above it'}`;
  }
  if (zeros) part += `; zero gradients in ${count(zeros, 'step')}`;
  return part;
}

/** One line of the summary: about one run (named, so the panel can show the name in the run's colour) or about both. */
export interface SummaryLine {
  run?: RunId;
  name?: string;
  text: string;
}

function runLine(name: string, experiment: Experiment, id: RunId, progress: RunProgress, source: LabSource): SummaryLine {
  const run = resolveRun(experiment, id);
  const records = progress.records;
  const n = records.length;
  if (!n) return { run: id, name, text: 'no step yet.' };
  // Norms are compared with the run's own max_norm, or, for a run that does not clip, with the one the experiment sets.
  const clip = run.clip.mode === 'off' ? experiment.clip : run.clip;
  const threshold = clip.mode === 'off' ? undefined : thresholdText(clip, writtenThreshold(source));
  const parts = [clipPart(run, records, threshold), normPart(records, clip, threshold)];
  const skipped = records.filter((r) => r.stepSkipped).length;
  if (skipped) parts.push(`the GradScaler skipped ${skipped} of ${count(n, 'step')} (inf or NaN gradients)`);
  const loss = records[n - 1].loss;
  if (!progress.status?.diverged) parts.push(n === experiment.steps ? `final loss ${formatMeasured(loss)}` : `loss ${formatMeasured(loss)} at step ${n}`);
  return { run: id, name, text: `${parts.join('; ')}.` };
}

function divergence(name: string, progress: RunProgress): string | undefined {
  const d = progress.status?.diverged;
  return d ? `${name} diverged at step ${d.step}: ${d.reason}.` : undefined;
}

/** The summary as the panel shows it: each run's line with the run's name apart. */
export function summaryLines(experiment: Experiment, source: LabSource, a: RunProgress, b: RunProgress): SummaryLine[] {
  if (!a.records.length && !b.records.length) return [];
  const lines: SummaryLine[] = [];
  const loop = source.kind === 'loop';
  if (loop) {
    const code = source.loop.codes.find((c) => c in WHAT_THE_ORDER_DOES);
    if (code) lines.push({ text: `${capitalize(WHAT_THE_ORDER_DOES[code])}.` });
  }
  const names = loop ? { a: 'A, your order', b: 'B, the fixed order' } : { a: `A (${resolveRun(experiment, 'a').label})`, b: `B (${resolveRun(experiment, 'b').label})` };
  lines.push(runLine(names.a, experiment, 'a', a, source), runLine(names.b, experiment, 'b', b, source));
  for (const line of [divergence(loop ? 'Your order' : 'A', a), divergence(loop ? 'The fixed order' : 'B', b)]) if (line) lines.push({ text: line });
  return lines;
}

/** A summary line as one sentence: "A, your order: 0 of 300 updates …". */
export function sentence(line: SummaryLine): string {
  return line.name ? `${line.name}: ${line.text}` : line.text;
}

/** The summary as sentences (the report to the host carries these). */
export function summarize(experiment: Experiment, source: LabSource, a: RunProgress, b: RunProgress): string[] {
  return summaryLines(experiment, source, a, b).map(sentence);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

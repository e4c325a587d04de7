// What the panel has on show (the experiment, where it came from, both runs' records so far), and
// what follows from it without the page: the words under the title and the report to the host.
import { resolveRun, type Experiment, type RunId } from './lab/experiment';
import { PRESETS } from './lab/presets';
import type { WrittenThreshold } from './lab/run-settings';
import type { RunStatus, StepRecord } from './lab/runner';
import type { LabReport, LabSource } from './protocol';

export interface RunState {
  label: string;
  records: StepRecord[];
  status: RunStatus | undefined;
}

export interface Showing {
  experiment: Experiment;
  source: LabSource;
  layerNames: string[];
  runs: Record<RunId, RunState>;
  finished: boolean;
  /** Train to this step first (restoring). */
  restoreTo: number;
  firstPointAt?: number;
}

export function describeSource(source: LabSource): string {
  if (source.kind === 'preset') return PRESETS.find((p) => p.id === source.id)?.description ?? '';
  if (source.kind === 'file') return `Opened from ${source.name}.`;
  const codes = source.loop.codes.length ? ` Findings: ${source.loop.codes.join(', ')}.` : ' No ordering finding in this loop.';
  return `The loop at ${baseName(source.file)}:${source.line + 1}: run A calls things in your code's order, run B in the fixed order, on the same model, data and initial weights.${codes}`;
}

/** The threshold as the loop's code writes it ("1.0"), for a loop that states one. */
export function writtenThreshold(source: LabSource): WrittenThreshold | undefined {
  const given = source.kind === 'loop' ? source.loop.clip : undefined;
  return given?.threshold !== undefined && given.thresholdText ? { threshold: given.threshold, text: given.thresholdText } : undefined;
}

export function reportOf(showing: Showing, view: { chartPoints: number; playing: boolean; summary: string[] }): LabReport {
  const { experiment } = showing;
  const run = (id: RunId): LabReport['runs']['a'] => {
    const resolved = resolveRun(experiment, id);
    const diverged = showing.runs[id].status?.diverged;
    return {
      label: showing.runs[id].label,
      calls: resolved.calls.map((c) => c.call),
      completed: showing.runs[id].records.length,
      ...(diverged ? { diverged: { step: diverged.step, reason: diverged.reason } } : {}),
    };
  };
  return {
    title: experiment.title ?? '',
    source: showing.source.kind,
    ...(showing.source.kind === 'preset' ? { presetId: showing.source.id } : {}),
    runs: { a: run('a'), b: run('b') },
    steps: experiment.steps,
    clip: { ...experiment.clip },
    optimizer: { kind: experiment.optimizer.kind, lr: experiment.optimizer.lr, momentum: experiment.optimizer.momentum },
    accumulation: experiment.accumulation,
    chartPoints: view.chartPoints,
    playing: view.playing,
    summary: view.summary,
    ...(showing.firstPointAt !== undefined ? { firstPointAt: showing.firstPointAt } : {}),
  };
}

/** The file name of a URI or path, for "train.py:42". */
export function baseName(path: string): string {
  const clean = path.split(/[?#]/)[0];
  return decodeURIComponent(clean.slice(clean.lastIndexOf('/') + 1)) || path;
}

// Runs an experiment's two runs side by side, one step at a time (the panel's worker) or to the
// end (`clipwise lab run`, tests): the same code either way.
import type { Experiment, RunId } from './experiment';
import { LabRun } from './interpreter';
import { generateData } from './model';

/** What one step (one accumulation window) did. Norms use the run's clip norm type. */
export interface StepRecord {
  /** 1-based. */
  step: number;
  /** Mean loss of the window's forward passes (before division by k and before scaling). */
  loss: number;
  /**
   * Total gradient norm before clipping: what the last clip before the step measured (scaled
   * gradients if the scaler has not unscaled them yet); for a clip that only runs after the
   * step, what it measured; with no clip, the same as normAfter.
   */
  normBefore: number;
  /** Total norm of the gradients the optimizer step saw (unscaled). */
  normAfter: number;
  /** ‖θ_after − θ_before‖₂ over all parameters for this step. */
  updateSize: number;
  /** Per layer (see ExperimentRun.layerNames), the gradient norm the step saw. */
  layerNorms: number[];
  /** The loss scale this step's backward used (runs with a scaler only). */
  lossScale?: number;
  /** The scaler skipped optimizer.step() because the gradients held inf/NaN (runs with a scaler only). */
  stepSkipped?: boolean;
}

export interface Divergence {
  /** The step at which the run stopped. */
  step: number;
  reason: string;
  /** 'nonfinite': inf/NaN loss or parameters (the step's record is kept); 'error': a call PyTorch would refuse (no record for that step). */
  kind: 'nonfinite' | 'error';
}

export interface RunStatus {
  done: boolean;
  diverged?: Divergence;
}

export interface AdvanceResult {
  a?: StepRecord;
  b?: StepRecord;
}

export class ExperimentRun {
  readonly experiment: Experiment;
  /** Names of the layers whose gradient norms StepRecord.layerNorms lists, in that order. */
  readonly layerNames: string[];
  readonly labels: Record<RunId, string>;
  private readonly runs: Record<RunId, LabRun>;

  /** `experiment` must come from parseExperiment (or a preset): it is not validated again here. */
  constructor(experiment: Experiment) {
    this.experiment = experiment;
    // One data set for both runs: the same batches in the same order.
    const data = generateData(experiment.data, experiment.model, experiment.seed);
    this.runs = { a: new LabRun(experiment, 'a', data), b: new LabRun(experiment, 'b', data) };
    this.layerNames = this.runs.a.model.layers.map((l) => l.name);
    this.labels = { a: this.runs.a.settings.label, b: this.runs.b.settings.label };
  }

  /** Runs one step of each run that is still going. */
  advance(): AdvanceResult {
    const result: AdvanceResult = {};
    const a = this.runs.a.advance();
    const b = this.runs.b.advance();
    if (a) result.a = a;
    if (b) result.b = b;
    return result;
  }

  status(id: RunId): RunStatus {
    return this.runs[id].status;
  }

  /** Steps completed by each run. */
  completed(id: RunId): number {
    return this.runs[id].completed;
  }

  get finished(): boolean {
    return this.runs.a.status.done && this.runs.b.status.done;
  }
}

export interface RunResult {
  label: string;
  records: StepRecord[];
  status: RunStatus;
}

export interface ExperimentResult {
  layerNames: string[];
  a: RunResult;
  b: RunResult;
}

/** Both runs to the end (or to divergence), for headless use. */
export function runToEnd(experiment: Experiment): ExperimentResult {
  const run = new ExperimentRun(experiment);
  const records: Record<RunId, StepRecord[]> = { a: [], b: [] };
  while (!run.finished) {
    const { a, b } = run.advance();
    if (a) records.a.push(a);
    if (b) records.b.push(b);
  }
  const result = (id: RunId): RunResult => ({ label: run.labels[id], records: records[id], status: run.status(id) });
  return { layerNames: run.layerNames, a: result('a'), b: result('b') };
}

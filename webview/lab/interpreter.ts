// The call interpreter: one run of an experiment, one step (accumulation window) at a time. Each
// pass (micro-batch) executes the run's calls in order over engine/; calls marked windowEnd run
// only on the window's last pass. What each call does is what the PyTorch call does:
//   zero_grad  optimizer.zero_grad(set_to_none=False) (PyTorch 1.13's default: zeros in place)
//   forward    loss = mse_loss(model(x), y) on this micro-batch
//   backward   (loss / k).backward(), or scaler.scale(loss / k).backward() under a scaler
//   unscale    scaler.unscale_(optimizer); nothing without a scaler (a disabled GradScaler)
//   clip       clip_grad_norm_(params, threshold, norm_type) or clip_grad_value_(params, threshold)
//   step       optimizer.step(), or scaler.step(optimizer) + scaler.update() under a scaler
import { Adam, AdamW, clipGradNorm_, clipGradValue_, div, mul, noGrad, RMSprop, SGD, type Optimizer, type Tensor } from '../../engine';
import { resolveRun, type Experiment, type OptimizerSpec, type ResolvedRun, type RunId } from './experiment';
import { buildModel, type Batch, type LabModel } from './model';
import { gradNorm, parameterDistance, snapshot } from './measure';
import { ScalerCallError, SimulatedGradScaler } from './scaler';
import type { RunStatus, StepRecord } from './runner';

type AnyOptimizer = Optimizer<{ lr: number }, unknown>;

export function buildOptimizer(spec: OptimizerSpec, params: Tensor[]): AnyOptimizer {
  const { lr, momentum, betas, eps, weightDecay } = spec;
  switch (spec.kind) {
    case 'sgd':
      return new SGD(params, { lr, momentum, weightDecay });
    case 'adam':
      return new Adam(params, { lr, betas, eps, weightDecay });
    case 'adamw':
      return new AdamW(params, { lr, betas, eps, weightDecay });
    case 'rmsprop':
      return new RMSprop(params, { lr, momentum, eps, weightDecay });
  }
}

/** How a clip saw the gradients: the total norm it measured, and whether a step had already run in this window. */
interface ClipSighting {
  norm: number;
  afterStep: boolean;
}

export class LabRun {
  readonly settings: ResolvedRun;
  readonly model: LabModel;
  private readonly optimizer: AnyOptimizer;
  private readonly scaler: SimulatedGradScaler | null;
  private readonly accumulation: number;
  private readonly steps: number;
  private stepIndex = 0;
  private state: RunStatus = { done: false };

  constructor(
    experiment: Experiment,
    id: RunId,
    private readonly data: readonly Batch[],
  ) {
    this.settings = resolveRun(experiment, id);
    // Both runs build their model from the same seed: the same initial weights.
    this.model = buildModel(experiment.model, experiment.seed);
    this.optimizer = buildOptimizer(this.settings.optimizer, this.model.parameters);
    this.scaler = this.settings.scaler ? new SimulatedGradScaler(this.settings.scaler) : null;
    this.accumulation = experiment.accumulation;
    this.steps = experiment.steps;
  }

  get status(): RunStatus {
    return this.state;
  }

  /** Steps completed so far. */
  get completed(): number {
    return this.stepIndex;
  }

  /** Runs the next step; undefined once the run is done (finished, diverged or stopped). */
  advance(): StepRecord | undefined {
    if (this.state.done) return undefined;
    const step = this.stepIndex + 1;
    let record: StepRecord;
    try {
      record = this.runWindow(step);
    } catch (error) {
      if (!(error instanceof ScalerCallError)) throw error;
      this.state = { done: true, diverged: { step, reason: error.message, kind: 'error' } };
      return undefined;
    }
    this.stepIndex = step;
    const reason = divergence(record.loss, this.model.parameters);
    if (reason) this.state = { done: true, diverged: { step, reason, kind: 'nonfinite' } };
    else if (step >= this.steps) this.state = { done: true };
    return record;
  }

  private runWindow(step: number): StepRecord {
    const { calls, clip } = this.settings;
    const { parameters: params, layers } = this.model;
    const k = this.accumulation;
    const scaler = this.scaler;
    const normType = clip.normType;
    const before = snapshot(params);
    const lossScale = scaler?.scale;
    let lossSum = 0;
    let forwards = 0;
    let graph: Tensor | null = null;
    const sightings: ClipSighting[] = [];
    let stepped = false;
    let stepNorm = 0;
    let layerNorms: number[] = layers.map(() => 0);
    let skipped = false;

    for (let pass = 0; pass < k; pass++) {
      const batch = this.data[((step - 1) * k + pass) % this.data.length];
      const last = pass === k - 1;
      for (const { call, windowEnd } of calls) {
        if (windowEnd && !last) continue;
        switch (call) {
          case 'zero_grad':
            this.optimizer.zeroGrad(false);
            break;
          case 'forward':
            graph = this.model.loss(batch.x, batch.y);
            lossSum += graph.item();
            forwards++;
            break;
          case 'backward': {
            // The validator guarantees a forward before every backward.
            let loss = graph!;
            if (k > 1) loss = div(loss, k);
            if (scaler) loss = mul(loss, scaler.scale);
            const saved = scaler ? scaler.beforeBackward(params) : null;
            loss.backward();
            graph = null;
            scaler?.afterBackward(params, saved);
            break;
          }
          case 'unscale':
            scaler?.unscale(params);
            break;
          case 'clip': {
            if (clip.mode === 'off') break;
            let norm: number;
            if (clip.mode === 'norm') {
              norm = clipGradNorm_(params, clip.threshold, { normType }).item();
            } else {
              norm = gradNorm(params, normType);
              clipGradValue_(params, clip.threshold);
            }
            sightings.push({ norm, afterStep: stepped });
            break;
          }
          case 'step': {
            // scaler.step unscales first when unscale_ has not run; the step sees unscaled gradients.
            const skip = scaler ? scaler.prepareStep(params) : false;
            stepNorm = gradNorm(params, normType);
            layerNorms = layers.map((layer) => gradNorm(layer.parameters, normType));
            if (skip) skipped = true;
            else noGrad(() => this.optimizer.step());
            scaler?.update();
            stepped = true;
            break;
          }
        }
      }
    }

    // The norm "before clipping": what the last clip before the step measured; for a clip that
    // only runs after the step (too late), what that clip measured; with no clip, the step's own.
    const beforeStep = sightings.filter((s) => !s.afterStep);
    const sighting = beforeStep.length ? beforeStep[beforeStep.length - 1] : sightings[0];
    const record: StepRecord = {
      step,
      loss: lossSum / forwards,
      normBefore: sighting ? sighting.norm : stepNorm,
      normAfter: stepNorm,
      updateSize: parameterDistance(params, before),
      layerNorms,
    };
    if (scaler) {
      record.lossScale = lossScale;
      record.stepSkipped = skipped;
    }
    return record;
  }
}

/** Why a run cannot go on after this step, or null. */
function divergence(loss: number, params: readonly Tensor[]): string | null {
  if (Number.isNaN(loss)) return 'the loss became NaN';
  if (!Number.isFinite(loss)) return 'the loss became inf';
  for (const p of params) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return 'the parameters became inf or NaN';
  }
  return null;
}

// A GradScaler with torch.cuda.amp.GradScaler's semantics, for gradients the Lab computes in
// float64 (the real one needs CUDA). The scale is kept in float32, as PyTorch keeps it.
import type { Tensor } from '../../engine';
import type { ScalerSpec } from './experiment';

/** float16's largest finite value: a float16 backward overflows to inf beyond it. */
export const FLOAT16_MAX = 65504;

/** What PyTorch raises on a second unscale_ between two updates; the run stops with it. */
export class ScalerCallError extends Error {
  override name = 'ScalerCallError';
}

export const DOUBLE_UNSCALE_MESSAGE =
  'scaler.unscale_(optimizer) ran twice in one step: PyTorch raises "unscale_() has already been called on this optimizer since the last update()"';

export class SimulatedGradScaler {
  /** The current scale (float32, like GradScaler's _scale). */
  scale: number;
  private growthTracker = 0;
  /** unscale_ has run since the last update (PyTorch's OptState.UNSCALED). */
  private unscaled = false;
  /** The unscaled gradients held inf or NaN (PyTorch's found_inf). */
  private foundInf = false;

  constructor(private readonly spec: ScalerSpec) {
    this.scale = Math.fround(spec.initScale);
  }

  get isUnscaled(): boolean {
    return this.unscaled;
  }

  /**
   * Around each scaled backward: in float16, a backward whose gradient contribution leaves
   * float16's range produces ±inf there (then added to the gradient accumulated so far). Call
   * beforeBackward, run backward, then afterBackward with what beforeBackward returned.
   */
  beforeBackward(params: readonly Tensor[]): (Float64Array | null)[] | null {
    if (!this.spec.float16Overflow) return null;
    return params.map((p) => {
      if (p.grad === null) return null;
      const saved = Float64Array.from(p.grad.data);
      p.grad.data.fill(0);
      return saved;
    });
  }

  afterBackward(params: readonly Tensor[], saved: (Float64Array | null)[] | null): void {
    if (saved === null) return;
    params.forEach((p, j) => {
      const previous = saved[j];
      if (p.grad === null) return;
      const g = p.grad.data;
      for (let i = 0; i < g.length; i++) {
        let v = g[i];
        if (v > FLOAT16_MAX) v = Infinity;
        else if (v < -FLOAT16_MAX) v = -Infinity;
        g[i] = previous === null ? v : previous[i] + v;
      }
    });
  }

  /** scaler.unscale_(optimizer): divides the gradients by the scale and notes any inf/NaN. */
  unscale(params: readonly Tensor[]): void {
    if (this.unscaled) throw new ScalerCallError(DOUBLE_UNSCALE_MESSAGE);
    // PyTorch: inv_scale = self._scale.double().reciprocal().float()
    const inv = Math.fround(1 / this.scale);
    let foundInf = false;
    for (const p of params) {
      if (p.grad === null) continue;
      const g = p.grad.data;
      for (let i = 0; i < g.length; i++) {
        const v = g[i];
        if (!Number.isFinite(v)) foundInf = true;
        g[i] = v * inv;
      }
    }
    this.foundInf = foundInf;
    this.unscaled = true;
  }

  /** Whether scaler.step(optimizer) would skip optimizer.step() (unscaling first if needed). */
  prepareStep(params: readonly Tensor[]): boolean {
    if (!this.unscaled) this.unscale(params);
    return this.foundInf;
  }

  /** scaler.update(): back off after a skipped step, grow after growthInterval clean ones. */
  update(): void {
    if (this.foundInf) {
      this.scale = Math.fround(this.scale * this.spec.backoffFactor);
      this.growthTracker = 0;
    } else if (this.growthTracker + 1 === this.spec.growthInterval) {
      const grown = Math.fround(this.scale * this.spec.growthFactor);
      if (Number.isFinite(grown)) this.scale = grown;
      this.growthTracker = 0;
    } else {
      this.growthTracker++;
    }
    this.unscaled = false;
    this.foundInf = false;
  }
}

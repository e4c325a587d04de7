import type { FloatArray } from '../dtype';
import * as math from '../math';
import type { Tensor } from '../tensor';
import { checkNonNegative, Optimizer, zerosLike } from './optimizer';

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export interface AdamState {
  /** Steps taken by this parameter (a parameter skipped for a null grad does not count). */
  step: number;
  expAvg: FloatArray;
  expAvgSq: FloatArray;
  /** Running max of expAvgSq, only with amsgrad. */
  maxExpAvgSq: FloatArray | null;
}

/**
 * torch.optim.Adam (decoupled = false: weight decay added to the gradient) and AdamW
 * (decoupled = true: p ← p·(1 − lr·wd) before the Adam step):
 *   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;  (amsgrad: v̂ = max(v̂, v))
 *   p = p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps)
 */
class AdamFamily extends Optimizer<AdamOptions, AdamState> {
  constructor(
    params: Iterable<Tensor>,
    options: AdamOptions,
    private readonly decoupled: boolean,
  ) {
    checkNonNegative('learning rate', options.lr);
    checkNonNegative('epsilon', options.eps);
    checkNonNegative('weight_decay', options.weightDecay);
    for (const beta of options.betas) {
      if (!(beta >= 0 && beta < 1)) throw new RangeError(`Invalid beta parameter: ${beta}`);
    }
    super(params, options);
  }

  protected initialState(p: Tensor): AdamState {
    return {
      step: 0,
      expAvg: zerosLike(p.data),
      expAvgSq: zerosLike(p.data),
      maxExpAvgSq: this.options.amsgrad ? zerosLike(p.data) : null,
    };
  }

  protected update(p: FloatArray, g: FloatArray, state: AdamState): void {
    const { lr, betas, eps, weightDecay, maximize } = this.options;
    const [beta1, beta2] = betas;
    const t = ++state.step;
    const stepSize = lr / (1 - math.pow(beta1, t));
    const correction2Sqrt = Math.sqrt(1 - math.pow(beta2, t));
    const m = state.expAvg;
    const v = state.expAvgSq;
    const vMax = state.maxExpAvgSq;
    const n = p.length;
    if (this.decoupled && weightDecay !== 0) {
      const shrink = 1 - lr * weightDecay;
      for (let i = 0; i < n; i++) p[i] *= shrink;
    }
    const coupledDecay = this.decoupled ? 0 : weightDecay;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (coupledDecay !== 0) gi += coupledDecay * p[i];
      m[i] = m[i] * beta1 + (1 - beta1) * gi;
      v[i] = v[i] * beta2 + (1 - beta2) * gi * gi;
      let second = v[i];
      if (vMax !== null) {
        if (!(vMax[i] >= second)) vMax[i] = second; // NaN propagates like torch.maximum
        second = vMax[i];
      }
      const denom = Math.sqrt(second) / correction2Sqrt + eps;
      p[i] += (-stepSize * m[i]) / denom;
    }
  }
}

type AdamInit = Partial<AdamOptions>;

export class Adam extends AdamFamily {
  constructor(params: Iterable<Tensor>, options: AdamInit = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, ...options }, false);
  }
}

/** Adam with decoupled weight decay (default 0.01, as torch.optim.AdamW). */
export class AdamW extends AdamFamily {
  constructor(params: Iterable<Tensor>, options: AdamInit = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false, ...options }, true);
  }
}

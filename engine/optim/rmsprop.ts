import type { FloatArray } from '../dtype';
import type { Tensor } from '../tensor';
import { checkNonNegative, Optimizer, zerosLike } from './optimizer';

export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export interface RMSpropState {
  step: number;
  squareAvg: FloatArray;
  /** Only with momentum > 0. */
  momentumBuffer: FloatArray | null;
  /** Only when centered. */
  gradAvg: FloatArray | null;
}

/**
 * torch.optim.RMSprop:
 *   g = g + wd·p;  sq = α·sq + (1 − α)·g²;  centered: ga = α·ga + (1 − α)·g, avg = √(sq − ga²), else avg = √sq
 *   avg = avg + eps;  momentum: buf = momentum·buf + g/avg, p = p − lr·buf;  otherwise p = p − lr·g/avg
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(params: Iterable<Tensor>, options: Partial<RMSpropOptions> = {}) {
    const o: RMSpropOptions = {
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      maximize: false,
      ...options,
    };
    checkNonNegative('learning rate', o.lr);
    checkNonNegative('epsilon', o.eps);
    checkNonNegative('momentum', o.momentum);
    checkNonNegative('weight_decay', o.weightDecay);
    checkNonNegative('alpha', o.alpha);
    super(params, o);
  }

  protected initialState(p: Tensor): RMSpropState {
    return {
      step: 0,
      squareAvg: zerosLike(p.data),
      momentumBuffer: this.options.momentum > 0 ? zerosLike(p.data) : null,
      gradAvg: this.options.centered ? zerosLike(p.data) : null,
    };
  }

  protected update(p: FloatArray, g: FloatArray, state: RMSpropState): void {
    const { lr, alpha, eps, weightDecay, momentum, maximize } = this.options;
    state.step++;
    const sq = state.squareAvg;
    const ga = state.gradAvg;
    const buf = state.momentumBuffer;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -g[i] : g[i];
      if (weightDecay !== 0) gi += weightDecay * p[i];
      sq[i] = sq[i] * alpha + (1 - alpha) * gi * gi;
      let avg: number;
      if (ga !== null) {
        ga[i] = ga[i] * alpha + (1 - alpha) * gi;
        avg = Math.sqrt(sq[i] + -1 * ga[i] * ga[i]);
      } else {
        avg = Math.sqrt(sq[i]);
      }
      avg += eps;
      if (buf !== null) {
        buf[i] = buf[i] * momentum + gi / avg;
        p[i] -= lr * buf[i];
      } else {
        p[i] += (-lr * gi) / avg;
      }
    }
  }
}

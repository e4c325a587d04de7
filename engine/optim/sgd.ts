import type { FloatArray } from '../dtype';
import type { Tensor } from '../tensor';
import { checkNonNegative, Optimizer, zerosLike } from './optimizer';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
}

export interface SGDState {
  /** Null until the first step with momentum > 0, as PyTorch's momentum_buffer. */
  momentumBuffer: FloatArray | null;
}

/**
 * torch.optim.SGD:
 *   d = g + wd·p;  buf = d on the first step (no dampening), else momentum·buf + (1 − dampening)·d;
 *   d = d + momentum·buf (nesterov) or buf;  p = p − lr·d.
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: Iterable<Tensor>, options: Partial<SGDOptions> & { lr: number }) {
    const o: SGDOptions = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, ...options };
    checkNonNegative('learning rate', o.lr);
    checkNonNegative('momentum', o.momentum);
    checkNonNegative('weight_decay', o.weightDecay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
    }
    super(params, o);
  }

  protected initialState(): SGDState {
    return { momentumBuffer: null };
  }

  protected update(p: FloatArray, g: FloatArray, state: SGDState): void {
    const { lr, momentum, dampening, nesterov, weightDecay, maximize } = this.options;
    const n = p.length;
    if (momentum === 0) {
      for (let i = 0; i < n; i++) {
        let d = maximize ? -g[i] : g[i];
        if (weightDecay !== 0) d += weightDecay * p[i];
        p[i] -= lr * d;
      }
      return;
    }
    let buf = state.momentumBuffer;
    const first = buf === null;
    if (buf === null) buf = state.momentumBuffer = zerosLike(p);
    const keep = 1 - dampening;
    for (let i = 0; i < n; i++) {
      let d = maximize ? -g[i] : g[i];
      if (weightDecay !== 0) d += weightDecay * p[i];
      buf[i] = first ? d : buf[i] * momentum + keep * d;
      p[i] -= lr * (nesterov ? d + momentum * buf[i] : buf[i]);
    }
  }
}

import { allocate, type FloatArray } from '../dtype';
import type { Tensor } from '../tensor';

/**
 * Base of the optimizers: one group of parameters, mutable hyperparameters (`options.lr = …`
 * takes effect at the next step) and per-parameter state created on a parameter's first step.
 * Parameters whose grad is null are skipped entirely for that step, as in PyTorch.
 */
export abstract class Optimizer<Options extends { lr: number }, State> {
  readonly params: readonly Tensor[];
  readonly options: Options;
  readonly state = new Map<Tensor, State>();

  protected constructor(params: Iterable<Tensor>, options: Options) {
    this.params = [...params];
    if (this.params.length === 0) throw new RangeError('optimizer got an empty parameter list');
    this.options = options;
  }

  /** Clears gradients: zero in place (PyTorch 1.13's default) or set them to null. */
  zeroGrad(setToNone = false): void {
    for (const p of this.params) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else p.grad.data.fill(0);
    }
  }

  /** Applies one update to every parameter that has a gradient. */
  step(): void {
    for (const p of this.params) {
      if (p.grad === null) continue;
      let state = this.state.get(p);
      if (state === undefined) {
        state = this.initialState(p);
        this.state.set(p, state);
      }
      this.update(p.data, p.grad.data, state);
    }
  }

  protected abstract initialState(p: Tensor): State;

  protected abstract update(param: FloatArray, grad: FloatArray, state: State): void;
}

/** A zero-filled array of the same type and length (for optimizer state). */
export function zerosLike(a: FloatArray): FloatArray {
  return allocate(a instanceof Float32Array ? 'float32' : 'float64', a.length);
}

export function checkNonNegative(name: string, value: number): void {
  if (!(value >= 0)) throw new RangeError(`Invalid ${name} value: ${value}`);
}

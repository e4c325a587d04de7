// What the Lab records about gradients and parameters, computed as PyTorch computes it.
import { getTotalNorm, type Tensor } from '../../engine';

/** The total norm of the parameters' gradients (those that have one), as clip_grad_norm_ measures it. */
export function gradNorm(params: readonly Tensor[], normType: number | 'inf'): number {
  return getTotalNorm(params.map((p) => p.grad), normType).item();
}

/** A copy of every parameter's values, to measure a step's update against. */
export function snapshot(params: readonly Tensor[]): Float64Array[] {
  return params.map((p) => Float64Array.from(p.data));
}

/** ‖θ − θ₀‖₂ over all parameters: the size of the update between the snapshot and now. */
export function parameterDistance(params: readonly Tensor[], before: readonly Float64Array[]): number {
  let sum = 0;
  params.forEach((p, j) => {
    const now = p.data;
    const then = before[j];
    for (let i = 0; i < now.length; i++) {
      const d = now[i] - then[i];
      sum += d * d;
    }
  });
  return Math.sqrt(sum);
}

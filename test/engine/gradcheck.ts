// Finite-difference gradient checking for the unit tests.
import { noGrad, Rng, Tensor, type Shape } from '../../engine';

export interface GradCheckResult {
  /** Largest |analytic − numeric| / max(1, |numeric|) over all checked inputs. */
  worst: number;
  where: string;
}

/** Random float64 tensor; `positive` keeps values away from 0 (for log, sqrt, fractional pow). */
export function randomInput(rng: Rng, shape: Shape, options: { positive?: boolean; scale?: number } = {}): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  const scale = options.scale ?? 1;
  for (let i = 0; i < size; i++) {
    data[i] = options.positive ? rng.uniform(0.5, 2) * scale : rng.normal() * scale;
  }
  return new Tensor(data, shape, true);
}

/**
 * Compares the engine's gradients of L = Σ f(inputs)·w (w random, so every output element matters)
 * with central differences (h = 1e-6) for every element of every input.
 */
export function gradCheck(f: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], rng: Rng): GradCheckResult {
  const out = f(...inputs);
  const weights = new Float64Array(out.size);
  for (let i = 0; i < weights.length; i++) weights[i] = rng.normal();
  for (const t of inputs) t.grad = null;
  out.backward(new Tensor(weights, out.shape));
  const objective = () =>
    noGrad(() => {
      const y = f(...inputs).data;
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i] * weights[i];
      return s;
    });
  const h = 1e-6;
  let worst = 0;
  let where = '';
  inputs.forEach((t, n) => {
    if (!t.requiresGrad) return;
    for (let i = 0; i < t.size; i++) {
      const original = t.data[i];
      t.data[i] = original + h;
      const up = objective();
      t.data[i] = original - h;
      const down = objective();
      t.data[i] = original;
      const numeric = (up - down) / (2 * h);
      const analytic = t.grad === null ? 0 : t.grad.data[i];
      const err = Math.abs(analytic - numeric) / Math.max(1, Math.abs(numeric));
      if (!(err <= worst)) {
        worst = err;
        where = `input ${n} element ${i}: analytic ${analytic}, numeric ${numeric}`;
      }
    }
  });
  return { worst, where };
}

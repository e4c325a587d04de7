import { allocate, type DType, type FloatArray } from './dtype';
import * as math from './math';
import { Tensor } from './tensor';

/**
 * Gradient clipping with PyTorch's exact semantics (torch.nn.utils.clip_grad_norm_ and friends):
 *
 *   total = ‖[‖g₁‖ₚ, …, ‖gₖ‖ₚ]‖ₚ  over the params that have a grad (max |g| for p = inf)
 *   coef  = max_norm / (total + 1e-6), capped at 1   — every grad is multiplied, even by exactly 1
 *
 * Arithmetic runs in the grads' dtype: for float32 grads every step is rounded to float32, which is
 * what makes 1e30 gradients overflow to an infinite norm exactly as PyTorch's CPU kernels do.
 */

export type NormType = number | 'inf' | '-inf';

export interface ClipGradNormOptions {
  /** 2 (default), 1, 'inf' / Infinity, or any p > 0. */
  normType?: NormType;
  /** Throw instead of scaling when the total norm is NaN or infinite (default false). */
  errorIfNonfinite?: boolean;
}

/** One tensor or any iterable of them (an array, model.parameters()). */
export type TensorList = Tensor | Iterable<Tensor>;

/** Raised by clipGradNorm_ / getTotalNorm when errorIfNonfinite is set and the norm is NaN or ±inf. */
export class NonFiniteNormError extends Error {
  override name = 'NonFiniteNormError';
}

function asList(params: TensorList): Tensor[] {
  return params instanceof Tensor ? [params] : [...params];
}

function resolveNormType(normType: NormType): number {
  if (normType === 'inf') return Infinity;
  if (normType === '-inf') return -Infinity;
  if (typeof normType !== 'number' || Number.isNaN(normType)) throw new RangeError(`invalid norm type ${String(normType)}`);
  return normType;
}

/** How Python prints the float: 2 → "2.0", Infinity → "inf" (PyTorch's error message uses it). */
function pythonFloat(v: number): string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** ‖values‖ₚ, rounding each step with `round` (Math.fround for float32, identity for float64). */
function vectorNorm(values: ArrayLike<number>, p: number, round: (x: number) => number): number {
  const n = values.length;
  if (p === Infinity || p === -Infinity) {
    if (n === 0) return p === Infinity ? 0 : Infinity;
    let best = Math.abs(values[0]);
    for (let i = 1; i < n; i++) {
      const a = Math.abs(values[i]);
      if (a !== a || best !== best) best = NaN;
      else if (p === Infinity ? a > best : a < best) best = a;
    }
    return best;
  }
  let sum = 0;
  if (p === 0) {
    for (let i = 0; i < n; i++) if (values[i] !== 0) sum = round(sum + 1);
    return sum;
  }
  if (p === 1) {
    for (let i = 0; i < n; i++) sum = round(sum + Math.abs(values[i]));
    return sum;
  }
  if (p === 2) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      sum = round(sum + round(v * v));
    }
    return round(Math.sqrt(sum));
  }
  for (let i = 0; i < n; i++) sum = round(sum + round(math.pow(Math.abs(values[i]), p)));
  return round(math.pow(sum, 1 / p));
}

const identity = (x: number) => x;

function rounding(dtype: DType): (x: number) => number {
  return dtype === 'float32' ? Math.fround : identity;
}

function commonDType(arrays: FloatArray[]): DType {
  return arrays.every((a) => a instanceof Float32Array) ? 'float32' : 'float64';
}

function scalar(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

function normOfArrays(arrays: FloatArray[], normType: NormType, errorIfNonfinite: boolean): Tensor {
  // No gradients at all: PyTorch returns torch.tensor(0.), a float32 zero, whatever the params' dtype.
  if (arrays.length === 0) return scalar(0, 'float32');
  const p = resolveNormType(normType);
  const dtype = commonDType(arrays);
  const round = rounding(dtype);
  const perTensor = arrays.map((a) => vectorNorm(a, p, round));
  const total = vectorNorm(perTensor, p, round);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new NonFiniteNormError(
      `The total norm of order ${pythonFloat(p)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
        'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`',
    );
  }
  return scalar(total, dtype);
}

function gradsOf(params: TensorList): FloatArray[] {
  const out: FloatArray[] = [];
  for (const p of asList(params)) if (p.grad !== null) out.push(p.grad.data);
  return out;
}

/**
 * The total p-norm of the given tensors (typically gradients: `params.map(p => p.grad)`), as
 * torch.nn.utils.get_total_norm. Null entries are skipped.
 */
export function getTotalNorm(
  tensors: Tensor | Iterable<Tensor | null>,
  normType: NormType = 2,
  errorIfNonfinite = false,
): Tensor {
  const arrays: FloatArray[] = [];
  for (const t of tensors instanceof Tensor ? [tensors] : tensors) if (t !== null) arrays.push(t.data);
  return normOfArrays(arrays, normType, errorIfNonfinite);
}

/**
 * Scales every gradient by min(1, maxNorm / (totalNorm + 1e-6)), as
 * torch.nn.utils.clip_grads_with_norm_. A NaN total makes every gradient NaN.
 */
export function clipGradsWithNorm_(params: TensorList, maxNorm: number, totalNorm: Tensor | number): void {
  const grads = gradsOf(params);
  if (grads.length === 0) return;
  const total = typeof totalNorm === 'number' ? totalNorm : totalNorm.item();
  const round = rounding(commonDType(grads));
  // PyTorch evaluates max_norm / (total + 1e-6) as reciprocal(total + 1e-6) * max_norm.
  let coef = round(round(1 / round(total + round(1e-6))) * round(maxNorm));
  if (coef > 1) coef = 1; // NaN stays NaN
  for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= coef;
}

/**
 * torch.nn.utils.clip_grad_norm_: rescales the gradients in place so their total norm is at most
 * maxNorm and returns the total norm measured before clipping (a 0-dim tensor; `.item()` for the
 * number). Params without a grad are ignored.
 */
export function clipGradNorm_(params: TensorList, maxNorm: number, options: ClipGradNormOptions = {}): Tensor {
  const list = asList(params);
  const total = normOfArrays(gradsOf(list), options.normType ?? 2, options.errorIfNonfinite ?? false);
  clipGradsWithNorm_(list, maxNorm, total);
  return total;
}

/** torch.nn.utils.clip_grad_value_: clamps every gradient to [−clipValue, clipValue]; NaN stays NaN. */
export function clipGradValue_(params: TensorList, clipValue: number): void {
  for (const g of gradsOf(params)) {
    const hi = g instanceof Float32Array ? Math.fround(clipValue) : clipValue;
    const lo = -hi;
    for (let i = 0; i < g.length; i++) {
      const v = g[i];
      if (v > hi) g[i] = hi;
      else if (v < lo) g[i] = lo;
    }
  }
}

// clip.json: clip_grad_norm_ / clip_grad_value_ on given params and grads, errors included.
import { clipGradNorm_, clipGradValue_, Tensor, type NormType } from '../../engine';
import { compareScalar, compareValues, decodeAll, loadGolden, toleranceFor, type GoldenNumber } from './golden';
import type { CaseResult } from './golden-runner';

interface ClipParam {
  shape: number[];
  data: GoldenNumber[];
  grad: GoldenNumber[] | null;
}

interface ClipCase {
  name: string;
  fn: 'clip_grad_norm_' | 'clip_grad_value_';
  dtype: 'float64' | 'float32';
  single_tensor: boolean;
  params: ClipParam[];
  args: { max_norm?: number; norm_type?: number | 'inf'; error_if_nonfinite?: boolean; clip_value?: number };
  expected: {
    raises: boolean;
    error_message?: string;
    total_norm?: GoldenNumber;
    total_norm_dtype?: string;
    grads_after: (GoldenNumber[] | null)[];
  };
}

function runCase(c: ClipCase): string[] {
  const failures: string[] = [];
  const tol = toleranceFor(c.dtype);
  const params = c.params.map((p) => {
    const t = new Tensor(fill(c.dtype, decodeAll(p.data)), p.shape, true);
    if (p.grad !== null) t.grad = new Tensor(fill(c.dtype, decodeAll(p.grad)), p.shape);
    return t;
  });
  const target = c.single_tensor ? params[0] : params;
  let thrown: Error | null = null;
  let total: Tensor | null = null;
  try {
    if (c.fn === 'clip_grad_norm_') {
      total = clipGradNorm_(target, c.args.max_norm!, {
        normType: c.args.norm_type as NormType,
        errorIfNonfinite: c.args.error_if_nonfinite,
      });
    } else {
      const returned: unknown = clipGradValue_(target, c.args.clip_value!);
      if (returned !== undefined) failures.push('clipGradValue_ should return nothing');
    }
  } catch (error) {
    thrown = error as Error;
  }
  if (c.expected.raises) {
    if (thrown === null) failures.push('expected an error, nothing was thrown');
    else if (thrown.message !== c.expected.error_message) failures.push(`error message differs: ${thrown.message}`);
  } else if (thrown !== null) {
    failures.push(`threw ${thrown.message}`);
  }
  if (c.fn === 'clip_grad_norm_' && !c.expected.raises && total !== null) {
    const error = compareScalar(total.item(), c.expected.total_norm!, tol);
    if (error) failures.push(`total_norm: ${error}`);
    if (total.dtype !== c.expected.total_norm_dtype) failures.push(`total_norm dtype ${total.dtype} != ${c.expected.total_norm_dtype}`);
    if (total.ndim !== 0) failures.push('total_norm should be 0-dim');
  }
  c.expected.grads_after.forEach((expected, i) => {
    const grad = params[i].grad;
    if (expected === null) {
      if (grad !== null) failures.push(`param ${i}: grad should stay null`);
      return;
    }
    if (grad === null) return void failures.push(`param ${i}: grad is null`);
    const error = compareValues(grad.data, decodeAll(expected), tol);
    if (error) failures.push(`grad ${i}: ${error}`);
  });
  return failures;
}

function fill(dtype: 'float64' | 'float32', values: number[]): Float32Array | Float64Array {
  return dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
}

export function runClip(): CaseResult[] {
  return loadGolden<ClipCase>('clip').cases.map((c) => {
    try {
      return { file: 'clip', name: c.name, failures: runCase(c) };
    } catch (error) {
      return { file: 'clip', name: c.name, failures: [`threw ${(error as Error).message}`] };
    }
  });
}

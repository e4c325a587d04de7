// Loading and comparing the golden reference files (real PyTorch output, see the golden README).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Tensor, tensor, type DType } from '../../engine';

export type GoldenNumber = number | 'inf' | '-inf' | 'nan';

export interface GoldenTensor {
  shape: number[];
  dtype: 'float64' | 'float32' | 'int64';
  data: GoldenNumber[];
  requires_grad?: boolean;
}

export interface GoldenFile<Case> {
  file: string;
  case_count: number;
  cases: Case[];
}

/** The golden directory: $CLIPWISE_GOLDEN, else ../shared/golden next to the repository root. */
export function goldenDir(): string {
  return resolve(process.cwd(), process.env.CLIPWISE_GOLDEN ?? '../shared/golden');
}

export function loadGolden<Case>(name: 'clip' | 'ops' | 'optim' | 'train'): GoldenFile<Case> {
  const file = JSON.parse(readFileSync(resolve(goldenDir(), `${name}.json`), 'utf8')) as GoldenFile<Case>;
  if (file.cases.length !== file.case_count) {
    throw new Error(`${name}.json holds ${file.cases.length} cases but its header says ${file.case_count}`);
  }
  return file;
}

export function decode(v: GoldenNumber): number {
  if (typeof v === 'number') return v;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  throw new TypeError(`unexpected golden value ${JSON.stringify(v)}`);
}

export function decodeAll(values: readonly GoldenNumber[]): number[] {
  return values.map(decode);
}

/** A tensor from golden data; int64 tensors become float tensors of whole numbers (indices). */
export function toTensor(g: GoldenTensor, requiresGrad = false): Tensor {
  const dtype: DType = g.dtype === 'float32' ? 'float32' : 'float64';
  return tensor(decodeAll(g.data), { shape: g.shape, dtype, requiresGrad });
}

export interface Tolerance {
  rtol: number;
  atol: number;
  /** float32 cases: atol is multiplied by max(1, max |expected|) over each compared array. */
  scaleAtol?: boolean;
}

export const FLOAT64: Tolerance = { rtol: 1e-10, atol: 1e-12 };
export const FLOAT32: Tolerance = { rtol: 1e-5, atol: 1e-6, scaleAtol: true };

export function toleranceFor(dtype: string): Tolerance {
  return dtype === 'float32' ? FLOAT32 : FLOAT64;
}

/**
 * Element-wise |got − exp| ≤ atol + rtol·|exp|; NaN must meet NaN and ±inf must be exact.
 * Returns null when everything matches, else a description of the first mismatch.
 */
export function compareValues(got: ArrayLike<number>, expected: readonly number[], tol: Tolerance): string | null {
  if (got.length !== expected.length) return `length ${got.length} != expected ${expected.length}`;
  let atol = tol.atol;
  if (tol.scaleAtol) {
    let largest = 1;
    for (const e of expected) if (Number.isFinite(e)) largest = Math.max(largest, Math.abs(e));
    atol *= largest;
  }
  for (let i = 0; i < expected.length; i++) {
    const g = got[i];
    const e = expected[i];
    if (Number.isNaN(e)) {
      if (!Number.isNaN(g)) return `[${i}] got ${g}, expected NaN`;
      continue;
    }
    if (!Number.isFinite(e)) {
      if (g !== e) return `[${i}] got ${g}, expected ${e}`;
      continue;
    }
    if (!(Math.abs(g - e) <= atol + tol.rtol * Math.abs(e))) {
      return `[${i}] got ${g}, expected ${e} (diff ${Math.abs(g - e).toExponential(2)}, allowed ${(atol + tol.rtol * Math.abs(e)).toExponential(2)})`;
    }
  }
  return null;
}

export function compareTensor(got: Tensor | null, expected: GoldenTensor, tol: Tolerance): string | null {
  if (got === null) return 'got null';
  if (got.shape.length !== expected.shape.length || got.shape.some((s, i) => s !== expected.shape[i])) {
    return `shape [${got.shape.join(', ')}] != expected [${expected.shape.join(', ')}]`;
  }
  return compareValues(got.data, decodeAll(expected.data), tol);
}

export function compareScalar(got: number, expected: GoldenNumber, tol: Tolerance): string | null {
  return compareValues([got], [decode(expected)], tol);
}

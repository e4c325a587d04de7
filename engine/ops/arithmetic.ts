import { needsGrad, record } from '../autograd';
import { allocate, promote, type FloatArray } from '../dtype';
import * as math from '../math';
import { Tensor } from '../tensor';
import { accumulateInto, planBroadcast } from './broadcast';

/** A tensor, or a plain number treated as a constant of the tensor's dtype. */
export type Operand = Tensor | number;

const enum Kind {
  Add,
  Sub,
  Mul,
  Div,
}

const NAMES = ['add', 'sub', 'mul', 'div'];

export function add(a: Operand, b: Operand): Tensor {
  return binary(Kind.Add, a, b);
}

export function sub(a: Operand, b: Operand): Tensor {
  return binary(Kind.Sub, a, b);
}

export function mul(a: Operand, b: Operand): Tensor {
  return binary(Kind.Mul, a, b);
}

export function div(a: Operand, b: Operand): Tensor {
  return binary(Kind.Div, a, b);
}

function binary(kind: Kind, a: Operand, b: Operand): Tensor {
  if (typeof a === 'number') {
    if (typeof b === 'number') throw new TypeError(`${NAMES[kind]}: at least one operand must be a Tensor`);
    return withScalar(kind, b, a, true);
  }
  if (typeof b === 'number') return withScalar(kind, a, b, false);
  return tensorTensor(kind, a, b);
}

function tensorTensor(kind: Kind, a: Tensor, b: Tensor): Tensor {
  const plan = planBroadcast(a.shape, b.shape, NAMES[kind]);
  const out = allocate(promote(a.dtype, b.dtype), plan.size);
  const x = a.data;
  const y = b.data;
  const n = plan.size;
  const ia = plan.indexA;
  const ib = plan.indexB;
  if (ia === null && ib === null) {
    switch (kind) {
      case Kind.Add: for (let i = 0; i < n; i++) out[i] = x[i] + y[i]; break;
      case Kind.Sub: for (let i = 0; i < n; i++) out[i] = x[i] - y[i]; break;
      case Kind.Mul: for (let i = 0; i < n; i++) out[i] = x[i] * y[i]; break;
      case Kind.Div: for (let i = 0; i < n; i++) out[i] = x[i] / y[i]; break;
    }
  } else {
    const ja = ia ?? identity(n);
    const jb = ib ?? identity(n);
    switch (kind) {
      case Kind.Add: for (let i = 0; i < n; i++) out[i] = x[ja[i]] + y[jb[i]]; break;
      case Kind.Sub: for (let i = 0; i < n; i++) out[i] = x[ja[i]] - y[jb[i]]; break;
      case Kind.Mul: for (let i = 0; i < n; i++) out[i] = x[ja[i]] * y[jb[i]]; break;
      case Kind.Div: for (let i = 0; i < n; i++) out[i] = x[ja[i]] / y[jb[i]]; break;
    }
  }
  const result = new Tensor(out, plan.shape);
  if (!needsGrad(a, b)) return result;

  return record(result, NAMES[kind], [a, b], (g) => {
    if (kind === Kind.Add || kind === Kind.Sub) {
      if (a.requiresGrad) accumulateInto(a.gradSink(), g, ia);
      if (b.requiresGrad) {
        if (kind === Kind.Add) accumulateInto(b.gradSink(), g, ib);
        else accumulateScaled(b.gradSink(), g, ib, -1);
      }
      return;
    }
    const ja = ia ?? identity(n);
    const jb = ib ?? identity(n);
    if (kind === Kind.Mul) {
      if (a.requiresGrad) {
        const s = a.gradSink();
        for (let i = 0; i < n; i++) s[ja[i]] += g[i] * y[jb[i]];
      }
      if (b.requiresGrad) {
        const s = b.gradSink();
        for (let i = 0; i < n; i++) s[jb[i]] += g[i] * x[ja[i]];
      }
    } else {
      if (a.requiresGrad) {
        const s = a.gradSink();
        for (let i = 0; i < n; i++) s[ja[i]] += g[i] / y[jb[i]];
      }
      if (b.requiresGrad) {
        // d(x/y)/dy = -x / y^2, written as PyTorch does: -g * x / (y * y)
        const s = b.gradSink();
        for (let i = 0; i < n; i++) {
          const yi = y[jb[i]];
          s[jb[i]] += (-g[i] * x[ja[i]]) / (yi * yi);
        }
      }
    }
  });
}

function accumulateScaled(sink: FloatArray, g: FloatArray, index: Int32Array | null, scale: number): void {
  const n = g.length;
  if (index === null) for (let i = 0; i < n; i++) sink[i] += scale * g[i];
  else for (let i = 0; i < n; i++) sink[index[i]] += scale * g[i];
}

let identityCache = new Int32Array(0);
function identity(n: number): Int32Array {
  if (identityCache.length < n) {
    identityCache = new Int32Array(Math.max(n, identityCache.length * 2));
    for (let i = 0; i < identityCache.length; i++) identityCache[i] = i;
  }
  return identityCache;
}

/** `t op s` (or `s op t` when scalarFirst), with s a constant. */
function withScalar(kind: Kind, t: Tensor, s: number, scalarFirst: boolean): Tensor {
  const x = t.data;
  const n = t.size;
  const out = allocate(t.dtype, n);
  switch (kind) {
    case Kind.Add: for (let i = 0; i < n; i++) out[i] = x[i] + s; break;
    case Kind.Mul: for (let i = 0; i < n; i++) out[i] = x[i] * s; break;
    case Kind.Sub:
      if (scalarFirst) for (let i = 0; i < n; i++) out[i] = s - x[i];
      else for (let i = 0; i < n; i++) out[i] = x[i] - s;
      break;
    case Kind.Div:
      if (scalarFirst) for (let i = 0; i < n; i++) out[i] = s / x[i];
      else for (let i = 0; i < n; i++) out[i] = x[i] / s;
      break;
  }
  const result = new Tensor(out, t.shape);
  if (!needsGrad(t)) return result;
  return record(result, NAMES[kind], [t], (g) => {
    const sink = t.gradSink();
    switch (kind) {
      case Kind.Add: for (let i = 0; i < n; i++) sink[i] += g[i]; break;
      case Kind.Mul: for (let i = 0; i < n; i++) sink[i] += g[i] * s; break;
      case Kind.Sub:
        if (scalarFirst) for (let i = 0; i < n; i++) sink[i] -= g[i];
        else for (let i = 0; i < n; i++) sink[i] += g[i];
        break;
      case Kind.Div:
        if (scalarFirst) for (let i = 0; i < n; i++) sink[i] += (-g[i] * s) / (x[i] * x[i]);
        else for (let i = 0; i < n; i++) sink[i] += g[i] / s;
        break;
    }
  });
}

export function neg(a: Tensor): Tensor {
  const x = a.data;
  const n = a.size;
  const out = allocate(a.dtype, n);
  for (let i = 0; i < n; i++) out[i] = -x[i];
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'neg', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) s[i] -= g[i];
  });
}

export function exp(a: Tensor): Tensor {
  const x = a.data;
  const n = a.size;
  const out = allocate(a.dtype, n);
  for (let i = 0; i < n; i++) out[i] = math.exp(x[i]);
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'exp', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) s[i] += g[i] * out[i];
  });
}

export function log(a: Tensor): Tensor {
  const x = a.data;
  const n = a.size;
  const out = allocate(a.dtype, n);
  for (let i = 0; i < n; i++) out[i] = math.log(x[i]);
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'log', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) s[i] += g[i] / x[i];
  });
}

export function sqrt(a: Tensor): Tensor {
  const x = a.data;
  const n = a.size;
  const out = allocate(a.dtype, n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'sqrt', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) s[i] += g[i] / (2 * out[i]);
  });
}

/** |x|, with derivative sign(x) and sign(0) = 0 as in PyTorch. */
export function abs(a: Tensor): Tensor {
  const x = a.data;
  const n = a.size;
  const out = allocate(a.dtype, n);
  for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'abs', [a], (g) => {
    const s = a.gradSink();
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (v > 0) s[i] += g[i];
      else if (v < 0) s[i] -= g[i];
    }
  });
}

/** x ** exponent for a constant exponent; exponent 0 has gradient 0 everywhere (as in PyTorch). */
export function pow(a: Tensor, exponent: number): Tensor {
  const x = a.data;
  const n = a.size;
  const out = allocate(a.dtype, n);
  if (exponent === 2) for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
  else for (let i = 0; i < n; i++) out[i] = math.pow(x[i], exponent);
  const result = new Tensor(out, a.shape);
  if (!needsGrad(a)) return result;
  return record(result, 'pow', [a], (g) => {
    const s = a.gradSink();
    if (exponent === 0) return;
    if (exponent === 2) for (let i = 0; i < n; i++) s[i] += g[i] * 2 * x[i];
    else for (let i = 0; i < n; i++) s[i] += g[i] * exponent * math.pow(x[i], exponent - 1);
  });
}

/** Elementwise square, a common shorthand for pow(a, 2). */
export function square(a: Tensor): Tensor {
  return pow(a, 2);
}

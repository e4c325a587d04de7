import { runBackward, type BackwardOptions } from './autograd';
import { allocate, DEFAULT_DTYPE, dtypeOf, fromValues, type DType, type FloatArray } from './dtype';
import { acquireZeroed } from './pool';
import { formatShape, sizeOf, type Shape } from './shape';

/**
 * How a tensor was computed: the op, its inputs, and the rule that passes the output's gradient
 * back to them. `backward` adds into the inputs' gradients (it never overwrites), so a tensor
 * used several times receives the sum of its uses.
 */
export interface GraphNode {
  readonly op: string;
  inputs: readonly Tensor[];
  /** Null once the graph has been freed by a backward pass. */
  backward: ((grad: FloatArray) => void) | null;
  /** Visit stamp used by the topological sort. */
  mark: number;
  /** Hands back buffers the rule saved, once the graph is freed. */
  onFree: (() => void) | null;
}

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

/**
 * An n-dimensional array over one flat, contiguous, row-major typed array.
 * Values are read through `.data` (flat), `.item()` (one element) or `.toArray()` / `.toNested()`.
 */
export class Tensor {
  data: FloatArray;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  requiresGrad: boolean;
  /** Accumulated gradient of a leaf tensor after backward (null until one flows in). */
  grad: Tensor | null = null;
  /** The op that produced this tensor; null for leaves and for results computed without grad. */
  gradFn: GraphNode | null = null;
  /** @internal Gradient in flight during backward (non-leaves only); returned to the pool afterwards. */
  pendingGrad: FloatArray | null = null;
  /** When set, a non-leaf keeps its gradient in `.grad` after backward (PyTorch's retain_grad). */
  retainsGrad = false;
  /**
   * @internal Set by modules on intermediate results that no caller ever sees (between the layers of a
   * Sequential, the hidden states inside an RNN): once backward has freed the graph around such a
   * tensor its storage goes back to the pool, and `data` becomes empty.
   */
  recyclable = false;

  /** `shape` is kept as given (not copied): pass an array nobody else will mutate. */
  constructor(data: FloatArray, shape: Shape, requiresGrad = false) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new RangeError(`Tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${size} elements)`);
    }
    this.data = data;
    this.shape = shape;
    this.dtype = dtypeOf(data);
    this.size = size;
    this.requiresGrad = requiresGrad;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** A leaf was created by the user (parameters, inputs), not computed by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new RangeError(`item(): a Tensor with ${this.size} elements cannot be converted to a number`);
    }
    return this.data[0];
  }

  /** The values, flat in row-major order, as a plain array. */
  toArray(): number[] {
    return Array.from(this.data);
  }

  /** The values as nested arrays following the shape (a number for a 0-dim tensor). */
  toNested(): NestedNumbers {
    const data = this.data;
    const shape = this.shape;
    if (shape.length === 0) return data[0];
    let at = 0;
    const build = (dim: number): NestedNumbers[] => {
      const out: NestedNumbers[] = [];
      for (let i = 0; i < shape[dim]; i++) out.push(dim === shape.length - 1 ? data[at++] : build(dim + 1));
      return out;
    };
    return build(0);
  }

  /**
   * Reverse-mode differentiation from this tensor. A non-scalar needs `gradient` (same shape).
   * The graph is freed afterwards unless `retainGraph` is set.
   */
  backward(gradient?: Tensor | ArrayLike<number>, options: BackwardOptions = {}): void {
    runBackward(this, gradient, options);
  }

  /** The same values, cut off from the graph (shares storage, like PyTorch's detach). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }

  /** Marks a leaf as a parameter to differentiate (in place, returns this). */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf && !flag) throw new Error('requiresGrad_: only leaf tensors can stop requiring grad; use detach()');
    this.requiresGrad = flag;
    return this;
  }

  /** Keep this non-leaf's gradient in `.grad` after backward. */
  retainGrad(): this {
    if (!this.isLeaf) this.retainsGrad = true;
    return this;
  }

  /** A copy with its own storage, detached from the graph. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape, false);
  }

  /**
   * @internal The buffer backward accumulates this tensor's gradient into: `.grad` for leaves (created on
   * first use), a pooled scratch buffer for intermediate results.
   */
  gradSink(): FloatArray {
    if (this.gradFn === null) {
      if (this.grad === null) this.grad = new Tensor(allocate(this.dtype, this.size), this.shape);
      return this.grad.data;
    }
    if (this.pendingGrad === null) this.pendingGrad = acquireZeroed(this.dtype, this.size);
    return this.pendingGrad;
  }

  toString(): string {
    const values = this.size <= 20 ? this.toArray().join(', ') : `${this.toArray().slice(0, 20).join(', ')}, …`;
    return `Tensor(shape=${formatShape(this.shape)}, dtype=${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''}, [${values}])`;
  }
}

export type NestedNumbers = number | NestedNumbers[];

function inferShape(values: NestedNumbers): number[] {
  const shape: number[] = [];
  let v: NestedNumbers = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

function flatten(values: NestedNumbers, shape: number[], dim: number, out: number[]): void {
  if (dim === shape.length) {
    if (typeof values !== 'number') throw new TypeError('tensor(): nested arrays are ragged');
    out.push(values);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) throw new TypeError('tensor(): nested arrays are ragged');
  for (const v of values) flatten(v, shape, dim + 1, out);
}

export interface TensorInit extends TensorOptions {
  /** Shape for flat input; nested arrays carry their own shape. */
  shape?: Shape;
}

/**
 * Makes a tensor from a number, nested arrays, or flat values (typed or plain) with a `shape`.
 * Typed arrays of the requested dtype are copied, never aliased.
 */
export function tensor(values: NestedNumbers | ArrayLike<number>, init: TensorInit = {}): Tensor {
  const dtype = init.dtype ?? (values instanceof Float32Array ? 'float32' : DEFAULT_DTYPE);
  let flat: ArrayLike<number>;
  let shape: number[];
  if (typeof values === 'number') {
    flat = [values];
    shape = [];
  } else if (Array.isArray(values) && (values.length === 0 || Array.isArray(values[0]))) {
    shape = inferShape(values);
    const out: number[] = [];
    flatten(values, shape, 0, out);
    flat = out;
  } else {
    flat = values as ArrayLike<number>;
    shape = [flat.length];
  }
  if (init.shape !== undefined) shape = init.shape.slice();
  return new Tensor(fromValues(dtype, flat), shape, init.requiresGrad ?? false);
}

export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  const data = allocate(options.dtype ?? DEFAULT_DTYPE, sizeOf(shape));
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape.slice(), options.requiresGrad ?? false);
}

export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...options });
}

export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...options });
}

/** `[start, start + step, …)` up to `end`, like torch.arange. */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  const n = Math.max(0, Math.ceil((end - start) / step));
  const data = allocate(options.dtype ?? DEFAULT_DTYPE, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], options.requiresGrad ?? false);
}

import type { FloatArray } from './dtype';
import { acquireZeroed, release, releaseOutput } from './pool';
import { formatShape, sameShape } from './shape';
import type { GraphNode, Tensor } from './tensor';

/**
 * Reverse-mode automatic differentiation.
 *
 * Every op that sees an input requiring grad records a GraphNode on its output with a closure that
 * adds the output's gradient, pushed through the op's derivative, into each input's gradient.
 * backward() orders the graph with an explicit stack (no recursion, so a 10,000-step unrolled RNN
 * is fine), then runs each node once, outputs before inputs.
 */

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function setGradEnabled(enabled: boolean): void {
  gradEnabled = enabled;
}

/** Runs `fn` without recording any graph (evaluation, parameter updates). */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Whether an op on these inputs must be recorded. */
export function needsGrad(a: Tensor, b?: Tensor | null, c?: Tensor | null): boolean {
  if (!gradEnabled) return false;
  return a.requiresGrad || (b != null && b.requiresGrad) || (c != null && c.requiresGrad);
}

export function anyNeedsGrad(inputs: readonly Tensor[]): boolean {
  if (!gradEnabled) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/**
 * Attaches a gradient rule to `out` (call only when needsGrad said so). `onFree` hands back
 * buffers the rule saved, when backward frees the graph.
 */
export function record(
  out: Tensor,
  op: string,
  inputs: readonly Tensor[],
  backward: (grad: FloatArray) => void,
  onFree: (() => void) | null = null,
): Tensor {
  out.requiresGrad = true;
  out.gradFn = { op, inputs, backward, mark: 0, onFree };
  return out;
}

const RELEASED = new Float64Array(0);

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again. */
  retainGraph?: boolean;
}

const FREED_MESSAGE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have ' +
  'already been freed). Saved intermediate values of the graph are freed when you call .backward(). ' +
  'Specify retainGraph: true if you need to backward through the graph a second time.';

const EMPTY: readonly Tensor[] = Object.freeze([]);
let epoch = 0;

/** Non-leaf tensors reachable from `root`, each after every tensor computed from it. */
function topologicalOrder(root: Tensor): Tensor[] {
  const stamp = ++epoch;
  const postOrder: Tensor[] = [];
  const stack: Tensor[] = [root];
  const nextInput: number[] = [0];
  (root.gradFn as GraphNode).mark = stamp;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top];
    const inputs = (t.gradFn as GraphNode).inputs;
    const i = nextInput[top];
    if (i < inputs.length) {
      nextInput[top] = i + 1;
      const input = inputs[i];
      const node = input.gradFn;
      if (node !== null && input.requiresGrad && node.mark !== stamp) {
        node.mark = stamp;
        stack.push(input);
        nextInput.push(0);
      }
    } else {
      stack.pop();
      nextInput.pop();
      postOrder.push(t);
    }
  }
  return postOrder.reverse();
}

export function runBackward(root: Tensor, gradient: Tensor | ArrayLike<number> | undefined, options: BackwardOptions): void {
  if (!root.requiresGrad) {
    throw new Error('element 0 of tensors does not require grad and does not have a gradFn');
  }
  let seed: ArrayLike<number>;
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `grad can be implicitly created only for scalar outputs: backward() on a tensor of shape ` +
          `${formatShape(root.shape)} needs a gradient argument of that shape`,
      );
    }
    seed = [1];
  } else if (isTensor(gradient)) {
    if (!sameShape(gradient.shape, root.shape) && !(gradient.size === 1 && root.size === 1)) {
      throw new RangeError(
        `backward: gradient has shape ${formatShape(gradient.shape)} but the tensor has shape ${formatShape(root.shape)}`,
      );
    }
    seed = gradient.data;
  } else {
    if (gradient.length !== root.size) {
      throw new RangeError(`backward: gradient has ${gradient.length} values but the tensor has ${root.size}`);
    }
    seed = gradient;
  }

  if (root.gradFn === null) {
    // A leaf: its gradient is the seed itself.
    const sink = root.gradSink();
    for (let i = 0; i < sink.length; i++) sink[i] += seed[i];
    return;
  }
  if (root.gradFn.backward === null) throw new Error(FREED_MESSAGE);

  const order = topologicalOrder(root);
  const rootGrad = acquireZeroed(root.dtype, root.size);
  for (let i = 0; i < rootGrad.length; i++) rootGrad[i] = seed[i];
  root.pendingGrad = rootGrad;
  const retain = options.retainGraph === true;

  for (let n = 0; n < order.length; n++) {
    const t = order[n];
    const node = t.gradFn as GraphNode;
    const grad = t.pendingGrad;
    if (grad === null) continue; // no gradient reached this tensor
    if (node.backward === null) {
      releasePending(order);
      throw new Error(FREED_MESSAGE);
    }
    node.backward(grad);
    t.pendingGrad = null;
    if (t.retainsGrad) {
      if (t.grad === null) {
        t.grad = t.detach().clone();
        t.grad.data.fill(0);
      }
      const kept = t.grad.data;
      for (let i = 0; i < kept.length; i++) kept[i] += grad[i];
    }
    release(grad);
    if (!retain) {
      node.backward = null;
      node.inputs = EMPTY;
      if (node.onFree !== null) {
        node.onFree();
        node.onFree = null;
      }
      // Every op that read this tensor has run its backward already (they come first in the
      // order), and no caller holds it: its storage can serve the next step.
      if (t.recyclable && ownsWholeBuffer(t.data)) {
        releaseOutput(t.data);
        t.data = RELEASED;
      }
    }
  }
}

/** A view into a larger buffer (select shares storage) must never enter the pool. */
function ownsWholeBuffer(data: FloatArray): boolean {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.length > 0;
}

function releasePending(order: Tensor[]): void {
  for (const t of order) {
    if (t.pendingGrad !== null) {
      release(t.pendingGrad);
      t.pendingGrad = null;
    }
  }
}

function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && 'gradSink' in value && 'shape' in value;
}

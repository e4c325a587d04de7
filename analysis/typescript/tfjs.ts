// TensorFlow.js spellings, by syntax and binding: which calls compute gradients (`tf.variableGrads`,
// `optimizer.computeGradients`, `tf.grads(f)(xs)`), which apply them (`optimizer.applyGradients`,
// `optimizer.minimize`), which clip (`tf.clipByValue`, `x.clipByValue`), and the clip APIs tfjs does
// not have (`tf.clipByNorm`: tfjs-core exports only `clipByValue`). Whether a clip touches gradients
// is a question about values, answered in gradient-values.ts.
import ts from 'typescript';
import type { Bindings } from './vocabulary';

/** `tf.train.<name>(…)` builds an optimizer. */
export const TFJS_OPTIMIZER_FACTORIES = new Set(['sgd', 'momentum', 'rmsprop', 'adam', 'adadelta', 'adamax', 'adagrad']);

/** Functions that return a gradient function: `tf.grads(f)(xs)` computes gradients when the result is called. */
const GRADIENT_FUNCTIONS = new Set(['grad', 'grads', 'valueAndGrad', 'valueAndGrads']);

/** Clip APIs of other TensorFlows that tfjs does not export (tfjs-core has only `clipByValue`). */
export const TFJS_MISSING_CLIPS = new Set(['clipByNorm', 'clipByGlobalNorm', 'clipByAverageNorm']);

/** Calls that run their function argument right away, once: its events belong where the call is. */
const RUNS_NOW = new Set(['tidy', 'noGrad']);

/** Array methods that call their function argument once per element, right away. */
export const ITERATES_NOW = new Set(['map', 'forEach', 'reduce', 'filter', 'flatMap', 'some', 'every']);

export function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
  return node;
}

function isTfjsModule(from: string): boolean {
  return /^@tensorflow\/tfjs/.test(from);
}

/**
 * The tfjs function a callee names (`tf.variableGrads`, `variableGrads` imported from tfjs, `tf` used
 * as the page's global), or undefined. `tf.train.adam` gives `train.adam`.
 */
export function tfjsFunction(callee: ts.Expression, bindings: Bindings): string | undefined {
  const parts: string[] = [];
  let node = unwrap(callee);
  while (ts.isPropertyAccessExpression(node)) {
    parts.unshift(node.name.text);
    node = unwrap(node.expression);
  }
  if (!ts.isIdentifier(node)) return undefined;
  const from = bindings.imports.get(node.text);
  if (from !== undefined) {
    if (!isTfjsModule(from)) return undefined;
    // `import * as tf` / `const tf = require(…)`: the root is the module; `import { variableGrads }`: the root is the function.
    return parts.length ? parts.join('.') : node.text;
  }
  // The page's global `tf` (a script tag), when the file binds no `tf` of its own.
  if (node.text === 'tf' && parts.length && !bindings.receivers.has('tf')) return parts.join('.');
  return undefined;
}

/** What a tfjs call does, by its spelling alone (clips need the values' help). */
export type TfjsCall =
  | { kind: 'backward'; computes: 'result' | 'map' | 'tensor' }
  | { kind: 'apply'; optimizer: string }
  | { kind: 'minimize'; optimizer: string }
  | { kind: 'clip-value'; source: ts.Expression }
  | { kind: 'clip-missing'; name: string; source?: ts.Expression };

/** The kind of a tfjs call, or undefined. `isOptimizer` says whether a receiver is an optimizer. */
export function tfjsCall(call: ts.CallExpression, bindings: Bindings, isOptimizer: (receiver: ts.Expression) => boolean, text: (n: ts.Node) => string): TfjsCall | undefined {
  const callee = unwrap(call.expression);
  // `tf.grads(f)(xs)`: the outer call computes.
  if (ts.isCallExpression(callee)) {
    const fn = tfjsFunction(callee.expression, bindings);
    if (fn && GRADIENT_FUNCTIONS.has(fn) && callee.arguments.length >= 1) return { kind: 'backward', computes: fn === 'grad' ? 'tensor' : fn === 'grads' ? 'map' : 'result' };
    return undefined;
  }
  const fn = tfjsFunction(callee, bindings);
  if (fn !== undefined) {
    if (fn === 'variableGrads' && call.arguments.length >= 1) return { kind: 'backward', computes: 'result' };
    if (fn === 'clipByValue' && call.arguments.length >= 1) return { kind: 'clip-value', source: call.arguments[0] };
    if (TFJS_MISSING_CLIPS.has(fn)) return { kind: 'clip-missing', name: fn, source: call.arguments[0] };
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  const receiver = callee.expression;
  if (name === 'clipByValue' && call.arguments.length >= 1) return { kind: 'clip-value', source: receiver };
  if (TFJS_MISSING_CLIPS.has(name)) return { kind: 'clip-missing', name, source: receiver };
  if (!call.arguments.length || !isOptimizer(receiver)) return undefined;
  if (name === 'computeGradients') return { kind: 'backward', computes: 'result' };
  if (name === 'applyGradients') return { kind: 'apply', optimizer: text(receiver) };
  if (name === 'minimize') return { kind: 'minimize', optimizer: text(receiver) };
  return undefined;
}

/**
 * How a call runs a function written inline as its argument: `now` (once, before it returns:
 * `tf.tidy`, `noGrad`, `minimize`, `variableGrads`), `each` (once per element: `.map`, `.forEach`),
 * or undefined (later, or not known: `.then`, `setTimeout`, `fit` callbacks).
 */
export function runsArgument(call: ts.CallExpression, fnArg: ts.Node, bindings: Bindings, isOptimizer: (receiver: ts.Expression) => boolean): 'now' | 'each' | undefined {
  const callee = unwrap(call.expression);
  const fn = tfjsFunction(callee, bindings);
  if (fn && (RUNS_NOW.has(fn) || fn === 'variableGrads')) return 'now';
  if (ts.isIdentifier(callee) && callee.text === 'noGrad' && bindings.imports.has('noGrad')) return 'now';
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  if ((name === 'minimize' || name === 'computeGradients') && call.arguments[0] === fnArg && isOptimizer(callee.expression)) return 'now';
  if (ITERATES_NOW.has(name) && call.arguments[0] === fnArg) return 'each';
  return undefined;
}

/** `tf.mul(g, k)`, `g.mul(k)`, `tf.div(g, k)`, `g.div(k)`: a tensor scaled by a factor. */
export function scaleCall(call: ts.CallExpression, bindings: Bindings): { source: ts.Expression; factor: ts.Expression } | undefined {
  const callee = unwrap(call.expression);
  const fn = tfjsFunction(callee, bindings);
  if ((fn === 'mul' || fn === 'div') && call.arguments.length === 2) return { source: call.arguments[0], factor: call.arguments[1] };
  if (fn === undefined && ts.isPropertyAccessExpression(callee) && (callee.name.text === 'mul' || callee.name.text === 'div') && call.arguments.length === 1) return { source: callee.expression, factor: call.arguments[0] };
  return undefined;
}

/**
 * A factor capped at one: `tf.minimum(1, maxNorm / norm)`, `tf.minimum(tf.div(c, n), 1.0)`,
 * `norm.maximum(1)`, `Math.min(1, …)`. What makes scaling by a norm a clip (dividing by
 * `tf.maximum(norm, 1e-8)` only normalises).
 */
export function capsAtOne(node: ts.Node): boolean {
  let found = false;
  const one = (e: ts.Expression): boolean => {
    e = unwrap(e);
    if (ts.isNumericLiteral(e)) return Number(e.text) === 1;
    return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'scalar' && e.arguments.length >= 1 && one(e.arguments[0]);
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name === 'minimum' || name === 'maximum' || name === 'min' || name === 'max') {
        if (n.arguments.some(one)) found = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** The node holding an expression once parentheses, `await` and `!` around it are passed. */
export function statementOf(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAwaitExpression(n.parent) || ts.isNonNullExpression(n.parent))) n = n.parent;
  return n.parent ?? n;
}

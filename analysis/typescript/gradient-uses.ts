// Where a unit uses gradient values other than by applying them: passed to a function, returned,
// logged, stored on an object. A clipped copy used so is not "never applied" (it may be applied
// elsewhere, or used on purpose). Reading it for a step, a dispose, a clip, a copy into a name of
// the unit, or iterating it (the callback's uses decide) is no use.
import ts from 'typescript';
import { ITERATES_NOW, tfjsFunction, unwrap } from './tfjs';
import type { Bindings } from './vocabulary';

export interface UseContext {
  bindings: Bindings;
  /** The values a name read here carries. */
  carriedAt(reference: ts.Identifier | ts.PropertyAccessExpression): ReadonlySet<string> | undefined;
  /** An assignment target that is a name of the unit (or an entry of one). */
  isLocalTarget(target: ts.Expression): boolean;
  isClipCall(call: ts.CallExpression): boolean;
  isApply(call: ts.CallExpression): boolean;
  /** A helper of the file that only reads what it is given and returns a plain value (reading-helpers.ts). */
  readsOnly(call: ts.CallExpression): boolean;
  /** A function written as an argument of a call that runs it right away (`tf.tidy`, `minimize`). */
  runsNow(fn: ts.Node): boolean;
}

/** The values the unit uses other than by applying them. */
export function usedValues(roots: readonly ts.Node[], context: UseContext): Set<string> {
  const used = new Set<string>();
  // Inside a function that runs later (`.then`, `setTimeout`, an event handler), any reading is a use.
  const visit = (node: ts.Node, later: boolean): void => {
    const reference = ts.isIdentifier(node) && isReference(node) ? node : ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword ? node : undefined;
    const ids = reference && context.carriedAt(reference);
    if (ids?.size && (later || isUse(reference!, context))) for (const id of ids) used.add(id);
    const deferred = later || (ts.isFunctionLike(node) && !returnedInto(node, context.bindings) && !context.runsNow(node));
    ts.forEachChild(node, (child) => visit(child, deferred));
  };
  for (const root of roots) visit(root, false);
  return used;
}

function isUse(reference: ts.Node, context: UseContext): boolean {
  let node: ts.Node = reference;
  for (;;) {
    const parent: ts.Node | undefined = node.parent;
    if (!parent) return true;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
      // `clipped.dispose()`; `Object.entries(clipped).forEach(([k, g]) => …)`: the callback's uses decide.
      if ((parent.name.text === 'dispose' || ITERATES_NOW.has(parent.name.text)) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) return false;
      // `g.clipByValue(…)`: the clip reads it.
      if (ts.isCallExpression(parent.parent) && parent.parent.expression === parent && context.isClipCall(parent.parent)) return false;
      // `clipped.length`: how many, no gradient value.
      if (parent.name.text === 'length' && !(ts.isCallExpression(parent.parent) && parent.parent.expression === parent)) return false;
      node = parent;
      continue;
    }
    if ((ts.isElementAccessExpression(parent) && parent.expression === node) || ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent) || ts.isAwaitExpression(parent) || ts.isSpreadElement(parent) || ts.isArrayLiteralExpression(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isPropertyAssignment(parent) || ts.isObjectLiteralExpression(parent) || ts.isConditionalExpression(parent) || (ts.isBinaryExpression(parent) && parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken)) {
      node = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // The target is written, not used; the value goes into the target: a copy when the target is this unit's.
      if (parent.left === node) return false;
      return !context.isLocalTarget(unwrap(parent.left));
    }
    if (ts.isVariableDeclaration(parent)) return false;
    // What a callback run right away returns is what the call gives (`.map(([k, g]) => [k, clip(g)])`, `tf.tidy(() => clipped)`).
    if ((ts.isArrowFunction(parent) && parent.body === node) || ts.isReturnStatement(parent)) {
      const call = returnedInto(parent, context.bindings);
      if (!call) return true;
      node = call;
      continue;
    }
    if (ts.isForOfStatement(parent) || ts.isForInStatement(parent)) return false;
    if (ts.isCallExpression(parent)) {
      if (parent.expression === node) return true;
      const callee = unwrap(parent.expression);
      const fn = tfjsFunction(callee, context.bindings);
      if (fn === 'dispose') return false;
      if (context.isApply(parent) || context.isClipCall(parent) || context.readsOnly(parent)) return false;
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object') {
        node = parent;
        continue;
      }
      return true;
    }
    // The key of an element access (`grads[k]`) reads no gradient.
    if (ts.isElementAccessExpression(parent)) return false;
    if (ts.isExpressionStatement(parent)) {
      // `Object.entries(clipped).forEach(([k, g]) => …)`: the callback's uses decide; a bare name does nothing.
      return false;
    }
    return true;
  }
}

/** The call a callback returns into, when it is run right away (`.map`, `.forEach`, `tf.tidy`, `noGrad`). */
function returnedInto(from: ts.Node, bindings: Bindings): ts.CallExpression | undefined {
  let fn: ts.Node | undefined = from;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  const call = fn?.parent;
  if (!fn || !call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  const callee = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(callee) && ITERATES_NOW.has(callee.name.text)) return call;
  const name = tfjsFunction(callee, bindings);
  if (name === 'tidy' || (ts.isIdentifier(callee) && callee.text === 'noGrad')) return call;
  return undefined;
}


/** A name read in an expression (not a declaration's name, a property's name or a parameter). */
export function isReference(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  return true;
}

// Helpers of the file that only read the gradients they are given and return a plain value (a
// norm for a log: `function globalNorm(g): number { … .dataSync()[0] }`). Passing a clipped copy
// to one is no use of the copy: it is not applied there, stored, or handed on, so a copy that only
// such a helper reads is still "never applied". Anything less certain is a use.
import ts from 'typescript';
import type { ClipHelpers, FunctionNode } from './clip-helpers';

/** Return types that hold no tensor. */
const PLAIN = new Set([ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.StringKeyword, ts.SyntaxKind.BooleanKeyword, ts.SyntaxKind.VoidKeyword, ts.SyntaxKind.UndefinedKeyword]);
/** Callee roots that keep nothing they are given: TensorFlow.js ops, `Object.values`, `Math`, logging. */
const PURE_ROOTS = new Set(['tf', 'Object', 'Math', 'console', 'JSON', 'Number', 'String']);
/** Calls that apply, step or store. */
const EFFECTS = new Set(['applyGradients', 'minimize', 'step', 'assign', 'push', 'set', 'unshift', 'splice', 'dispatchEvent', 'postMessage', 'emit', 'send']);

export class ReadingHelpers {
  private readonly verdicts = new Map<ts.Node, boolean>();

  constructor(private readonly functions: ClipHelpers) {}

  /** The call is to a helper of the file that only reads its arguments and returns a plain value. */
  readsOnly(call: ts.CallExpression): boolean {
    const found = this.functions.functionOf(call);
    if (!found) return false;
    let verdict = this.verdicts.get(found.fn);
    if (verdict === undefined) {
      // While it is being read, a helper calling itself back counts as not reading only.
      this.verdicts.set(found.fn, false);
      this.verdicts.set(found.fn, (verdict = readsOnly(found.fn, (inner) => this.readsOnly(inner))));
    }
    return verdict;
  }
}

function readsOnly(fn: FunctionNode, readingHelper: (call: ts.CallExpression) => boolean): boolean {
  const returned = fn.type;
  if (!returned || !PLAIN.has(returned.kind)) return false;
  const parameters = new Set<string>();
  for (const p of fn.parameters) if (ts.isIdentifier(p.name)) parameters.add(p.name.text);
  else return false;
  let pure = true;
  const rootOf = (e: ts.Expression): ts.Expression => {
    while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    return e;
  };
  const visit = (node: ts.Node): void => {
    if (!pure) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      // Only names of its own: a property written may be anything's.
      if (!ts.isIdentifier(node.left) || parameters.has(node.left.text)) pure = false;
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword) pure = false;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
      if (name && EFFECTS.has(name)) pure = false;
      // A parameter handed to a call that may keep it.
      const root = rootOf(callee);
      const keeps = !(ts.isIdentifier(root) && (PURE_ROOTS.has(root.text) || parameters.has(root.text))) && !ts.isArrowFunction(root);
      if (keeps && node.arguments.some((a) => ts.isIdentifier(a) && parameters.has(a.text)) && !readingHelper(node)) pure = false;
      if (!ts.isPropertyAccessExpression(callee) && !ts.isIdentifier(callee)) pure = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return pure;
}

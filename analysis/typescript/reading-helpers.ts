// Helpers of the file whose whole effect on the gradients they are given is known:
// - *reading* helpers only read them and return a plain value (a norm for a log:
//   `function globalNorm(g): number { … .dataSync()[0] }`): passing a clipped copy to one is no
//   use of the copy, so a copy that only such helpers read is still "never applied";
// - *copying* helpers write one argument's values into another's entries and do nothing else with
//   them (`addInto(acc, g)`: `acc[k] = tf.add(acc[k], g[k])`): the target then carries the values.
// Anything less certain (`this`, a property written, a parameter handed to a call that may keep
// it, a tensor returned) is a use, as any other call is.
import ts from 'typescript';
import type { ClipHelpers, FunctionNode } from './clip-helpers';

/** Return types that hold no tensor. */
const PLAIN = new Set([ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.StringKeyword, ts.SyntaxKind.BooleanKeyword, ts.SyntaxKind.VoidKeyword, ts.SyntaxKind.UndefinedKeyword]);
/** Callee roots that keep nothing they are given: TensorFlow.js ops, `Object.values`, `Math`, logging. */
const PURE_ROOTS = new Set(['tf', 'Object', 'Math', 'console', 'JSON', 'Number', 'String']);
/** Calls that apply, step or store. */
const EFFECTS = new Set(['applyGradients', 'minimize', 'step', 'assign', 'push', 'set', 'unshift', 'splice', 'dispatchEvent', 'postMessage', 'emit', 'send']);

interface Summary {
  /** It reads its arguments and returns a plain value. */
  readsOnly: boolean;
  /** Which argument's values it writes into which argument's entries (by index); empty when it writes none. */
  copies: Array<{ from: number; to: number }>;
  /** Its only effect on its arguments is `copies`. */
  copiesOnly: boolean;
}

const UNKNOWN: Summary = { readsOnly: false, copies: [], copiesOnly: false };

export class ReadingHelpers {
  private readonly summaries = new Map<ts.Node, Summary>();

  constructor(private readonly functions: ClipHelpers) {}

  /** The call is to a helper of the file that only reads its arguments and returns a plain value. */
  readsOnly(call: ts.CallExpression): boolean {
    return this.summaryOf(call).readsOnly;
  }

  /** The call is to a helper that only copies arguments into others: which into which. */
  copies(call: ts.CallExpression): Array<{ from: number; to: number }> | undefined {
    const summary = this.summaryOf(call);
    return summary.copiesOnly && summary.copies.length ? summary.copies : undefined;
  }

  private summaryOf(call: ts.CallExpression): Summary {
    const found = this.functions.functionOf(call);
    if (!found) return UNKNOWN;
    let summary = this.summaries.get(found.fn);
    if (!summary) {
      // While it is being read, a helper calling itself back is not known.
      this.summaries.set(found.fn, UNKNOWN);
      this.summaries.set(found.fn, (summary = summarise(found.fn, (inner) => this.readsOnly(inner))));
    }
    return summary;
  }
}

function summarise(fn: FunctionNode, readingHelper: (call: ts.CallExpression) => boolean): Summary {
  const parameters = new Map<string, number>();
  for (const [index, p] of fn.parameters.entries()) {
    if (!ts.isIdentifier(p.name)) return UNKNOWN;
    parameters.set(p.name.text, index);
  }
  let pure = true;
  const copies = new Map<string, { from: number; to: number }>();
  const rootOf = (e: ts.Expression): ts.Expression => {
    while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    return e;
  };
  const mentioned = (node: ts.Node, into: Set<number>): Set<number> => {
    if (ts.isIdentifier(node) && parameters.has(node.text)) into.add(parameters.get(node.text)!);
    ts.forEachChild(node, (child) => void mentioned(child, into));
    return into;
  };
  const visit = (node: ts.Node): void => {
    if (!pure) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const left = node.left;
      if (ts.isIdentifier(left)) {
        if (parameters.has(left.text)) pure = false;
      } else if (ts.isElementAccessExpression(left) && ts.isIdentifier(left.expression) && parameters.has(left.expression.text)) {
        // `acc[k] = …g[k]…`: an entry of one argument written from others.
        const to = parameters.get(left.expression.text)!;
        for (const from of mentioned(node.right, new Set())) if (from !== to) copies.set(`${from}>${to}`, { from, to });
      } else pure = false;
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword || ts.isDeleteExpression(node)) pure = false;
    if (ts.isReturnStatement(node) && node.expression && !(fn.type && PLAIN.has(fn.type.kind))) pure = false;
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
  // An expression body is its return value.
  if (!ts.isBlock(fn.body) && !(fn.type && PLAIN.has(fn.type.kind))) pure = false;
  if (!pure) return UNKNOWN;
  const plain = !!fn.type && PLAIN.has(fn.type.kind);
  return { readsOnly: plain && copies.size === 0, copies: [...copies.values()], copiesOnly: true };
}

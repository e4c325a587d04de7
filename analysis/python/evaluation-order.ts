// The calls inside an expression, in the order Python evaluates them.
import type { CallExpr, Expr } from './ast';

/** Calls in evaluation order: receiver and arguments before the call itself. Lambdas are not run. */
export function collectCalls(expr: Expr | undefined, out: CallExpr[]): void {
  if (!expr) return;
  switch (expr.type) {
    case 'Call':
      collectCalls(expr.func, out);
      for (const arg of expr.args) collectCalls(arg.value, out);
      out.push(expr);
      return;
    case 'Attribute':
    case 'Starred':
    case 'Await':
      collectCalls(expr.value, out);
      return;
    case 'Subscript':
      collectCalls(expr.value, out);
      collectCalls(expr.index, out);
      return;
    case 'BinOp':
      collectCalls(expr.left, out);
      collectCalls(expr.right, out);
      return;
    case 'UnaryOp':
      collectCalls(expr.operand, out);
      return;
    case 'BoolOp':
      expr.values.forEach((v) => collectCalls(v, out));
      return;
    case 'Compare':
      collectCalls(expr.left, out);
      expr.comparators.forEach((v) => collectCalls(v, out));
      return;
    case 'IfExp':
      collectCalls(expr.test, out);
      collectCalls(expr.body, out);
      collectCalls(expr.orelse, out);
      return;
    case 'Tuple':
    case 'List':
    case 'Set':
      expr.elts.forEach((v) => collectCalls(v, out));
      return;
    case 'Dict':
      expr.keys.forEach((k) => collectCalls(k ?? undefined, out));
      expr.values.forEach((v) => collectCalls(v, out));
      return;
    case 'Comprehension':
      for (const gen of expr.generators) {
        collectCalls(gen.iter, out);
        gen.ifs.forEach((v) => collectCalls(v, out));
      }
      collectCalls(expr.elt, out);
      collectCalls(expr.value, out);
      return;
    case 'NamedExpr':
      collectCalls(expr.value, out);
      return;
    case 'Yield':
      collectCalls(expr.value, out);
      return;
    case 'Slice':
      collectCalls(expr.lower, out);
      collectCalls(expr.upper, out);
      collectCalls(expr.step, out);
      return;
    default:
      return;
  }
}

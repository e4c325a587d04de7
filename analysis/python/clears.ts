// What clears gradients. `zero_grad()` clears every gradient the step will use; a clear written
// by hand (`p.grad = None`, `del p.grad`, `p.grad.zero_()`) counts only where it clears them all:
// `p` runs over every parameter of a model or an optimizer, unconditionally (or only where
// `p.grad is not None`), and the loop does not hand p's gradient elsewhere first. Clearing a
// subset (frozen layers, non-finite gradients only) or a copy whose gradients were moved to the
// parameters that are stepped is no zero event.
import type { AttributeExpr, Expr, ForStmt, Stmt } from './ast';
import { childBlocks, walkExpr } from './ast';

/** The `X.grad` attribute inside `X.grad`, `X.grad.data`, … (the receiver of a `zero_()`), if any. */
export function gradAttribute(expr: Expr): AttributeExpr | undefined {
  for (let e: Expr = expr; e.type === 'Attribute'; e = e.value) if (e.attr === 'grad') return e;
  return undefined;
}

/**
 * True when clearing `grad` (`p.grad`) in `stmt`, inside `enclosing` (compound statements around
 * it, outermost first), clears every gradient.
 */
export function clearsEveryGradient(grad: AttributeExpr, stmt: Stmt, enclosing: readonly Stmt[]): boolean {
  const param = grad.value;
  if (param.type !== 'Name') return false;
  for (let i = enclosing.length - 1; i >= 0; i--) {
    const around = enclosing[i];
    if (around.type === 'For' && bindsName(around.target, param.id)) {
      return iteratesEveryParameter(around, param.id, enclosing.slice(0, i)) && !handsGradientOn(around.body, param.id, stmt);
    }
    if (around.type === 'With') continue;
    if (around.type === 'If' && isNotNoneTest(around.test, param.id) && within(around.body, stmt, enclosing[i + 1])) continue;
    return false;
  }
  return false;
}

function within(body: Stmt[], stmt: Stmt, inner: Stmt | undefined): boolean {
  const target = inner ?? stmt;
  return body.includes(target);
}

function bindsName(target: Expr, name: string): boolean {
  if (target.type === 'Name') return target.id === name;
  if (target.type === 'Tuple' || target.type === 'List') return target.elts.some((e) => e.type === 'Name' && e.id === name);
  return false;
}

/** `p.grad is not None` (and nothing else). */
function isNotNoneTest(test: Expr, name: string): boolean {
  if (test.type !== 'Compare' || test.ops.length !== 1 || test.ops[0] !== 'is not') return false;
  const left = test.left;
  const right = test.comparators[0];
  return left.type === 'Attribute' && left.attr === 'grad' && left.value.type === 'Name' && left.value.id === name && right.type === 'Constant' && right.kind === 'none';
}

/**
 * `for p in model.parameters()`, `for name, p in model.named_parameters()`, `for p in
 * group["params"]` inside `for group in optimizer.param_groups`: every parameter of a whole model
 * (a name, `self`, `self.model`, `….module`) or of an optimizer. A submodule's parameters
 * (`model.encoder.parameters()`) are a subset.
 */
function iteratesEveryParameter(loop: ForStmt, param: string, outer: readonly Stmt[]): boolean {
  const iter = loop.iter;
  if (iter.type === 'Call' && iter.func.type === 'Attribute' && (iter.func.attr === 'parameters' || iter.func.attr === 'named_parameters')) {
    if (iter.func.attr === 'named_parameters' && !(loop.target.type === 'Tuple' && loop.target.elts.length === 2 && bindsName(loop.target.elts[1], param))) return false;
    return isWholeModel(iter.func.value);
  }
  if (iter.type === 'Subscript' && iter.index.type === 'Constant' && iter.index.kind === 'string' && /^['"]params['"]$/.test(iter.index.raw) && iter.value.type === 'Name') {
    const group = iter.value.id;
    return outer.some((s) => s.type === 'For' && s.target.type === 'Name' && s.target.id === group && s.iter.type === 'Attribute' && s.iter.attr === 'param_groups');
  }
  return false;
}

function isWholeModel(expr: Expr): boolean {
  if (expr.type === 'Name') return true;
  if (expr.type !== 'Attribute') return false;
  if (expr.attr === 'module') return isWholeModel(expr.value);
  return expr.value.type === 'Name' && expr.value.id === 'self';
}

/** The loop body reads `p.grad` as a value (moves or copies it) other than in the clear itself and `is not None` tests. */
function handsGradientOn(body: Stmt[], param: string, clear: Stmt): boolean {
  let found = false;
  const isGrad = (e: Expr): e is AttributeExpr => e.type === 'Attribute' && e.attr === 'grad' && e.value.type === 'Name' && e.value.id === param;
  const visitExpr = (expr: Expr | undefined, allowed: ReadonlySet<Expr>) =>
    walkExpr(expr, (e) => {
      if (isGrad(e) && !allowed.has(e)) found = true;
    });
  const visit = (stmts: Stmt[]) => {
    for (const stmt of stmts) {
      if (found) return;
      const allowed = new Set<Expr>();
      if (stmt === clear) continue;
      if (stmt.type === 'Expr') {
        // `p.grad.zero_()`, `p.grad.detach_()`, `p.grad.requires_grad_(False)`: acting on it, not moving it.
        const call = stmt.value;
        if (call.type === 'Call' && call.func.type === 'Attribute') {
          const grad = gradAttribute(call.func.value);
          if (grad && isGrad(grad) && /^(zero_|detach_|requires_grad_)$/.test(call.func.attr)) continue;
        }
        visitExpr(stmt.value, allowed);
      } else if (stmt.type === 'Assign') {
        for (const target of stmt.targets) if (isGrad(target)) allowed.add(target);
        for (const target of stmt.targets) visitExpr(target, allowed);
        visitExpr(stmt.value, allowed);
      } else if (stmt.type === 'If' || stmt.type === 'While') {
        if (!(stmt.type === 'If' && isNotNoneTest(stmt.test, param))) visitExpr(stmt.test, allowed);
      } else if (stmt.type === 'Return' || stmt.type === 'Delete') {
        if (stmt.type === 'Return') visitExpr(stmt.value, allowed);
      } else if (stmt.type === 'For') visitExpr(stmt.iter, allowed);
      else if (stmt.type === 'With') stmt.items.forEach((i) => visitExpr(i.context, allowed));
      if (stmt.type !== 'FunctionDef' && stmt.type !== 'ClassDef') for (const block of childBlocks(stmt)) visit(block);
    }
  };
  visit(body);
  return found;
}

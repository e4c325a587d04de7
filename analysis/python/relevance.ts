// A cheap answer to "can this function do anything to gradients?", so that units and inlined
// helpers that cannot are skipped: a text test first, then the local functions it calls.
import type { Expr, Stmt } from './ast';
import { childBlocks } from './ast';
import type { FunctionInfo } from './scopes';
import type { Resolver } from './resolve';
import { collectCalls } from './evaluation-order';

const GRADIENT_WORDS = /backward|\.step\s*\(|zero_grad|clip|unscale_|\.grad\b|optimizer_step/;

const memo = new WeakMap<FunctionInfo, boolean>();

export function textMayTouchGradients(text: string): boolean {
  return GRADIENT_WORDS.test(text);
}

export function mayTouchGradients(fn: FunctionInfo, resolver: Resolver, visiting = new Set<FunctionInfo>()): boolean {
  const known = memo.get(fn);
  if (known !== undefined) return known;
  if (textMayTouchGradients(fn.text)) {
    memo.set(fn, true);
    return true;
  }
  if (visiting.has(fn) || visiting.size > 16) return false;
  visiting.add(fn);
  let result = false;
  for (const callee of calledLocalFunctions(fn, resolver)) {
    if (mayTouchGradients(callee, resolver, visiting)) {
      result = true;
      break;
    }
  }
  visiting.delete(fn);
  memo.set(fn, result);
  return result;
}

function calledLocalFunctions(fn: FunctionInfo, resolver: Resolver): FunctionInfo[] {
  const found: FunctionInfo[] = [];
  const visitStmts = (stmts: Stmt[]) => {
    for (const stmt of stmts) {
      const exprs: Expr[] = [];
      if (stmt.type === 'Expr') exprs.push(stmt.value);
      else if (stmt.type === 'Assign' && stmt.value) exprs.push(stmt.value);
      else if (stmt.type === 'Return' && stmt.value) exprs.push(stmt.value);
      const calls: import('./ast').CallExpr[] = [];
      exprs.forEach((e) => collectCalls(e, calls));
      for (const call of calls) {
        const callee = resolver.calledFunction(call.func, fn.scope);
        if (callee && callee !== fn) found.push(callee);
      }
      if (stmt.type !== 'FunctionDef' && stmt.type !== 'ClassDef') for (const block of childBlocks(stmt)) visitStmts(block);
    }
  };
  visitStmts(fn.def.body);
  return found;
}

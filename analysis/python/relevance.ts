// A cheap answer to "can this function do anything to gradients?", so that units and inlined
// helpers that cannot are skipped: a text test first, then the local functions it calls.
// What depends only on a function's own text is remembered with its parsed chunk, which survives
// re-parses of unchanged code.
import type { CallExpr, Expr, FunctionDefStmt, Stmt } from './ast';
import { childBlocks } from './ast';
import type { FunctionInfo, Scope } from './scopes';
import { importedSymbol } from './imported';
import { definitionMemo } from './module';
import type { Resolver } from './resolve';
import { collectCalls } from './evaluation-order';

const GRADIENT_WORDS = /backward|\.step\s*\(|zero_grad|clip|unscale_|\.grad\b|optimizer_step/;

export function textMayTouchGradients(text: string): boolean {
  // Plain substring searches first: much faster than the alternation over text that has none.
  if (!(text.includes('grad') || text.includes('step') || text.includes('clip') || text.includes('backward') || text.includes('unscale_'))) return false;
  return GRADIENT_WORDS.test(text);
}

export function mayTouchGradients(fn: FunctionInfo, resolver: Resolver, visiting = new Set<FunctionInfo>()): boolean {
  if (fn.touchesGradients !== undefined) return fn.touchesGradients;
  // A definition parsed only by its header was found to neither touch nor reach gradients in this
  // file; it may still call a helper of another module that does (its body is read then).
  if (fn.chunk.parsed.partial) {
    const pattern = importedGradientCalls(fn.parent.module, resolver);
    const full = pattern && pattern.test(fn.chunk.parsed.text) ? fn.withBody() : undefined;
    if (!full || full === fn) return (fn.touchesGradients = false);
    return (fn.touchesGradients = mayTouchGradients(full, resolver, visiting));
  }
  const memo = definitionMemo(fn.chunk.parsed, fn.def.start);
  memo.mentionsGradients ??= textMayTouchGradients(fn.text);
  if (memo.mentionsGradients) return (fn.touchesGradients = true);
  if (visiting.has(fn) || visiting.size > 16) return false;
  visiting.add(fn);
  // Helpers are looked up where the function is defined (its own nested defs are in its text).
  const scope = fn.cls ? fn.cls.scope : fn.parent;
  let result = false;
  for (const callee of (memo.callees ??= callees(fn.def))) {
    const target = resolver.calledFunction(callee, scope);
    if (target && target !== fn && mayTouchGradients(target, resolver, visiting)) {
      result = true;
      break;
    }
  }
  visiting.delete(fn);
  return (fn.touchesGradients = result);
}

/** The callee expressions of every call in a function body (nested functions excluded). */
function callees(def: FunctionDefStmt): Expr[] {
  const found: Expr[] = [];
  const visit = (stmts: Stmt[]) => {
    for (const stmt of stmts) {
      const exprs: Expr[] = [];
      if (stmt.type === 'Expr') exprs.push(stmt.value);
      else if (stmt.type === 'Assign' && stmt.value) exprs.push(stmt.value);
      else if (stmt.type === 'Return' && stmt.value) exprs.push(stmt.value);
      else if (stmt.type === 'If' || stmt.type === 'While') exprs.push(stmt.test);
      else if (stmt.type === 'For') exprs.push(stmt.iter);
      else if (stmt.type === 'With') exprs.push(...stmt.items.map((i) => i.context));
      const calls: CallExpr[] = [];
      exprs.forEach((e) => collectCalls(e, calls));
      for (const call of calls) if (call.func.type === 'Name' || call.func.type === 'Attribute') found.push(call.func);
      if (stmt.type !== 'FunctionDef' && stmt.type !== 'ClassDef') for (const block of childBlocks(stmt)) visit(block);
    }
  };
  visit(def.body);
  return found;
}

const importPatterns = new WeakMap<Scope, RegExp | null>();

/**
 * A pattern matching calls of names this module imports from other modules of the project that
 * may touch gradients (`from utils import clip_all` … `clip_all(`), or null when there are none
 * (no project, or no such import).
 */
function importedGradientCalls(module: Scope, resolver: Resolver): RegExp | null {
  if (!module.linker) return null;
  let pattern = importPatterns.get(module);
  if (pattern !== undefined) return pattern;
  importPatterns.set(module, null); // (a cycle of imports sees none)
  const names: string[] = [];
  for (const [name, qualified] of module.imports) {
    const found = importedSymbol(qualified, module);
    if (found?.kind === 'function' ? mayTouchGradients(found.fn, resolver) : found?.kind === 'module' || found?.kind === 'class') names.push(name);
  }
  pattern = names.length ? new RegExp(`\\b(?:${names.map((n) => n.replace(/[^\w]/g, '')).join('|')})\\s*[.(]`) : null;
  importPatterns.set(module, pattern);
  return pattern;
}

// What the flow builder carries while it walks a body: where control goes on return, break,
// continue and raise, the conditions and loops around the statement, the helpers inlined on the
// way, and small facts about statements it asks of every one.
import type { Range } from '../api';
import type { Guard, Site } from '../model/events';
import type { Expr, Span, Stmt } from './ast';
import type { Chunk } from './module';
import type { FunctionInfo, Scope } from './scopes';
import type { Environment } from './resolve';

export interface Frame {
  scope: Scope;
  env?: Environment;
  chunk: Chunk;
  via: Site[];
  guards: Guard[];
  loops: Array<LoopTargets>;
  returnTarget: number;
  /** Where a `raise` goes: the unit's exit, or a `finally` that runs first. */
  raiseTarget?: number;
  inlining: FunctionInfo[];
  /** Inside `with accelerator.accumulate(model):` — steps and zero_grad act only on sync passes. */
  accumulate: boolean;
  /** Compound statements around the current one, innermost last, for what a fix may move. */
  enclosing: Array<{ stmt: Stmt; sole: boolean }>;
  /** The current statement is alone in its block. */
  sole: boolean;
  /** Building module-level code, where an emptied top level is still a valid file. */
  moduleLevel: boolean;
  /** Scopes whose code this graph holds: the unit's, then each helper inlined on the way here. */
  graphScopes: Scope[];
  /** Per enclosing loop (helpers inlined in it included): the condition keys tested on each of its passes. */
  testedInLoops: Set<string>[];
  /** Inside the inlined `step`/`zero_grad` of this optimizer (what its gradients events belong to). */
  within?: string;
}

export interface LoopTargets {
  header: number;
  after: number;
  span: Span;
  keeps: (key: string) => boolean;
  /** Inside `try` with `finally` in this loop: `break` and `continue` run the `finally` first. */
  breakTo?: number;
  continueTo?: number;
}

/** A compound statement that moves along with the one statement it holds: an `if` without `else`, a loop without `else`, a `with`. */
export function carriesItsOnlyStatement(stmt: Stmt): boolean {
  if (stmt.type === 'If' || stmt.type === 'For' || stmt.type === 'While') return stmt.orelse.length === 0;
  return stmt.type === 'With';
}

export function hasBlocks(stmt: Stmt): boolean {
  return stmt.type === 'If' || stmt.type === 'For' || stmt.type === 'While' || stmt.type === 'With' || stmt.type === 'Try' || stmt.type === 'Match';
}

export function isAccumulateContext(expr: Expr): boolean {
  return expr.type === 'Call' && expr.func.type === 'Attribute' && expr.func.attr === 'accumulate';
}

export function originOf(range: Range, kind: string): string {
  return `${range.start.line}:${range.start.character}:${kind}`;
}


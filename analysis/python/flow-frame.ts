// What the flow builder carries while it walks a body: where control goes on return, break,
// continue and raise (the wiring's jumps), the conditions and loops around the statement, the helpers inlined on the
// way, and small facts about statements it asks of every one.
import type { Range } from '../api';
import type { Guard, Site } from '../model/events';
import type { Jumps } from '../model/jumps';
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
  /** The loops around the statement in this body, outermost first. */
  loops: Array<{ span: Span }>;
  /** Where return, raise, break and continue go (a `finally` first, inside a `try` that has one). */
  jumps: Jumps;
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
  /**
   * Per enclosing loop (helpers inlined in it included): the condition keys tested on each of its
   * passes that may change by being evaluated again (the loop's `LoopChanges.varying`).
   */
  varyingInLoops: Set<string>[];
  /** Inside the inlined `step`/`zero_grad` of this optimizer (what its gradients events belong to). */
  within?: string;
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


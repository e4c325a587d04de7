// Conditions of `if`/`while` as the flow graph sees them: a key per condition so that two tests of
// the same condition agree on one path, the conjuncts each branch implies, and whether the
// condition counts micro-batches (gradient accumulation).
import type { Expr, Stmt } from './ast';
import { childBlocks, dottedName, walkExpr } from './ast';
import type { Chunk } from './module';
import type { Scope } from './scopes';
import type { Environment, Resolver } from './resolve';

export interface ConditionFacts {
  key: string;
  /** Conditions known on the true branch and on the false branch (key, polarity). */
  whenTrue: Array<{ key: string; polarity: boolean }>;
  whenFalse: Array<{ key: string; polarity: boolean }>;
  /** Constant truth value, where the test is a literal (`while True`, `if 0`). */
  constant?: boolean;
  accumulation: boolean;
}

import { SYNC_KEY } from '../model/events';
import { emptinessKey, equalityKey, testsAccumulationIsOn } from '../model/conditions';
import { literalNumber, stringContent } from './literals';

const ACCUMULATION_TEXT = /%|sync_gradients|is_accumulating|accum|should_step|do_step|update_grad|optimizer_step_now|(?:need|should|do|is)_?(?:update|sync)\b/i;

export function conditionFacts(test: Expr, chunk: Chunk, scope: Scope, env: Environment | undefined, resolver: Resolver): ConditionFacts {
  const keyed = (e: Expr) => keyOf(e, chunk, scope, env, resolver);
  const { key, polarity } = keyed(test);
  const facts: ConditionFacts = {
    key,
    whenTrue: [{ key, polarity }],
    whenFalse: [{ key, polarity: !polarity }],
    accumulation: isAccumulation(test, chunk, scope, env, resolver),
  };
  const inner = stripNot(test);
  if (inner.expr.type === 'BoolOp') {
    // `a and b` true ⇒ a and b true; `a or b` false ⇒ a and b false.
    const implied = inner.expr.values.map(keyed);
    const allTrueBranch = (inner.expr.op === 'and') !== inner.negated;
    for (const part of implied) {
      if (allTrueBranch) facts.whenTrue.push({ key: part.key, polarity: inner.expr.op === 'and' ? part.polarity : !part.polarity });
      else facts.whenFalse.push({ key: part.key, polarity: inner.expr.op === 'and' ? part.polarity : !part.polarity });
    }
  }
  if (test.type === 'Constant') {
    if (test.kind === 'true' || (test.kind === 'number' && Number(test.raw) !== 0)) facts.constant = true;
    else if (test.kind === 'false' || test.kind === 'none' || (test.kind === 'number' && Number(test.raw) === 0)) facts.constant = false;
  }
  return facts;
}

function stripNot(expr: Expr): { expr: Expr; negated: boolean } {
  let negated = false;
  let e = expr;
  while (e.type === 'UnaryOp' && e.op === 'not') {
    negated = !negated;
    e = e.operand;
  }
  return { expr: e, negated };
}

function keyOf(expr: Expr, chunk: Chunk, scope: Scope, env: Environment | undefined, resolver: Resolver): { key: string; polarity: boolean } {
  const { expr: inner, negated } = stripNot(expr);
  if (isSyncGradients(inner, scope, env, resolver)) return { key: SYNC_KEY, polarity: !negated };
  const equality = equalityOf(inner, chunk, env);
  if (equality) return { key: equality.key, polarity: equality.polarity !== negated };
  return { key: keyText(inner, chunk, env, 0), polarity: !negated };
}

/**
 * `x == literal`, `x != literal`, `x is None`, `x is not None` (either side): one key per operand
 * and literal, `!=`/`is not` with the other polarity, so `if x is None: … else: …` and a later
 * `if x is not None:` are one condition, and `x == 'a'`, `x == 'b'` exclude each other.
 */
function equalityOf(expr: Expr, chunk: Chunk, env: Environment | undefined): { key: string; polarity: boolean } | undefined {
  if (expr.type !== 'Compare' || expr.ops.length !== 1) return undefined;
  const op = expr.ops[0];
  if (op !== '==' && op !== '!=' && op !== 'is' && op !== 'is not') return undefined;
  let operand = expr.left;
  let literal = literalText(expr.comparators[0]);
  if (literal === undefined) {
    literal = literalText(expr.left);
    operand = expr.comparators[0];
  }
  if (literal === undefined || literalText(operand) !== undefined) return undefined;
  // `is` compares identity: only None reads the same as `==`.
  if ((op === 'is' || op === 'is not') && literal !== 'None') return undefined;
  return { key: equalityKey(keyText(operand, chunk, env, 0), literal), polarity: op === '==' || op === 'is' };
}

/** A literal's value as text (`'a'` and `"a"` alike), or undefined for anything else. */
function literalText(expr: Expr): string | undefined {
  if (expr.type === 'Constant') {
    switch (expr.kind) {
      // (True == 1 and False == 0: booleans would need care to exclude anything, and are left out.)
      case 'none': return 'None';
      case 'string': {
        // Plain and raw strings only: prefixes such as f'' compute their value.
        if (!/^[rRuU]?(['"])/.test(expr.raw)) return undefined;
        return `s:${stringContent(expr.raw)}`;
      }
      case 'number': {
        const value = literalNumber(expr);
        return value === undefined ? undefined : `n:${value}`;
      }
      default: return undefined;
    }
  }
  if (expr.type === 'UnaryOp' && expr.op === '-') {
    const value = literalNumber(expr);
    return value === undefined ? undefined : `n:${value}`;
  }
  return undefined;
}

/** `accelerator.sync_gradients`, or a name whose one binding is it (`do_sync = accelerator.sync_gradients`). */
function isSyncGradients(expr: Expr, scope: Scope, env: Environment | undefined, resolver: Resolver): boolean {
  if (expr.type === 'Attribute') return expr.attr === 'sync_gradients';
  if (expr.type !== 'Name') return false;
  const value = resolver.soleAssignment(expr, scope, env)?.binding.value;
  return value?.type === 'Attribute' && value.attr === 'sync_gradients';
}

/**
 * The condition's text with an inlined helper's parameters replaced by the caller's arguments:
 * `if scaler is not None:` in two helpers both handed the caller's `scaler` is one condition.
 */
function keyText(expr: Expr, chunk: Chunk, env: Environment | undefined, depth: number): string {
  const pieces: string[] = [];
  let at = expr.start;
  if (env?.params.size && depth < 4) {
    walkExpr(expr, (e) => {
      if (e.type !== 'Name' || e.start < at) return;
      const argument = env.params.get(e.id);
      if (!argument) return;
      pieces.push(chunk.slice(at, e.start), keyText(argument.expr, argument.chunk, argument.env, depth + 1));
      at = e.end;
    });
  }
  pieces.push(chunk.slice(at, expr.end));
  return pieces.join('').replace(/\s+/g, '');
}

function isAccumulation(test: Expr, chunk: Chunk, scope: Scope, env: Environment | undefined, resolver: Resolver, depth = 0): boolean {
  const text = chunk.slice(test.start, test.end);
  if (testsAccumulationIsOn(text.replace(/^\s*not\s+/, ''))) return false;
  if (ACCUMULATION_TEXT.test(text)) return true;
  if (depth > 3) return false;
  // A flag computed elsewhere: `update = (i + 1) % k == 0` … `if update:`; or a helper's parameter.
  const names: Expr[] = [];
  collectNames(test, names);
  for (const name of names) {
    const found = resolver.bindingsOf(name, scope, env);
    if (found) {
      for (const binding of found.bindings) {
        if (binding.how === 'assign' && isAccumulation(binding.value, binding.chunk, found.scope, found.env, resolver, depth + 1)) return true;
      }
    } else if (name.type === 'Name') {
      const param = env?.params.get(name.id);
      if (param && ACCUMULATION_TEXT.test(param.chunk.slice(param.expr.start, param.expr.end))) return true;
    }
  }
  return false;
}

function collectNames(expr: Expr, out: Expr[]): void {
  switch (expr.type) {
    case 'Name':
      out.push(expr);
      break;
    case 'UnaryOp':
      collectNames(expr.operand, out);
      break;
    case 'BoolOp':
      expr.values.forEach((v) => collectNames(v, out));
      break;
    case 'Compare':
      collectNames(expr.left, out);
      expr.comparators.forEach((v) => collectNames(v, out));
      break;
  }
}

/**
 * Whether a condition the loop body tests may change by being evaluated again, even where nothing
 * in sight assigns what it reads: it calls something, or it counts micro-batches (accumulation
 * conditions change by design, even when what advances the counter is out of sight). Whether the
 * loop keeps the others is the model's `keptAcrossPasses`, from the names the body assigns.
 */
export function variesWhenTested(key: string): boolean {
  return key.includes('(') || (ACCUMULATION_TEXT.test(key) && !testsAccumulationIsOn(key));
}

/** Every name a loop body binds or rebinds (targets, with/for/except names, walrus), nested blocks included. */
export function assignedNames(stmts: Stmt[], into = new Set<string>()): Set<string> {
  const target = (expr: Expr | undefined) => addTargetNames(expr, into);
  const walrusTarget = (e: Expr) => e.type === 'NamedExpr' && target(e.target);
  for (const stmt of stmts) {
    switch (stmt.type) {
      case 'Assign': stmt.targets.forEach(target); break;
      case 'For': target(stmt.target); break;
      case 'With': stmt.items.forEach((item) => target(item.target)); break;
      case 'Delete': stmt.targets.forEach(target); break;
      case 'FunctionDef': case 'ClassDef': into.add(stmt.name); continue;
      case 'Import': case 'ImportFrom': stmt.names.forEach((a) => into.add((a.asname ?? a.name).split('.')[0])); break;
      case 'Try': stmt.handlers.forEach((h) => h.name && into.add(h.name)); break;
    }
    if (stmt.type === 'If' || stmt.type === 'While') walkExpr(stmt.test, walrusTarget);
    else if (stmt.type === 'Expr') walkExpr(stmt.value, walrusTarget);
    else if (stmt.type === 'Assign') walkExpr(stmt.value, walrusTarget);
    for (const block of childBlocks(stmt)) assignedNames(block, into);
  }
  return into;
}

/**
 * What an assignment target changes: the names it binds (`a`, `a, (b, c)`), the attribute paths
 * it sets (`self.state.step`), and the containers it writes into (`a` for `a[i] = …`).
 */
export function addTargetNames(expr: Expr | undefined, into: Set<string>): void {
  if (!expr) return;
  if (expr.type === 'Tuple' || expr.type === 'List') expr.elts.forEach((e) => addTargetNames(e, into));
  else if (expr.type === 'Starred') addTargetNames(expr.value, into);
  else if (expr.type === 'Subscript') addTargetNames(expr.value, into);
  else {
    const path = dottedName(expr);
    if (path !== undefined) into.add(path);
    // Anything else (a call's attribute): say it changes every name it mentions.
    else walkExpr(expr, (e) => e.type === 'Name' && into.add(e.id));
  }
}

/** The iterable of a `for` that cannot be empty: a display with elements, `range(3)`, a model's parameters. */
export const NEVER_EMPTY = '<never-empty>';

/**
 * The condition "this `for` runs zero times", keyed by its iterable (helper parameters replaced
 * by the caller's arguments), or NEVER_EMPTY for an iterable written out with elements.
 */
export function iterationKey(iter: Expr, chunk: Chunk, env: Environment | undefined): string {
  if ((iter.type === 'Tuple' || iter.type === 'List' || iter.type === 'Set') && iter.elts.some((e) => e.type !== 'Starred')) return NEVER_EMPTY;
  // A model being trained has parameters, and an optimizer has at least one parameter group.
  if (iter.type === 'Call' && iter.func.type === 'Attribute' && (iter.func.attr === 'parameters' || iter.func.attr === 'named_parameters') && iter.args.length === 0) return NEVER_EMPTY;
  if (iter.type === 'Attribute' && iter.attr === 'param_groups') return NEVER_EMPTY;
  if (iter.type === 'Call' && iter.func.type === 'Name' && iter.func.id === 'range') {
    const bounds = iter.args.map((a) => (a.value.type === 'Constant' && a.value.kind === 'number' && !a.name ? Number(a.value.raw) : NaN));
    if (bounds.length === 1 && bounds[0] > 0) return NEVER_EMPTY;
    if (bounds.length === 2 && bounds[1] > bounds[0]) return NEVER_EMPTY;
  }
  return emptinessKey(keyText(iter, chunk, env, 0));
}

/** `for opt in …: opt.step()` (or `scaler.step(opt)`, `opt.zero_grad()`) anywhere in the body. */
export function stepsItsTarget(loop: Extract<Stmt, { type: 'For' }>): boolean {
  if (loop.target.type !== 'Name') return false;
  const name = loop.target.id;
  const isTarget = (e: Expr | undefined) => e?.type === 'Name' && e.id === name;
  let found = false;
  const visit = (stmts: Stmt[]) => {
    for (const stmt of stmts) {
      if (found) return;
      if (stmt.type === 'Expr') {
        walkExpr(stmt.value, (e) => {
          if (e.type !== 'Call' || e.func.type !== 'Attribute') return;
          if ((e.func.attr === 'step' || e.func.attr === 'zero_grad') && isTarget(e.func.value)) found = true;
          if (e.func.attr === 'step' && isTarget(e.args[0]?.value)) found = true;
        });
      }
      if (stmt.type !== 'FunctionDef' && stmt.type !== 'ClassDef') for (const block of childBlocks(stmt)) visit(block);
    }
  };
  visit(loop.body);
  return found;
}

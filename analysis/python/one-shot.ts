// One-shot iterables: `filter(…)`, `map(…)`, a generator expression, `model.parameters()` held
// in a variable. Iterating one uses it up, so a clip handed one that an optimizer, a `list(…)`,
// a loop or an earlier clip already iterated clips nothing. Where they are made and iterated
// becomes part of the flow graph (IterableUse); the rule asks the paths.
import type { Range } from '../api';
import type { Argument, CallExpr, Expr, Stmt } from './ast';
import { childBlocks, walkExpr } from './ast';
import type { Chunk } from './module';
import type { Binding, FunctionInfo, Scope } from './scopes';
import type { Environment, Resolver } from './resolve';

export interface OneShotBinding {
  binding: Binding;
  /** Scope of the binding. */
  scope: Scope;
  /** Identity of the iterable (what its uses in the graph are keyed by). */
  key: string;
  /** Names that hold it on the way (`params_to_clip = lora_layers`): the last is the binding's. */
  names: string[];
}

/** The identity of an iterable made by the assignment whose target starts at `targetStart` in chunk `chunkId`. */
export function iterableKey(chunkId: number, targetStart: number): string {
  return `${chunkId}:${targetStart}`;
}

/**
 * Follows plain aliases (`params_to_clip = lora_layers`, `params = self.params`) from a name or
 * `self.attr` to the one assignment of a one-shot iterable that gives it its value here.
 */
export function oneShotBinding(expr: Expr, scope: Scope, env: Environment | undefined, resolver: Resolver): OneShotBinding | undefined {
  const names: string[] = [];
  let current: Expr = expr;
  let currentScope = scope;
  let currentEnv = env;
  for (let depth = 0; depth < 6; depth++) {
    if (current.type === 'Name') names.push(current.id);
    else if (isSelfAttribute(current)) names.push(`self.${current.attr}`);
    else return undefined;
    const found = resolver.bindingsOf(current, currentScope, currentEnv);
    if (!found || found.bindings.length !== 1 || found.incomplete) return undefined;
    const binding = found.bindings[0];
    if (binding.how !== 'assign' || binding.index !== undefined) return undefined;
    if (binding.value.type === 'Name' || isSelfAttribute(binding.value)) {
      current = binding.value;
      currentScope = found.scope;
      currentEnv = found.env;
      continue;
    }
    if (!isOneShot(binding.value, found.scope, resolver)) return undefined;
    return { binding, scope: found.scope, key: iterableKey(binding.chunk.id, binding.target.start), names };
  }
  return undefined;
}

export function isSelfAttribute(expr: Expr): expr is Extract<Expr, { type: 'Attribute' }> {
  return expr.type === 'Attribute' && expr.value.type === 'Name' && expr.value.id === 'self';
}

/** A value that can be iterated only once. */
export function isOneShot(value: Expr, scope: Scope, resolver: Resolver, depth = 0): boolean {
  if (value.type === 'Comprehension') return value.kind === 'generator';
  if (value.type !== 'Call') return false;
  const func = value.func;
  if (func.type === 'Attribute' && (func.attr === 'parameters' || func.attr === 'named_parameters')) return true;
  const qualified = resolver.qualify(func, scope) ?? '';
  if (/^(builtins\.(filter|map|iter|zip|reversed)|itertools\.(chain|islice))$/.test(qualified) || qualified === 'itertools.chain.from_iterable') return true;
  // A function of the project that returns one (`def trainable(m): return filter(…, m.parameters())`).
  const returned = depth < 3 ? resolver.returnsOf(value, scope) : undefined;
  return !!returned && returned.values.every((v) => isOneShot(v, returned.scope, resolver, depth + 1));
}

/**
 * Builtins that iterate their argument to the end. (`map`, `filter`, `zip`, `enumerate` wrap it
 * lazily; `next`, `any`, `all` may stop early: the clip then still sees the rest.)
 */
export const CONSUMING_BUILTINS = /^builtins\.(list|tuple|sum|sorted|set|max|min|dict)$/;

/**
 * How `call` uses up `argument` (one of its arguments), if it does: an optimizer built from it,
 * an eager builtin (`list(…)`, `sum(…)`), or a function of the project that does either with
 * the parameter it receives it as.
 */
export function consumerOf(call: CallExpr, argument: Argument, scope: Scope, env: Environment | undefined, resolver: Resolver): 'optimizer' | 'earlier-use' | undefined {
  const qualified = resolver.qualify(call.func, scope, env) ?? '';
  if (CONSUMING_BUILTINS.test(qualified)) return argument.name ? undefined : 'earlier-use';
  const fn = call.func.type === 'Name' || call.func.type === 'Attribute' ? resolver.calledFunction(call.func, scope) : undefined;
  if (fn) {
    const param = parameterFor(fn, call, argument);
    return param ? consumedParameters(fn, resolver).get(param) : undefined;
  }
  if (resolver.receiverKind(call, scope, env) === 'optimizer') return 'optimizer';
  return undefined;
}

/** The parameter of `fn` that `argument` of `call` is bound to. */
function parameterFor(fn: FunctionInfo, call: CallExpr, argument: Argument): string | undefined {
  if (argument.star) return undefined;
  if (argument.name) return argument.name;
  const names = fn.def.params.filter((p) => p.kind === 'normal').map((p) => p.name);
  const viaClass = call.func.type === 'Attribute' && call.func.value.type === 'Name' && fn.cls !== undefined && call.func.value.id === fn.cls.name;
  const offset = fn.cls !== undefined && ((names[0] === 'self' && !viaClass) || names[0] === 'cls') ? 1 : 0;
  const index = call.args.filter((a) => !a.name && !a.star).indexOf(argument);
  return index < 0 ? undefined : names[index + offset];
}

const summaries = new WeakMap<FunctionInfo, Map<string, 'optimizer' | 'earlier-use'>>();

/**
 * Parameters a function always uses up (not under a condition): handed to an optimizer or an
 * eager builtin, iterated by a `for` or a comprehension, or passed on to a function that does.
 */
export function consumedParameters(fn: FunctionInfo, resolver: Resolver, depth = 0): ReadonlyMap<string, 'optimizer' | 'earlier-use'> {
  const known = summaries.get(fn);
  if (known) return known;
  const out = new Map<string, 'optimizer' | 'earlier-use'>();
  summaries.set(fn, out); // (recursion sees the partial summary)
  if (depth > 3) return out;
  const full = fn.withBody();
  if (!full) return out;
  const scope = full.scope;
  const isParam = (e: Expr): e is Extract<Expr, { type: 'Name' }> => e.type === 'Name' && scope.params.has(e.id) && !scope.bindings.has(e.id);
  const visitExpr = (expr: Expr | undefined) =>
    walkExpr(expr, (e) => {
      if (e.type === 'Call') {
        for (const arg of e.args) {
          if (!isParam(arg.value) || out.has(arg.value.id)) continue;
          const qualified = resolver.qualify(e.func, scope) ?? '';
          let by: 'optimizer' | 'earlier-use' | undefined;
          if (CONSUMING_BUILTINS.test(qualified) && !arg.name) by = 'earlier-use';
          else {
            const callee = e.func.type === 'Name' || e.func.type === 'Attribute' ? resolver.calledFunction(e.func, scope) : undefined;
            if (callee && callee !== fn) {
              const param = parameterFor(callee, e, arg);
              by = param ? consumedParameters(callee, resolver, depth + 1).get(param) : undefined;
            } else if (!callee && resolver.receiverKind(e, scope) === 'optimizer') by = 'optimizer';
          }
          if (by) out.set(arg.value.id, by);
        }
      } else if (e.type === 'Comprehension') {
        for (const generator of e.generators) if (isParam(generator.iter) && !out.has(generator.iter.id)) out.set(generator.iter.id, 'earlier-use');
      }
    });
  const visit = (stmts: Stmt[]) => {
    for (const stmt of stmts) {
      switch (stmt.type) {
        case 'Expr': visitExpr(stmt.value); break;
        case 'Assign': visitExpr(stmt.value); break;
        case 'Return': visitExpr(stmt.value); break;
        case 'For':
          if (isParam(stmt.iter) && !out.has(stmt.iter.id)) out.set(stmt.iter.id, 'earlier-use');
          visitExpr(stmt.iter);
          visit(stmt.body);
          break;
        case 'With':
          stmt.items.forEach((i) => visitExpr(i.context));
          visit(stmt.body);
          break;
      }
    }
  };
  visit(full.def.body);
  return out;
}


/**
 * An optimizer built from the iterable (by one of `names`) in code that runs before training but
 * lies outside the unit's graph: the module's code, the enclosing function, or (for `self.x`) any
 * method of the class.
 */
export function optimizerBuiltElsewhere(found: OneShotBinding, resolver: Resolver): { range: Range } | undefined {
  const bodies: Array<{ body: Stmt[]; chunk: Chunk; scope: Scope }> = [];
  const scope = found.scope;
  if (scope.kind === 'class' && scope.cls) {
    for (const cls of resolver.lineage(scope.cls)) for (const method of cls.methods.values()) if (!method.chunk.parsed.partial) bodies.push({ body: method.def.body, chunk: method.chunk, scope: method.scope });
  } else if (scope.fn) bodies.push({ body: scope.fn.def.body, chunk: scope.fn.chunk, scope });
  else if (scope.kind === 'module') for (const chunk of scope.chunks) if (!chunk.parsed.partial) bodies.push({ body: chunk.body, chunk, scope });
  const holds = (e: Expr) => (e.type === 'Name' && found.names.includes(e.id)) || (isSelfAttribute(e) && found.names.includes(`self.${e.attr}`));
  for (const { body, chunk, scope: bodyScope } of bodies) {
    let range: Range | undefined;
    const visitExpr = (expr: Expr | undefined) =>
      walkExpr(expr, (e) => {
        if (range || e.type !== 'Call') return;
        const arg = e.args.find((a) => !a.star && holds(a.value));
        if (arg && consumerOf(e, arg, bodyScope, undefined, resolver) === 'optimizer') range = chunk.range(e.start, e.end);
      });
    const visit = (stmts: Stmt[]) => {
      for (const stmt of stmts) {
        if (range) return;
        if (stmt.type === 'Assign') visitExpr(stmt.value);
        else if (stmt.type === 'Expr') visitExpr(stmt.value);
        else if (stmt.type === 'Return') visitExpr(stmt.value);
        if (stmt.type !== 'FunctionDef' && stmt.type !== 'ClassDef') for (const block of childBlocks(stmt)) visit(block);
      }
    };
    visit(body);
    if (range) return { range };
  }
  return undefined;
}

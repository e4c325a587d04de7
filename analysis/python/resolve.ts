// Name resolution over scopes: what a callee or receiver really is. "Names mean what their
// binding says": a local function called clip_grad_norm is not torch's, a variable named opt bound
// to a scheduler is not an optimizer, and only where nothing binds a name does its spelling count.
import type { Expr, Stmt } from './ast';
import { childBlocks, dottedName } from './ast';
import type { Binding, Scope } from './scopes';
import { ClassInfo, FunctionInfo } from './scopes';
import type { NameExpr } from './ast';
import { PARAMETER, reachingDefinitions, type Definition } from './reaching';
import { importedSymbol } from './imported';

/** Parameters of an inlined helper bound to the caller's argument expressions. */
export interface Environment {
  params: Map<string, BoundArgument>;
}

export interface BoundArgument {
  expr: Expr;
  /** Scope and chunk of the caller, where the argument was written. */
  scope: Scope;
  chunk: import('./module').Chunk;
  env?: Environment;
}

/** The bindings that give an expression its value where it is used. */
export interface FoundBindings {
  bindings: Binding[];
  scope: Scope;
  env?: Environment;
  /** Some value reaching the use is not among `bindings` (the parameter's, beside local rebindings). */
  incomplete?: boolean;
}

export type ReceiverKind = 'optimizer' | 'not-optimizer' | 'unknown';

const KNOWN_OPTIMIZERS = new Set([
  'SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam', 'LBFGS', 'SparseAdam', 'ASGD', 'Rprop',
  'Lion', 'Adafactor', 'FusedAdam', 'FusedLAMB', 'FusedSGD', 'DeepSpeedCPUAdam', 'AdamW8bit', 'Adam8bit', 'PagedAdamW', 'PagedAdamW8bit',
  'Lamb', 'LAMB', 'Shampoo', 'SophiaG', 'Muon', 'ZeroRedundancyOptimizer', 'AdaBelief', 'Ranger', 'Lookahead', 'Adan', 'Prodigy', 'ScheduleFreeAdamW',
]);

const OPTIMIZER_WORDS = new Set(['opt', 'opts', 'optim', 'optims', 'optimizer', 'optimizers', 'optimiser', 'optimisers']);

/** Optimizer-like spelling: `opt`, `optim`, `optimizer_g`, `d_optimizer`, `optG`, `self.optimizer`. */
export function hasOptimizerName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.includes('sched')) return false;
  if (lower.includes('optimizer') || lower.includes('optimiser')) return true;
  const words = name.split(/_|(?<=[a-z])(?=[A-Z])|\d+/).filter(Boolean).map((w) => w.toLowerCase());
  return words.some((w) => OPTIMIZER_WORDS.has(w));
}

export class Resolver {
  /** Qualified name of a callee or value: `torch.nn.utils.clip_grad_norm_`, or undefined. */
  qualify(expr: Expr, scope: Scope, env?: Environment, depth = 0): string | undefined {
    if (depth > 8) return undefined;
    if (expr.type === 'Attribute') {
      const base = this.qualify(expr.value, scope, env, depth + 1);
      return base === undefined ? undefined : `${base}.${expr.attr}`;
    }
    if (expr.type !== 'Name') return undefined;
    const name = expr.id;
    const param = env?.params.get(name);
    const owner = scope.lookup(name);
    if (!owner) {
      if (name === 'torch') return 'torch';
      for (const module of scope.module.starImports) if (STAR_EXPORTS[module]?.has(name)) return `${module}.${name}`;
      return BUILTINS.has(name) ? `builtins.${name}` : undefined;
    }
    if (owner.imports.has(name)) return owner.imports.get(name);
    if (owner.functions.has(name)) return `<local>.${name}`;
    if (owner.classes.has(name)) return `<local>.${name}`;
    if (owner.params.has(name)) {
      const reaching = definitionsAt(expr, owner, scope);
      const onlyParameter = !owner.bindings.has(name) || (reaching !== undefined && reaching.every((d) => d === PARAMETER));
      if (onlyParameter) return param ? this.qualify(param.expr, param.scope, param.env, depth + 1) : undefined;
    }
    // A plain alias (`clip = torch.nn.utils.clip_grad_norm_`) resolves through its value.
    const sole = this.soleAssignment(expr, scope, env);
    const value = sole?.binding.value;
    if (value && (value.type === 'Name' || value.type === 'Attribute')) return this.qualify(value, sole!.scope, sole!.env, depth + 1);
    return undefined;
  }

  /**
   * The assignments that give `expr` its value at this use (a name, `self.attr`, or a bound
   * parameter): for a name in its own scope, only the bindings that reach the use; a rebinding
   * (`optimizer = wrap(optimizer)`) replaces the earlier one.
   */
  bindingsOf(expr: Expr, scope: Scope, env?: Environment): FoundBindings | undefined {
    if (expr.type === 'Name') {
      const owner = scope.lookup(expr.id);
      if (!owner) return undefined;
      const reaching = definitionsAt(expr, owner, scope);
      const fromParameter = reaching ? reaching.includes(PARAMETER) : owner.params.has(expr.id) && !owner.bindings.has(expr.id);
      const local = reaching ? reaching.filter((d): d is Binding => d !== PARAMETER) : owner.bindings.get(expr.id) ?? [];
      if (fromParameter && local.length === 0) {
        const param = env?.params.get(expr.id);
        if (!param) return undefined;
        // Follow the argument into the caller.
        return this.bindingsOf(param.expr, param.scope, param.env) ?? { bindings: [syntheticBinding(param.expr, param.chunk)], scope: param.scope, env: param.env };
      }
      if (!local.length) return undefined;
      for (const b of local) b.chunk.touch();
      return { bindings: local, scope: owner, env, incomplete: fromParameter || undefined };
    }
    if (expr.type === 'Attribute' && expr.value.type === 'Name' && expr.value.id === 'self' && scope.cls) {
      const bindings = this.selfAttributeBindings(scope.cls, expr.attr);
      if (bindings) for (const b of bindings) b.chunk.touch();
      return bindings ? { bindings, scope: scope.cls.scope } : undefined;
    }
    return undefined;
  }

  /**
   * True when every value that can reach `expr` passes `test`: at least one, none unknown (a
   * parameter beside local rebindings). Facts that make findings hold only when they hold for
   * every value (`if fp16: optimizer = FP16Optimizer(optimizer)` is not a torch optimizer).
   */
  everyBinding(expr: Expr, scope: Scope, env: Environment | undefined, test: (binding: Binding, found: FoundBindings) => boolean): boolean {
    const found = this.bindingsOf(expr, scope, env);
    if (!found || found.incomplete || !found.bindings.length) return false;
    return found.bindings.every((b) => test(b, found));
  }

  /** `self.x = …` in the class's methods and in those of the classes it derives from. */
  selfAttributeBindings(cls: ClassInfo, attr: string): Binding[] | undefined {
    let out: Binding[] | undefined;
    for (const c of this.lineage(cls)) {
      const found = c.selfAttributes.get(attr);
      if (found) out = out ? [...out, ...found] : found;
    }
    return out;
  }

  /** The class and the classes it derives from that this analysis can read, nearest first. */
  lineage(cls: ClassInfo): ClassInfo[] {
    const out: ClassInfo[] = [];
    const visit = (c: ClassInfo, depth: number) => {
      if (depth > 5 || out.includes(c)) return;
      out.push(c);
      for (const base of c.def.bases) {
        const parent = this.localClass(base.value, c.parent);
        if (parent) visit(parent, depth + 1);
      }
    };
    visit(cls, 0);
    return out;
  }

  /** The one plain assignment (`x = …`, no unpacking) that gives a name its value, if it has exactly one. */
  soleAssignment(expr: Expr, scope: Scope, env?: Environment): { binding: Binding; scope: Scope; env?: Environment } | undefined {
    const found = this.bindingsOf(expr, scope, env);
    const only = found?.bindings.length === 1 && !found.incomplete ? found.bindings[0] : undefined;
    return only && only.how === 'assign' && only.index === undefined ? { binding: only, scope: found!.scope, env: found!.env } : undefined;
  }

  /** Is `expr` (a `.step()` receiver) an optimizer? */
  receiverKind(expr: Expr, scope: Scope, env?: Environment, depth = 0): ReceiverKind {
    if (depth > 6) return 'unknown';
    if (expr.type === 'Subscript') return this.receiverKind(expr.value, scope, env, depth + 1);
    if (expr.type === 'Call') {
      const attr = expr.func.type === 'Attribute' ? expr.func.attr : expr.func.type === 'Name' ? expr.func.id : '';
      if (attr === 'optimizers' || attr === 'configure_optimizers') return 'optimizer';
      return this.classifyValue(expr, scope, env, depth);
    }
    const found = this.bindingsOf(expr, scope, env);
    if (found) {
      let sawOptimizer = false;
      let sawOther = false;
      for (const binding of found.bindings) {
        const kind = this.classifyBinding(binding, found.scope, found.env, depth + 1);
        if (kind === 'optimizer') sawOptimizer = true;
        else if (kind === 'not-optimizer') sawOther = true;
      }
      if (sawOptimizer) return 'optimizer';
      if (sawOther) return 'not-optimizer';
    }
    const name = expr.type === 'Name' ? expr.id : expr.type === 'Attribute' ? expr.attr : undefined;
    if (name === undefined) return 'unknown';
    return hasOptimizerName(name) ? 'optimizer' : 'unknown';
  }

  private classifyBinding(binding: Binding, scope: Scope, env: Environment | undefined, depth: number): ReceiverKind {
    if (binding.how === 'for') {
      // `for opt in optimizers:` — an element of the iterable.
      return this.receiverKind(binding.value, scope, env, depth);
    }
    const value = binding.value;
    if (binding.index !== undefined && value.type === 'Call') {
      // `model, optimizer = accelerator.prepare(model, optimizer)`: follow the matching argument.
      const callee = value.func.type === 'Attribute' ? value.func.attr : '';
      if (callee === 'prepare' || callee === 'setup' || callee === 'initialize') {
        if (callee === 'initialize' && binding.index === 1) return 'optimizer'; // deepspeed.initialize
        const arg = value.args.filter((a) => !a.name && !a.star)[binding.index];
        if (arg) return this.receiverKind(arg.value, scope, env, depth);
      }
      return 'unknown';
    }
    if (binding.index !== undefined && (value.type === 'Tuple' || value.type === 'List')) {
      const elt = value.elts[binding.index];
      return elt ? this.receiverKind(elt, scope, env, depth) : 'unknown';
    }
    return this.classifyValue(value, scope, env, depth);
  }

  private classifyValue(value: Expr, scope: Scope, env: Environment | undefined, depth: number): ReceiverKind {
    if (value.type === 'Name' || value.type === 'Attribute' || value.type === 'Subscript') return this.receiverKind(value, scope, env, depth + 1);
    if (value.type !== 'Call') return 'unknown';
    // A factory of this project: what it returns (`return torch.optim.AdamW(params, lr=lr)`).
    if (depth < 4) {
      const returned = this.returnsOf(value, scope, env);
      if (returned) {
        const kinds = returned.values.map((v) => this.classifyValue(v, returned.scope, undefined, depth + 2));
        if (kinds.every((k) => k === 'optimizer')) return 'optimizer';
        if (kinds.every((k) => k === 'not-optimizer')) return 'not-optimizer';
      }
    }
    const qualified = this.qualify(value.func, scope, env) ?? '';
    const last = (dottedName(value.func) ?? '').split('.').pop() ?? '';
    if (/lr_scheduler|scheduler|Scheduler|\bema\b|EMA|ExponentialMovingAverage|profiler|profile|gym\.make|make_env|Pipeline/.test(qualified || last)) return 'not-optimizer';
    if (qualified.startsWith('torch.optim.')) return 'optimizer';
    if (KNOWN_OPTIMIZERS.has(last) || /Optimizer$|^create_optimizer|^build_optimizer|^get_optimizer|^make_optimizer|^configure_optimizers$|^optimizers$/.test(last)) return 'optimizer';
    // `optimizer_cls = torch.optim.AdamW` (or bnb's) … `optimizer_cls(params, lr=…)`.
    if (value.func.type === 'Name' && (hasOptimizerName(value.func.id) || this.bindsOptimizerClass(value.func, scope, env))) return 'optimizer';
    if (last === 'setup_optimizers') return 'optimizer';
    if (last === 'prepare' && value.args.length === 1) return this.receiverKind(value.args[0].value, scope, env, depth + 1);
    return 'unknown';
  }

  /** A name bound to an optimizer class (`optimizer_cls = torch.optim.AdamW`). */
  private bindsOptimizerClass(name: Expr, scope: Scope, env: Environment | undefined): boolean {
    const found = this.bindingsOf(name, scope, env);
    return !!found?.bindings.some((b) => {
      if (b.value.type !== 'Name' && b.value.type !== 'Attribute') return false;
      const qualified = this.qualify(b.value, found.scope, found.env) ?? dottedName(b.value) ?? '';
      return qualified.startsWith('torch.optim.') || KNOWN_OPTIMIZERS.has(qualified.split('.').pop() ?? '');
    });
  }

  /** GradScaler state of a receiver: scaling on, off (`enabled=False`), or not a scaler. */
  scalerState(expr: Expr, scope: Scope, env?: Environment): 'enabled' | 'disabled' | 'not-scaler' {
    const found = this.bindingsOf(expr, scope, env);
    let sawScaler = false;
    let sawEnabled = false;
    if (found) {
      for (const binding of found.bindings) {
        const value = binding.value;
        if (value.type !== 'Call') continue;
        const qualified = this.qualify(value.func, found.scope, found.env) ?? dottedName(value.func) ?? '';
        if (!/GradScaler$/.test(qualified)) continue;
        sawScaler = true;
        const enabled = value.args.find((a) => a.name === 'enabled');
        if (!(enabled && this.isFalse(enabled.value, found.scope, found.env))) sawEnabled = true;
      }
    }
    if (sawScaler) return sawEnabled ? 'enabled' : 'disabled';
    const name = expr.type === 'Name' ? expr.id : expr.type === 'Attribute' ? expr.attr : '';
    return /scaler/i.test(name) ? 'enabled' : 'not-scaler';
  }

  /** `False`, `0`, or a name bound only to one of those (`use_amp = False`). */
  private isFalse(expr: Expr, scope: Scope, env: Environment | undefined, depth = 0): boolean {
    if (expr.type === 'Constant') return expr.kind === 'false' || expr.kind === 'none' || expr.raw === '0';
    if (expr.type !== 'Name' || depth > 3) return false;
    const found = this.bindingsOf(expr, scope, env);
    return !!found && found.bindings.length > 0 && found.bindings.every((b) => b.how === 'assign' && b.index === undefined && this.isFalse(b.value, found.scope, found.env, depth + 1));
  }

  /** Accelerate's Accelerator (`accelerator.backward`, `accelerator.clip_grad_norm_`). */
  isAccelerator(expr: Expr, scope: Scope, env?: Environment): boolean {
    return this.isInstanceOf(expr, scope, env, /(^|\.)Accelerator$/, /accelerator/i);
  }

  /** Lightning Fabric (`fabric.backward`, `fabric.clip_gradients`). */
  isFabric(expr: Expr, scope: Scope, env?: Environment): boolean {
    return this.isInstanceOf(expr, scope, env, /(^|\.)Fabric$/, /^(self\.)?fabric$/i);
  }

  private isInstanceOf(expr: Expr, scope: Scope, env: Environment | undefined, type: RegExp, spelling: RegExp): boolean {
    const found = this.bindingsOf(expr, scope, env);
    if (found) {
      for (const binding of found.bindings) {
        if (binding.value.type === 'Call') {
          const qualified = this.qualify(binding.value.func, found.scope, found.env) ?? dottedName(binding.value.func) ?? '';
          if (type.test(qualified)) return true;
        }
      }
    }
    const name = expr.type === 'Name' ? expr.id : expr.type === 'Attribute' ? expr.attr : '';
    return spelling.test(name);
  }

  /** A local function or method a call reaches (for inlining its events). */
  calledFunction(func: Expr, scope: Scope, env?: Environment): FunctionInfo | undefined {
    let fn: FunctionInfo | undefined;
    if (func.type === 'Name') {
      const owner = scope.lookup(func.id);
      fn = owner?.functions.get(func.id);
      // `from utils import clip_all`: a function of another module of the project.
      if (!fn && owner?.imports.has(func.id)) fn = this.importedFunction(owner.imports.get(func.id)!, scope);
    } else if (func.type === 'Attribute' && this.isImportedName(func, scope)) {
      // `utils.clip_all(…)`, `pkg.train.run(…)`, `Trainer.helper(…)` of another module.
      const qualified = this.qualify(func, scope, env);
      if (qualified) fn = this.importedFunction(qualified, scope);
    } else if (func.type === 'Attribute' && func.value.type === 'Name') {
      // `self.method()`, `cls.method()`, `LocalClass.method()` (a static or class method), and
      // `obj.method()` on an instance of a class of this file (`w = Weighting(…); w.backward(loss)`).
      const receiver = func.value.id;
      const cls = (receiver === 'self' || receiver === 'cls') && scope.cls ? scope.cls : scope.lookup(receiver)?.classes.get(receiver) ?? this.instanceClass(func.value, scope, env);
      if (cls) fn = this.method(cls, func.attr);
    } else if (func.type === 'Attribute' && func.value.type === 'Attribute') {
      // `self.weighting.backward(loss)` with `self.weighting = Weighting(…)`.
      const cls = this.instanceClass(func.value, scope, env);
      if (cls) fn = this.method(cls, func.attr);
    }
    fn?.chunk.touch();
    return fn;
  }

  /** A method of the class or of a class it derives from (nearest first). */
  method(cls: ClassInfo, name: string): FunctionInfo | undefined {
    for (const c of this.lineage(cls)) {
      const found = c.methods.get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** The class of this file that every value reaching `expr` is an instance of (`x = LocalClass(…)`). */
  instanceClass(expr: Expr, scope: Scope, env?: Environment): ClassInfo | undefined {
    if (expr.type === 'Name' && (expr.id === 'self' || expr.id === 'cls')) return undefined;
    if (expr.type === 'Attribute' && !(expr.value.type === 'Name' && expr.value.id === 'self')) return undefined;
    const found = this.bindingsOf(expr, scope, env);
    if (!found || found.incomplete || !found.bindings.length) return undefined;
    let cls: ClassInfo | undefined;
    for (const binding of found.bindings) {
      if (binding.how !== 'assign' || binding.index !== undefined || binding.value.type !== 'Call') return undefined;
      const made = this.localClass(binding.value.func, found.scope);
      if (!made || (cls && made !== cls)) return undefined;
      cls = made;
    }
    return cls;
  }

  /**
   * The values a call to a function of this file or of the project returns (its `return`
   * statements, in the function's scope), for what a factory makes: `wrap(model)` returning
   * `FSDP(model)`, `build_optimizer(params)` returning `AdamW(params)`. Undefined for anything else.
   */
  returnsOf(call: Expr, scope: Scope, env?: Environment): { values: Expr[]; scope: Scope } | undefined {
    if (call.type !== 'Call' || (call.func.type !== 'Name' && call.func.type !== 'Attribute')) return undefined;
    const fn = this.calledFunction(call.func, scope, env)?.withBody();
    if (!fn) return undefined;
    const values: Expr[] = [];
    const visit = (stmts: Stmt[]) => {
      for (const stmt of stmts) {
        if (stmt.type === 'Return' && stmt.value) values.push(stmt.value);
        if (stmt.type !== 'FunctionDef' && stmt.type !== 'ClassDef') for (const block of childBlocks(stmt)) visit(block);
      }
    };
    visit(fn.def.body);
    return values.length ? { values, scope: fn.scope } : undefined;
  }

  /** A class of this file, or of another module of the project, that an expression constructs or names. */
  localClass(expr: Expr, scope: Scope): ClassInfo | undefined {
    let cls: ClassInfo | undefined;
    if (expr.type === 'Name') {
      const owner = scope.lookup(expr.id);
      cls = owner?.classes.get(expr.id);
      if (!cls && owner?.imports.has(expr.id)) cls = this.importedClass(owner.imports.get(expr.id)!, scope);
    } else if (expr.type === 'Attribute' && this.isImportedName(expr, scope)) {
      const qualified = this.qualify(expr, scope);
      if (qualified) cls = this.importedClass(qualified, scope);
    }
    cls?.chunk.touch();
    return cls;
  }

  /** `a.b.c` whose first name is an import (a module of the project, maybe). */
  private isImportedName(expr: Expr, scope: Scope): boolean {
    let base = expr;
    while (base.type === 'Attribute') base = base.value;
    return base.type === 'Name' && !!scope.module.linker && !!scope.lookup(base.id)?.imports.has(base.id);
  }

  private importedFunction(qualified: string, scope: Scope): FunctionInfo | undefined {
    const found = importedSymbol(qualified, scope);
    return found?.kind === 'function' ? found.fn : undefined;
  }

  private importedClass(qualified: string, scope: Scope): ClassInfo | undefined {
    const found = importedSymbol(qualified, scope);
    return found?.kind === 'class' ? found.cls : undefined;
  }
}

/**
 * Definitions of a name that reach this use of it, when the walk of its scope knows: uses in the
 * scope itself, and uses in functions of module-level names (functions run after the module's
 * code, so they see what it left). Undefined where every binding counts.
 */
function definitionsAt(name: NameExpr, owner: Scope, useScope: Scope): readonly Definition[] | undefined {
  const reaching = reachingDefinitions(owner);
  if (!reaching) return undefined;
  const found = owner === useScope ? reaching.at.get(name) : owner.kind === 'module' ? reaching.end.get(name.id) : undefined;
  return found?.length ? found : undefined;
}

function syntheticBinding(expr: Expr, chunk: import('./module').Chunk): Binding {
  return { value: expr, target: expr, chunk, stmt: { type: 'Expr', value: expr, start: expr.start, end: expr.end }, how: 'assign' };
}

const BUILTINS = new Set(['filter', 'map', 'iter', 'zip', 'list', 'tuple', 'sum', 'len', 'print', 'float', 'int', 'enumerate', 'range', 'sorted', 'reversed']);

const CLIP_EXPORTS = new Set(['clip_grad_norm_', 'clip_grad_norm', 'clip_grad_value_', 'clip_grads_with_norm_', 'get_total_norm']);
const STAR_EXPORTS: Record<string, Set<string>> = {
  'torch.nn.utils': CLIP_EXPORTS,
  'torch.nn.utils.clip_grad': CLIP_EXPORTS,
};

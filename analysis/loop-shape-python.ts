// The training settings a Python unit states, read while the unit is built: the optimizer's
// constructor (`torch.optim.SGD(…, lr=0.1, momentum=0.9)`), the GradScaler's `init_scale`, the
// `k` of `(i + 1) % k == 0` or Accelerate's `gradient_accumulation_steps`, `range(k)` of an inner
// loop, and clip thresholds written as names. Values count only where the code states them: a
// literal, a name assigned once (module constant, local), a keyword default, an argparse
// `default=`. Anything computed at run time is left out rather than guessed.
import type { Expr, FunctionDefStmt, Span, Stmt } from './python/ast';
import { childBlocks, dottedName, walkExpr } from './python/ast';
import type { FlowGraph } from './model/graph';
import { literalNumber } from './python/literals';
import { parseChunk, type Chunk } from './python/module';
import type { Environment, Resolver } from './python/resolve';
import type { Scope } from './python/scopes';
import { parseStatements } from './python/statements';
import { tokenize } from './python/tokenizer';
import { positionKey, readTrainingSettings, type OptimizerKind, type OptimizerSettings, type ScalerSettings, type StatedNumber, type TrainingSettings } from './loop-shape-settings';

/** Where an expression was written: its scope (and inlining environment) and how to read its text. */
interface Place {
  scope: Scope;
  env?: Environment;
  slice(span: Span): string;
}

const MAX_DEPTH = 8;

const OPTIMIZER_KINDS: Record<string, OptimizerKind> = { SGD: 'sgd', Adam: 'adam', AdamW: 'adamw', RMSprop: 'rmsprop' };

export function pythonTrainingSettings(graph: FlowGraph, scope: Scope, resolver: Resolver): TrainingSettings | undefined {
  const reader = new SettingsReader(scope, resolver);
  const settings = readTrainingSettings(graph, reader);
  if (settings) reader.rangeLoops(settings.iterations);
  return settings;
}

class SettingsReader {
  constructor(private readonly scope: Scope, private readonly resolver: Resolver) {}

  /** The unit's own place (events' texts are read as if written in it). */
  private place(text: string): Place {
    return { scope: this.scope, slice: (span) => text.slice(span.start, span.end) };
  }

  /** An expression written as text in this unit (a receiver, a condition, a threshold). */
  private parse(text: string): Expr | undefined {
    if (text.length > 500) return undefined;
    const [stmt] = parseStatements(tokenize(text).tokens);
    return stmt?.type === 'Expr' ? stmt.value : undefined;
  }

  numberText(text: string): StatedNumber | undefined {
    const expr = this.parse(text);
    return expr && this.number(expr, this.place(text));
  }

  optimizer(text: string): OptimizerSettings | undefined {
    const expr = this.parse(text);
    if (!expr) return undefined;
    const constructors = this.constructors(expr, this.place(text), 0);
    if (!constructors?.length) return undefined;
    const read = constructors.map(({ call, place }) => this.optimizerCall(call, place));
    // Two constructors (`if args.opt == 'sgd': … else: …`): only what they agree on is stated.
    const [first, ...rest] = read;
    if (!first) return undefined;
    const same = (a?: StatedNumber, b?: StatedNumber) => a?.value === b?.value && a?.text === b?.text;
    if (rest.some((r) => !r || r.kind !== first.kind)) return undefined;
    return {
      kind: first.kind,
      learningRate: rest.every((r) => same(r!.learningRate, first.learningRate)) ? first.learningRate : undefined,
      momentum: rest.every((r) => same(r!.momentum, first.momentum)) ? first.momentum : undefined,
    };
  }

  private optimizerCall(call: Extract<Expr, { type: 'Call' }>, place: Place): OptimizerSettings | undefined {
    // Names mean what their binding says: a class of this file called `SGD` is not torch's.
    const resolved = this.resolver.qualify(call.func, place.scope, place.env);
    const qualified = resolved ?? dottedName(call.func) ?? '';
    const name = qualified.split('.').pop() ?? '';
    const known = resolved === undefined ? name in OPTIMIZER_KINDS : /^torch\.optim\.|^transformers\.(optimization\.)?AdamW$/.test(resolved);
    if (!known) return undefined;
    const kind = OPTIMIZER_KINDS[name];
    const lr = argument(call, 1, 'lr');
    const momentum = kind === 'sgd' ? argument(call, 2, 'momentum') : argument(call, undefined, 'momentum');
    return {
      kind,
      learningRate: lr && this.number(lr, place),
      momentum: momentum && this.number(momentum, place),
    };
  }

  /** The constructor calls an optimizer (or scaler, accelerator) name is bound to, through `prepare(…)`. */
  private constructors(expr: Expr, place: Place, depth: number): Array<{ call: Extract<Expr, { type: 'Call' }>; place: Place }> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (expr.type === 'Call') {
      const callee = expr.func.type === 'Attribute' ? expr.func.attr : '';
      if (callee === 'prepare' && expr.args.length === 1) return this.constructors(expr.args[0].value, place, depth + 1);
      return [{ call: expr, place }];
    }
    const values = this.bindings(expr, place);
    if (!values) return undefined;
    const out: Array<{ call: Extract<Expr, { type: 'Call' }>; place: Place }> = [];
    for (const { value, index, place: at } of values) {
      if (index !== undefined) {
        // `model, optimizer = accelerator.prepare(model, optimizer)`: the matching argument.
        if (value.type === 'Call' && value.func.type === 'Attribute' && /^(prepare|setup)$/.test(value.func.attr)) {
          const arg = value.args.filter((a) => !a.name && !a.star)[index];
          const inner = arg && this.constructors(arg.value, at, depth + 1);
          if (!inner) return undefined;
          out.push(...inner);
          continue;
        }
        if (value.type === 'Tuple' || value.type === 'List') {
          const elt = value.elts[index];
          const inner = elt && this.constructors(elt, at, depth + 1);
          if (!inner) return undefined;
          out.push(...inner);
          continue;
        }
        return undefined;
      }
      const inner = this.constructors(value, at, depth + 1);
      if (!inner) return undefined;
      out.push(...inner);
    }
    return out;
  }

  scaler(text: string): ScalerSettings {
    const expr = this.parse(text);
    const calls = expr && this.constructors(expr, this.place(text), 0);
    if (!calls || calls.length !== 1) return {};
    const { call, place } = calls[0];
    const qualified = this.resolver.qualify(call.func, place.scope, place.env) ?? dottedName(call.func) ?? '';
    if (!/GradScaler$/.test(qualified)) return {};
    // `torch.cuda.amp.GradScaler(init_scale, …)`; `torch.amp.GradScaler(device, init_scale, …)`.
    const init = argument(call, /(^|\.)(cuda|cpu)\.amp\.GradScaler$/.test(qualified) ? 0 : 1, 'init_scale');
    return { initScale: init && this.number(init, place) };
  }

  acceleratorAccumulation(text: string): StatedNumber | undefined {
    const expr = this.parse(text);
    const calls = expr && this.constructors(expr, this.place(text), 0);
    if (!calls || calls.length !== 1) return undefined;
    const steps = argument(calls[0].call, undefined, 'gradient_accumulation_steps');
    return steps && this.number(steps, calls[0].place);
  }

  /** The `k` of an accumulation condition's `… % k`: undefined without a `%`, null when k is not stated. */
  moduloCount(key: string): StatedNumber | null | undefined {
    // A key is condition text, or text in parts (an equality's operand and literal, split by U+0001).
    let modulo = false;
    for (const part of key.split('\u0001')) {
      const expr = this.parse(part);
      let divisor: Expr | undefined;
      walkExpr(expr, (e) => {
        if (!divisor && e.type === 'BinOp' && e.op === '%') divisor = e.right;
      });
      if (!divisor) continue;
      modulo = true;
      const k = this.number(divisor, this.place(part));
      if (k && Number.isInteger(k.value) && k.value > 0) return k;
    }
    return modulo ? null : undefined;
  }

  /** `for … in range(n)` loops of the unit's own body, with n where it is stated. */
  rangeLoops(into: Map<string, StatedNumber>): void {
    const visit = (stmts: Stmt[], chunk: Chunk, place: Place) => {
      for (const stmt of stmts) {
        if (stmt.type === 'FunctionDef' || stmt.type === 'ClassDef') continue;
        if (stmt.type === 'For' && stmt.iter.type === 'Call' && stmt.iter.func.type === 'Name' && stmt.iter.func.id === 'range') {
          const args = stmt.iter.args.filter((a) => !a.name && !a.star).map((a) => a.value);
          const stop = args.length === 1 ? this.number(args[0], place) : undefined;
          if (stop && Number.isInteger(stop.value) && stop.value > 0) into.set(positionKey(chunk.range(stmt.start, stmt.end).start), stop);
        }
        for (const block of childBlocks(stmt)) visit(block, chunk, place);
      }
    };
    const fn = this.scope.fn;
    if (fn) visit(fn.def.body, fn.chunk, { scope: this.scope, slice: (span) => fn.chunk.slice(span.start, span.end) });
    else for (const chunk of this.scope.chunks) if (!chunk.parsed.partial) visit(chunk.body, chunk, { scope: this.scope, slice: (span) => chunk.slice(span.start, span.end) });
  }

  /** A number as the code states it: a literal, arithmetic on literals, or a name bound to one. */
  number(expr: Expr, place: Place, depth = 0): StatedNumber | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const literal = literalNumber(expr);
    if (literal !== undefined) return { value: literal, text: place.slice(expr) };
    if (expr.type === 'BinOp') {
      const left = this.number(expr.left, place, depth + 1);
      const right = left && this.number(expr.right, place, depth + 1);
      const value = right && arithmetic(expr.op, left.value, right.value);
      return value === undefined ? undefined : { value, text: place.slice(expr) };
    }
    const values = this.bindings(expr, place);
    if (values?.length !== 1) return undefined;
    const [{ value, index, place: at }] = values;
    if (index === undefined) return this.number(value, at, depth + 1);
    if (value.type === 'Tuple' || value.type === 'List') {
      const elt = value.elts[index];
      return elt && this.number(elt, at, depth + 1);
    }
    return undefined;
  }

  /**
   * What gives an expression its value: each plain assignment of a name or `self.x`, a keyword
   * default, the caller's argument, an argparse `default=`, a dict literal's entry. Undefined
   * where anything else may assign it (`+=`, a loop target, a `with` target).
   */
  private bindings(expr: Expr, place: Place): Array<{ value: Expr; index?: number; place: Place }> | undefined {
    if (expr.type === 'Name') {
      const owner = place.scope.lookup(expr.id);
      if (!owner) return undefined;
      if (owner.params.has(expr.id) && !owner.bindings.has(expr.id)) {
        const argument = owner === place.scope ? place.env?.params.get(expr.id) : undefined;
        if (argument) return [{ value: argument.expr, place: { scope: argument.scope, env: argument.env, slice: (s) => argument.chunk.slice(s.start, s.end) } }];
        const fn = owner.fn;
        const param = fn?.def.params.find((p) => p.name === expr.id);
        if (!fn || !param?.default) return undefined;
        return [{ value: param.default, place: { scope: fn.parent, slice: (s) => fn.chunk.slice(s.start, s.end) } }];
      }
      const bindings = owner.bindings.get(expr.id);
      if (!bindings?.length || bindings.some((b) => b.how !== 'assign')) return undefined;
      return bindings.map((b) => ({ value: b.value, index: b.index, place: { scope: owner, env: owner === place.scope ? place.env : undefined, slice: (s: Span) => b.chunk.slice(s.start, s.end) } }));
    }
    if (expr.type === 'Attribute' && expr.value.type === 'Name' && expr.value.id === 'self' && place.scope.cls) {
      const cls = place.scope.cls;
      const bindings = cls.selfAttributes.get(expr.attr);
      if (!bindings?.length) return undefined;
      const out: Array<{ value: Expr; index?: number; place: Place }> = [];
      for (const b of bindings) {
        // The value is read in the method that assigns it (`self.lr = lr`: `__init__`'s parameter).
        const method = [...cls.methods.values()].find((m) => m.chunk === b.chunk && m.def.start <= b.stmt.start && b.stmt.end <= m.def.end);
        if (!method) return undefined;
        out.push({ value: b.value, index: b.index, place: { scope: method.scope, slice: (s) => b.chunk.slice(s.start, s.end) } });
      }
      return out;
    }
    if (expr.type === 'Attribute') {
      const found = this.argparseDefault(expr.value, expr.attr, place);
      return found && [found];
    }
    if (expr.type === 'Subscript' && expr.index.type === 'Constant' && expr.index.kind === 'string') {
      const key = expr.index.raw.slice(1, -1);
      const dicts = this.bindings(expr.value, place);
      if (dicts?.length !== 1 || dicts[0].value.type !== 'Dict' || dicts[0].index !== undefined) return undefined;
      const dict = dicts[0].value;
      const at = dict.keys.findIndex((k) => k?.type === 'Constant' && k.kind === 'string' && k.raw.slice(1, -1) === key);
      return at < 0 ? undefined : [{ value: dict.values[at], place: dicts[0].place }];
    }
    return undefined;
  }

  /** `args.lr` where `args = parser.parse_args()` (or a local `parse_args()`): the option's `default=`. */
  private argparseDefault(base: Expr, attr: string, place: Place): { value: Expr; place: Place } | undefined {
    let values = this.bindings(base, place);
    // `def main(args):` called with the module's parsed arguments: the module's `args` binding.
    if (!values && base.type === 'Name') {
      const owner = place.scope.lookup(base.id);
      const module = place.scope.module;
      if (owner && owner !== module && owner.params.has(base.id) && module.bindings.get(base.id)?.length === 1) {
        values = this.bindings(base, { ...place, scope: module, env: undefined });
      }
    }
    if (values?.length !== 1 || values[0].index !== undefined) return undefined;
    const { value, place: at } = values[0];
    if (value.type !== 'Call') return undefined;
    if (value.func.type === 'Attribute' && value.func.attr === 'parse_args') {
      const parsers = this.bindings(value.func.value, at);
      if (parsers?.length !== 1) return undefined;
      const parser = parsers[0];
      const qualified = parser.value.type === 'Call' ? this.resolver.qualify(parser.value.func, parser.place.scope) ?? dottedName(parser.value.func) ?? '' : '';
      if (!/ArgumentParser$/.test(qualified)) return undefined;
      const scope = parser.place.scope;
      if (scope.fn) return findDefault(scope.fn.def.body, attr, { scope, slice: (s) => scope.fn!.chunk.slice(s.start, s.end) });
      for (const chunk of scope.chunks) {
        if (chunk.parsed.partial) continue;
        const found = findDefault(chunk.body, attr, { scope, slice: (s) => chunk.slice(s.start, s.end) });
        if (found) return found;
      }
      return undefined;
    }
    // `args = parse_args()`: a function of this file that builds the parser.
    const fn = this.resolver.calledFunction(value.func, at.scope);
    if (!fn) return undefined;
    fn.chunk.touch();
    const def = fn.chunk.parsed.partial ? definitionIn(fn.chunk, fn.def.start) : fn.def;
    return def && findDefault(def.body, attr, { scope: fn.scope, slice: (s) => fn.chunk.slice(s.start, s.end) });
  }
}

/** A definition whose body was not parsed (it cannot touch gradients): parsed now, once asked. */
function definitionIn(chunk: Chunk, start: number): FunctionDefStmt | undefined {
  const parsed = parseChunk(chunk.parsed.text);
  const def = parsed.body.find((s) => s.start === start);
  return def?.type === 'FunctionDef' ? def : undefined;
}

/** The `default=` of the `add_argument` call whose destination is `dest`, in a body. */
function findDefault(stmts: Stmt[], dest: string, place: Place): { value: Expr; place: Place } | undefined {
  let found: Expr | undefined;
  let conflicting = false;
  const visit = (body: Stmt[]) => {
    for (const stmt of body) {
      if (stmt.type === 'Expr' && stmt.value.type === 'Call') {
        const call = stmt.value;
        if (call.func.type === 'Attribute' && call.func.attr === 'add_argument' && destination(call) === dest) {
          const value = call.args.find((a) => a.name === 'default')?.value;
          if (found || !value) conflicting = true;
          found = value;
        }
      }
      if (stmt.type !== 'ClassDef') for (const block of childBlocks(stmt)) visit(block);
    }
  };
  visit(stmts);
  return found && !conflicting ? { value: found, place } : undefined;
}

/** argparse's destination: `dest=`, else the first long option (`--learning-rate` → `learning_rate`). */
function destination(call: Extract<Expr, { type: 'Call' }>): string | undefined {
  const dest = call.args.find((a) => a.name === 'dest')?.value;
  if (dest?.type === 'Constant' && dest.kind === 'string') return dest.raw.slice(1, -1);
  const options = call.args.filter((a) => !a.name && a.value.type === 'Constant' && a.value.kind === 'string').map((a) => (a.value as { raw: string }).raw.slice(1, -1));
  const long = options.find((o) => o.startsWith('--')) ?? options.find((o) => !o.startsWith('-'));
  return long?.replace(/^-+/, '').replace(/-/g, '_');
}

/** The argument at a position or by keyword (position undefined: keyword only). */
function argument(call: Extract<Expr, { type: 'Call' }>, position: number | undefined, keyword: string): Expr | undefined {
  const named = call.args.find((a) => a.name === keyword);
  if (named) return named.value;
  if (position === undefined) return undefined;
  const positional = call.args.filter((a) => !a.name && !a.star);
  // After a `*args`, positions are unknown.
  if (call.args.some((a) => a.star)) return undefined;
  return positional[position]?.value;
}

function arithmetic(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? undefined : a / b;
    case '**': return a ** b;
    default: return undefined;
  }
}

// What the parameters argument of a clip call is: a module (clip needs `.parameters()`), a
// one-shot iterable that something used up before the clip (the clip then sees nothing), or fine.
import type { TextEdit } from '../api';
import type { ParametersArgument } from '../model/events';
import type { Range } from '../api';
import type { CallExpr, Expr, Span, Stmt } from './ast';
import type { Chunk } from './module';
import { childBlocks, dottedName } from './ast';
import type { Binding, Scope } from './scopes';
import type { CallSite } from './calls';

const MODULE_NAMES = /^(model|net|network|module|encoder|decoder|generator|discriminator|policy|critic|actor|backbone|unet|transformer|classifier|head|wrapped_model|ddp_model|raw_model)$|_(model|net)$/;
const MODULE_WRAPPERS = /(^|\.)(DistributedDataParallel|DataParallel|DDP|FullyShardedDataParallel|FSDP|compile)$/;
const FSDP1 = /(^|\.)(FullyShardedDataParallel|FSDP)$/;

export function describeParameters(expr: Expr, site: CallSite): ParametersArgument {
  const fact: ParametersArgument = { range: site.chunk.range(expr.start, expr.end), text: site.chunk.slice(expr.start, expr.end), kind: 'other' };
  if (expr.type === 'Call' && expr.func.type === 'Attribute' && expr.func.attr === 'parameters') {
    const owner = expr.func.value;
    if (isFsdp1(owner, site)) fact.fsdpModel = site.chunk.slice(owner.start, owner.end);
    return fact;
  }
  if (expr.type !== 'Name' && expr.type !== 'Attribute') return fact;
  if (isModule(expr, site, 0)) {
    fact.kind = 'module';
    return fact;
  }
  const oneShot = findOneShot(expr, site);
  if (oneShot) {
    fact.kind = 'one-shot';
    fact.oneShot = oneShot;
  }
  return fact;
}

/** Wrapped in FSDP1 by every binding that reaches it (`if fsdp: model = FSDP(model)` is not enough). */
function isFsdp1(expr: Expr, site: CallSite): boolean {
  return site.resolver.everyBinding(expr, site.scope, site.env, (b, found) => b.value.type === 'Call' && FSDP1.test(site.resolver.qualify(b.value.func, found.scope, found.env) ?? dottedName(b.value.func) ?? ''));
}

/** A module by every binding that reaches it, or (with no binding in sight) by its name. */
function isModule(expr: Expr, site: CallSite, depth: number): boolean {
  if (depth > 4) return false;
  const found = site.resolver.bindingsOf(expr, site.scope, site.env);
  if (found) {
    if (found.incomplete) return false;
    return found.bindings.every((binding) => binding.index === undefined && binding.how === 'assign' && constructsModule(binding.value, found.scope, site, depth));
  }
  const name = expr.type === 'Name' ? expr.id : expr.type === 'Attribute' ? expr.attr : '';
  return MODULE_NAMES.test(name);
}

function constructsModule(value: Expr, scope: Scope, site: CallSite, depth: number): boolean {
  if (value.type !== 'Call') return value.type === 'Name' || value.type === 'Attribute' ? isModule(value, { ...site, scope }, depth + 1) : false;
  const func = value.func;
  // `.to(device)`, `.cuda()`: the same module.
  if (func.type === 'Attribute' && /^(to|cuda|cpu|half|float|bfloat16|double|train|eval|requires_grad_)$/.test(func.attr)) {
    return depth < 4 && constructsModule(func.value, scope, site, depth + 1);
  }
  const qualified = site.resolver.qualify(func, scope) ?? dottedName(func) ?? '';
  if (MODULE_WRAPPERS.test(qualified)) return true;
  if (/^torch\.nn\.[A-Z]/.test(qualified) && !/^torch\.nn\.(Parameter|ParameterList|ParameterDict)$/.test(qualified)) return true;
  if (/(^|\.)(from_pretrained|create_model)$/.test(qualified) && !/Tokenizer|Processor|Config|Scheduler/.test(qualified)) return true;
  if (/^torchvision\.models\.(\w+\.)?[a-z]\w*$/.test(qualified) && !/\.(get_weight|get_model_weights|list_models)$/.test(qualified)) return true;
  const cls = site.resolver.localClass(func, scope);
  if (cls) return cls.def.bases.some((b) => /(^|\.)(Module|LightningModule|PreTrainedModel)$/.test(site.resolver.qualify(b.value, scope) ?? dottedName(b.value) ?? ''));
  return false;
}

/** Follows plain aliases (`params_to_clip = lora_layers`) to an assignment of a one-shot iterable. */
function findOneShot(expr: Expr, site: CallSite): ParametersArgument['oneShot'] {
  const names: string[] = [];
  let current: Expr = expr;
  let binding: Binding | undefined;
  let bindingScope: Scope = site.scope;
  for (let depth = 0; depth < 6; depth++) {
    if (current.type !== 'Name') return undefined;
    names.push(current.id);
    const found = site.resolver.bindingsOf(current, bindingScope, site.env);
    if (!found || found.bindings.length !== 1 || found.incomplete) return undefined;
    binding = found.bindings[0];
    bindingScope = found.scope;
    if (binding.how !== 'assign' || binding.index !== undefined) return undefined;
    if (binding.value.type === 'Name') {
      current = binding.value;
      continue;
    }
    break;
  }
  if (!binding || !isOneShot(binding.value, bindingScope, site)) return undefined;
  const value = binding.value;
  const makeList: TextEdit[] =
    value.type === 'Comprehension' && binding.chunk.slice(value.start, value.start + 1) === '('
      ? [{ range: binding.chunk.range(value.start, value.start), newText: 'list' }]
      : [
          { range: binding.chunk.range(value.start, value.start), newText: 'list(' },
          { range: binding.chunk.range(value.end, value.end), newText: ')' },
        ];
  const base = { bindingRange: binding.chunk.range(value.start, value.end), bindingText: binding.chunk.slice(value.start, value.end), makeList };

  // What uses the iterable up before the clip: an optimizer built from it, or a loop pass.
  const consumer = findConsumer(bindingScope, names, site, expr);
  if (consumer) return { ...base, consumer: consumer.kind, consumerRange: consumer.range };
  const bindingInLoop = site.loops.some((loop) => binding!.chunk === site.chunk && contains(loop.span, binding!.stmt));
  if (site.loops.length > 0 && !bindingInLoop && (bindingScope === site.scope || bindingScope.kind === 'module')) {
    return { ...base, consumer: 'loop' };
  }
  return undefined;
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

function isOneShot(value: Expr, scope: Scope, site: CallSite): boolean {
  if (value.type === 'Comprehension') return value.kind === 'generator';
  if (value.type !== 'Call') return false;
  const func = value.func;
  if (func.type === 'Attribute' && (func.attr === 'parameters' || func.attr === 'named_parameters')) return true;
  const qualified = site.resolver.qualify(func, scope) ?? '';
  return /^(builtins\.(filter|map|iter|zip|reversed)|itertools\.(chain|islice))$/.test(qualified) || qualified === 'itertools.chain.from_iterable';
}

/**
 * What iterates the iterable before this clip: an optimizer built from it (anywhere: it is built
 * before training), or an earlier `list(…)`, `sum(…)`, clip, `for` loop or comprehension over it.
 */
function findConsumer(scope: Scope, names: string[], site: CallSite, clipArgument: Expr): { kind: 'optimizer' | 'earlier-use'; range: Range } | undefined {
  const bodies: Array<{ body: Stmt[]; chunk: Chunk }> = [];
  if (scope.fn) bodies.push({ body: scope.fn.def.body, chunk: scope.fn.chunk });
  else if (scope.kind === 'module') for (const chunk of scope.chunks) bodies.push({ body: chunk.body, chunk });
  const isName = (e: Expr) => e.type === 'Name' && names.includes(e.id);
  const before = (chunk: Chunk, start: number) =>
    chunk === site.chunk ? start < clipArgument.start : chunk.startLine < site.chunk.startLine;
  let earlier: { kind: 'earlier-use'; range: Range } | undefined;
  for (const { body, chunk } of bodies) {
    let optimizer: Range | undefined;
    walkCalls(body, (call) => {
      if (optimizer || !call.args.some((a) => !a.name && isName(a.value))) return;
      if (call.args.some((a) => a.value === clipArgument)) return;
      if (site.resolver.receiverKind(call, scope) === 'optimizer') {
        optimizer = chunk.range(call.start, call.end);
        return;
      }
      const callee = site.resolver.qualify(call.func, scope) ?? '';
      if (!earlier && before(chunk, call.start) && /^(builtins\.(list|tuple|sum|sorted|set|max|min|any|all|next|enumerate)|torch\.nn\.utils\.)/.test(callee)) {
        earlier = { kind: 'earlier-use', range: chunk.range(call.start, call.end) };
      }
    }, (iterated, span) => {
      if (!earlier && isName(iterated) && before(chunk, span.start)) earlier = { kind: 'earlier-use', range: chunk.range(span.start, span.end) };
    });
    if (optimizer) return { kind: 'optimizer', range: optimizer };
  }
  return earlier;
}

/** Calls in a body, and what `for` loops and comprehensions iterate (with where they are). */
function walkCalls(body: Stmt[], visit: (call: CallExpr) => void, iterates: (iterated: Expr, at: Span) => void): void {
  const visitExpr = (expr: Expr | undefined): void => {
    if (!expr) return;
    if (expr.type === 'Call') {
      visit(expr);
      visitExpr(expr.func);
      for (const arg of expr.args) visitExpr(arg.value);
    } else if (expr.type === 'Attribute') visitExpr(expr.value);
    else if (expr.type === 'Tuple' || expr.type === 'List') expr.elts.forEach(visitExpr);
    else if (expr.type === 'Comprehension') {
      for (const generator of expr.generators) {
        iterates(generator.iter, expr);
        visitExpr(generator.iter);
      }
    }
  };
  for (const stmt of body) {
    if (stmt.type === 'Assign') visitExpr(stmt.value);
    else if (stmt.type === 'Expr') visitExpr(stmt.value);
    else if (stmt.type === 'For') {
      iterates(stmt.iter, stmt);
      visitExpr(stmt.iter);
    }
    if (stmt.type !== 'FunctionDef' && stmt.type !== 'ClassDef') for (const block of childBlocks(stmt)) walkCalls(block, visit, iterates);
  }
}

// What a call means for gradients: backward, optimizer step, zero_grad, unscale_, a clip (with
// its argument facts), or a call to a helper in this file whose events are inlined.
import type { TextEdit } from '../api';
import type { ClipDetails, EventKind, ThresholdArgument } from '../model/events';
import type { Argument, AttributeExpr, CallExpr, Expr, Span } from './ast';
import { dottedName } from './ast';
import type { Chunk } from './module';
import type { FunctionInfo, Scope } from './scopes';
import type { BoundArgument, Environment, Resolver } from './resolve';
import { literalNumber, pythonFloat, stringContent } from './literals';
import { describeParameters } from './parameters';
import { gradAttribute } from './clears';
import { importAlongside, renameImported } from './rename';
import { clipApi, deprecatedTorchClip, torchUtilityApi, missingOptimizerMethod, missingTorchFunction, TORCH_CLIP_NORM, TORCH_CLIPS } from './clip-apis';

export interface CallSite {
  scope: Scope;
  env?: Environment;
  chunk: Chunk;
  resolver: Resolver;
  /** Enclosing loops of the current function body, outermost first. */
  loops: ReadonlyArray<{ span: Span }>;
  /** Scopes whose code this unit's graph holds (the unit's own and the helpers inlined into it). */
  graphScopes: readonly Scope[];
}

export interface EventDraft {
  kind: EventKind;
  scaled?: boolean;
  scaler?: string;
  optimizer?: string;
  accelerator?: string;
  clip?: ClipDetails;
  /** A closure passed to `optimizer.step(closure)`: its events run before the step. */
  closure?: Expr;
  /** A hand-written clear of one parameter's gradient (`p.grad.zero_()`): a zero event only if it clears them all. */
  clears?: Expr;
}

export type CallMeaning =
  | { kind: 'event'; draft: EventDraft }
  /** `stands`: the event the call would be if the method's body showed none of that kind (a custom optimizer's own `step`). */
  | { kind: 'helper'; fn: FunctionInfo; env: Environment; stands?: EventDraft };

const TORCH_CLIP_MODULES = new Set(['torch.nn.utils', 'torch.nn.utils.clip_grad']);
const REAL_TORCH_GRAD_UTILS = new Set(['get_total_norm', 'clip_grad_norm_', 'clip_grad_norm', 'clip_grad_value_', 'clip_grads_with_norm_']);
const NONE = new Set<string>();
/** torch namespaces whose gradient-clipping functions are known in full (none but torch.nn.utils has any). */
const KNOWN_TORCH_NAMESPACES: Record<string, ReadonlySet<string>> = {
  torch: NONE,
  'torch.nn': NONE,
  'torch.nn.functional': NONE,
  'torch.nn.utils': REAL_TORCH_GRAD_UTILS,
  'torch.nn.utils.clip_grad': REAL_TORCH_GRAD_UTILS,
  'torch.optim': NONE,
  'torch.autograd': NONE,
  'torch.utils': NONE,
  'torch.cuda': NONE,
  'torch.cuda.amp': NONE,
  'torch.amp': NONE,
};
const CLIP_LIKE = /clip_?grad|clip_gradient|grad_clip|clip_norm/;

/** Callee names that can mean a gradient event (anything else can only be a helper call). */
const EVENT_NAMES = /backward|step|zero|unscale|clip|grad|replay/;

export function classifyCall(call: CallExpr, site: CallSite): CallMeaning | undefined {
  const { func } = call;
  const name = func.type === 'Attribute' ? func.attr : func.type === 'Name' ? func.id : '';
  if (!EVENT_NAMES.test(name) && !importedUnderAnotherName(func, site)) {
    // Most calls (model(x), F.cross_entropy, logger.info) are none of ours: only a local helper matters.
    const fn = func.type === 'Name' || func.type === 'Attribute' ? site.resolver.calledFunction(func, site.scope, site.env) : undefined;
    return fn ? { kind: 'helper', fn, env: bindArguments(fn, call, site) } : undefined;
  }
  // A method the class defines itself (`self.backward(loss)` wrapping a scaler), or that the class
  // of a local instance defines (`w = Weighting(…); w.backward(loss)`), is a helper whose body says
  // what happens, whatever its name.
  if (func.type === 'Attribute') {
    const method = site.resolver.calledFunction(func, site.scope, site.env);
    if (method) {
      const plain = eventMeaning(call, site);
      return { kind: 'helper', fn: method, env: bindArguments(method, call, site), stands: plain?.kind === 'event' ? plain.draft : undefined };
    }
  }
  return eventMeaning(call, site);
}

/** What a call means by its name and receiver alone (no method of this file in the way). */
function eventMeaning(call: CallExpr, site: CallSite): CallMeaning | undefined {
  const { func } = call;
  const text = (e: Expr) => site.chunk.slice(e.start, e.end);
  const { resolver, scope, env } = site;

  if (func.type === 'Attribute') {
    const receiver = func.value;
    switch (func.attr) {
      case 'backward':
      case 'manual_backward': {
        if (receiver.type === 'Name' && receiver.id === 'super') return undefined;
        const draft: EventDraft = { kind: 'backward' };
        const scaledBy = scaleCall(receiver, site);
        if (scaledBy) {
          const scaler = scaledBy.scaler;
          if (resolver.scalerState(scaler, scaledBy.scope, scaledBy.env) === 'enabled') {
            draft.scaled = true;
            draft.scaler = scaledBy.chunk.slice(scaler.start, scaler.end);
          }
        } else if (call.args.length > 0 && resolver.isAccelerator(receiver, scope, env)) {
          draft.accelerator = text(receiver);
        }
        return { kind: 'event', draft };
      }
      case 'step': {
        const positional = call.args.filter((a) => !a.name && !a.star);
        if (positional.length >= 1 && resolver.scalerState(receiver, scope, env) !== 'not-scaler') {
          return { kind: 'event', draft: { kind: 'step', scaler: text(receiver), optimizer: text(positional[0].value) } };
        }
        if (resolver.receiverKind(receiver, scope, env) !== 'optimizer') return undefined;
        const closure = call.args.find((a) => a.name === 'closure')?.value ?? positional[0]?.value;
        return { kind: 'event', draft: { kind: 'step', optimizer: text(receiver), closure } };
      }
      case 'optimizer_step': {
        const target = call.args[0]?.value;
        if (!target) return undefined;
        return { kind: 'event', draft: { kind: 'step', optimizer: text(target) } };
      }
      case 'zero_grad': {
        const optimizer = resolver.receiverKind(receiver, scope, env) === 'optimizer' ? text(receiver) : undefined;
        return { kind: 'event', draft: { kind: 'zero', optimizer } };
      }
      case 'zero_': {
        const grad = gradAttribute(receiver);
        if (grad) return { kind: 'event', draft: { kind: 'zero', clears: grad } };
        return undefined;
      }
      case 'replay':
        // A captured CUDA graph (`with torch.cuda.graph(g): loss.backward()`) runs its backward again.
        if (receiver.type === 'Name' && resolver.everyBinding(receiver, scope, env, (b, found) => b.value.type === 'Call' && /(^|\.)CUDAGraph$/.test(resolver.qualify(b.value.func, found.scope, found.env) ?? dottedName(b.value.func) ?? ''))) {
          return { kind: 'event', draft: { kind: 'backward' } };
        }
        return undefined;
      case 'unscale_':
        if (resolver.scalerState(receiver, scope, env) === 'not-scaler') return undefined;
        return { kind: 'event', draft: { kind: 'unscale', scaler: text(receiver), optimizer: call.args[0] ? text(call.args[0].value) : undefined } };
    }
  }

  const clip = classifyClip(call, site);
  if (clip) return { kind: 'event', draft: { kind: 'clip', clip } };

  const fn = resolver.calledFunction(func, scope, env);
  if (fn) return { kind: 'helper', fn, env: bindArguments(fn, call, site) };
  return undefined;
}

/**
 * The scaler of `scaler.scale(loss).backward()`, or of `scaled = scaler.scale(loss)` …
 * `scaled.backward()` (a name with that one binding).
 */
function scaleCall(receiver: Expr, site: CallSite): { scaler: Expr; scope: Scope; env?: Environment; chunk: Chunk } | undefined {
  const isScale = (e: Expr): e is CallExpr & { func: AttributeExpr } => e.type === 'Call' && e.func.type === 'Attribute' && e.func.attr === 'scale';
  if (isScale(receiver)) return { scaler: receiver.func.value, scope: site.scope, env: site.env, chunk: site.chunk };
  if (receiver.type !== 'Name') return undefined;
  const sole = site.resolver.soleAssignment(receiver, site.scope, site.env);
  if (!sole || !isScale(sole.binding.value)) return undefined;
  return { scaler: sole.binding.value.func.value, scope: sole.scope, env: sole.env, chunk: sole.binding.chunk };
}

/** `from torch.nn.utils import clip_grad_norm_ as cgn`: a name imported as an alias of an event's name. */
function importedUnderAnotherName(func: Expr, site: CallSite): boolean {
  if (func.type !== 'Name' || !site.scope.lookup(func.id)?.imports.has(func.id)) return false;
  const qualified = site.resolver.qualify(func, site.scope, site.env);
  return qualified !== undefined && EVENT_NAMES.test(qualified.slice(qualified.lastIndexOf('.') + 1));
}

/** Parameters of a helper bound to the call's arguments, for resolution inside the helper. */
function bindArguments(fn: FunctionInfo, call: CallExpr, site: CallSite): Environment {
  const params = new Map<string, BoundArgument>();
  const names = fn.def.params.filter((p) => p.kind === 'normal').map((p) => p.name);
  // `self` is bound by an instance call (`self.m()`, `obj.m()`), `cls` always; `Class.m(obj, …)` passes self itself.
  const viaClass = call.func.type === 'Attribute' && call.func.value.type === 'Name' && fn.cls !== undefined && call.func.value.id === fn.cls.name;
  const isMethod = fn.cls !== undefined && ((names[0] === 'self' && !viaClass) || names[0] === 'cls');
  let index = isMethod ? 1 : 0;
  for (const arg of call.args) {
    if (arg.star) break;
    const bound: BoundArgument = { expr: arg.value, scope: site.scope, chunk: site.chunk, env: site.env };
    if (arg.name) params.set(arg.name, bound);
    else if (index < names.length) params.set(names[index++], bound);
  }
  for (const param of fn.def.params) {
    if (!params.has(param.name) && param.default) params.set(param.name, { expr: param.default, scope: fn.parent, chunk: fn.chunk });
  }
  return { params };
}

function argument(args: Argument[], position: number, keyword: string): Argument | undefined {
  const byName = args.find((a) => a.name === keyword);
  if (byName) return byName;
  const positional = args.filter((a) => !a.name && !a.star);
  return positional[position];
}

function classifyClip(call: CallExpr, site: CallSite): ClipDetails | undefined {
  const { func } = call;
  const { resolver, scope, env, chunk } = site;
  const callee = chunk.slice(func.start, func.end);
  const calleeRange = chunk.range(func.start, func.end);
  const base = { callee, calleeRange, measuresOnly: false, thresholds: [] as ThresholdArgument[] };

  const qualified = resolver.qualify(func, scope, env);
  if (qualified && (qualified === 'torch' || qualified.startsWith('torch.'))) {
    const dot = qualified.lastIndexOf('.');
    const module = qualified.slice(0, dot);
    const name = qualified.slice(dot + 1);
    if (TORCH_CLIP_MODULES.has(module) && TORCH_CLIPS[name]) {
      const kind = TORCH_CLIPS[name];
      const resolved = `torch.nn.utils.${name}`;
      const details: ClipDetails = { ...base, resolved, kind, api: torchUtilityApi(name, kind) };
      readTorchArguments(details, call, site);
      const deprecated = deprecatedTorchClip(name);
      if (deprecated) details.deprecated = { ...deprecated, rename: renameCallee(call, site, deprecated.current) };
      readKeywordMisuse(details, call, site, name);
      return details;
    }
    // Only where torch's namespace is known in full: elsewhere in torch (distributed, private
    // modules) a clip-like name may well exist.
    const known = KNOWN_TORCH_NAMESPACES[module];
    const missing = qualified === 'torch.nn.utils.clip_grad' || (known !== undefined && CLIP_LIKE.test(name) && !known.has(name));
    if (missing) {
      const missingClip = missingTorchFunction(qualified);
      const details: ClipDetails = { ...base, resolved: qualified, kind: 'missing', api: clipApi('torch', qualified, /value/.test(name) ? 'value' : 'norm'), missing: missingClip };
      readTorchArguments(details, call, site);
      const params = argument(call.args, 0, 'parameters');
      if (params && details.maxNorm !== undefined) {
        missingClip.replacement = { api: TORCH_CLIP_NORM, edits: [{ range: calleeRange, newText: TORCH_CLIP_NORM }] };
      }
      return details;
    }
    return undefined;
  }

  // timm's dispatcher to torch's clips (by norm or value) and its adaptive clipping.
  if (qualified && /^timm\.utils(\.clip_grad|\.agc)?\.(dispatch_clip_grad|adaptive_clip_grad)$/.test(qualified)) {
    const details: ClipDetails = { ...base, resolved: qualified, kind: 'framework', api: clipApi('timm', qualified, 'norm') };
    const params = argument(call.args, 0, 'parameters');
    if (params) details.parameters = describeParameters(params.value, site);
    return details;
  }

  if (func.type !== 'Attribute') return undefined;
  const receiver = func.value;
  const attr = func.attr;
  if ((attr === 'clip_grad_norm_' || attr === 'clip_grad_value_') && resolver.isAccelerator(receiver, scope, env)) {
    const by = attr === 'clip_grad_norm_' ? 'norm' : 'value';
    const resolved = `accelerate.Accelerator.${attr}`;
    const details: ClipDetails = { ...base, resolved, kind: by, api: clipApi('accelerate', resolved, by) };
    readTorchArguments(details, call, site);
    return details;
  }
  if (attr === 'clip_gradients' && (resolver.isFabric(receiver, scope, env) || (receiver.type === 'Name' && receiver.id === 'self'))) {
    const isFabric = !(receiver.type === 'Name' && receiver.id === 'self');
    const threshold = isFabric ? argument(call.args, 3, 'max_norm') ?? argument(call.args, 2, 'clip_val') : argument(call.args, 1, 'gradient_clip_val');
    const resolved = isFabric ? 'lightning.Fabric.clip_gradients' : 'lightning.LightningModule.clip_gradients';
    // Fabric clips by value when given `clip_val`; Lightning's `gradient_clip_algorithm` defaults to the norm.
    const by = threshold?.name === 'clip_val' ? 'value' : 'norm';
    const details: ClipDetails = { ...base, resolved, kind: 'framework', api: clipApi(isFabric ? 'fabric' : 'lightning', resolved, by) };
    if (threshold) addThreshold(details, threshold, threshold.name === 'clip_val' ? 'clip_value' : 'max_norm', site);
    return details;
  }
  if (attr === 'clip_grad_norm_' || attr === 'clip_grad_norm') {
    // A method on something else: an FSDP1 module, fairseq's optimizer, a DeepSpeed engine.
    // On a torch.optim optimizer it does not exist.
    const receiverIsTorchOptimizer = isTorchOptimizer(receiver, site);
    const resolved = receiverIsTorchOptimizer ? `torch.optim.Optimizer.${attr}` : `${dottedName(receiver) ?? 'object'}.${attr}`;
    const missingClip = receiverIsTorchOptimizer ? missingOptimizerMethod() : undefined;
    const details: ClipDetails = {
      ...base,
      resolved,
      kind: missingClip ? 'missing' : 'framework',
      api: clipApi(missingClip ? 'torch' : 'object-method', resolved, 'norm'),
      ...(missingClip ? { missing: missingClip } : {}),
    };
    const threshold = argument(call.args, 0, 'max_norm');
    if (threshold) addThreshold(details, threshold, 'max_norm', site);
    if (missingClip) {
      const params = optimizerParameters(receiver, site);
      if (params && threshold) {
        missingClip.replacement = { api: TORCH_CLIP_NORM, edits: [{ range: chunk.range(call.start, call.end), newText: `${TORCH_CLIP_NORM}(${params}, ${chunk.slice(threshold.value.start, threshold.value.end)})` }] };
      }
    }
    return details;
  }
  return undefined;
}

/**
 * A receiver bound to a `torch.optim` optimizer class (not merely named like an optimizer), by
 * every binding that reaches it: a wrapper assigned over it (`optimizer = FP16Optimizer(optimizer)`,
 * on any path) may well have the method.
 */
function isTorchOptimizer(receiver: Expr, site: CallSite): boolean {
  return site.resolver.everyBinding(receiver, site.scope, site.env, (b, found) => {
    if (b.value.type !== 'Call' || b.how !== 'assign' || b.index !== undefined) return false;
    return TORCH_OPTIMIZER_CLASS.test(site.resolver.qualify(b.value.func, found.scope, found.env) ?? '');
  });
}

const TORCH_OPTIMIZER_CLASS = /^torch\.optim\.(?!lr_scheduler\.|swa_utils\.)(\w+\.)?[A-Z]\w*$/;

/** The parameters argument of the optimizer's constructor, as written, when it is a fresh call. */
function optimizerParameters(receiver: Expr, site: CallSite): string | undefined {
  const found = site.resolver.bindingsOf(receiver, site.scope, site.env);
  const binding = found?.bindings.find((b) => b.value.type === 'Call');
  if (!binding || binding.value.type !== 'Call') return undefined;
  const params = argument(binding.value.args, 0, 'params');
  if (!params || params.value.type !== 'Call') return undefined;
  const text = binding.chunk.slice(params.value.start, params.value.end);
  return /\.parameters\(\)$/.test(text) ? text : undefined;
}

function readTorchArguments(details: ClipDetails, call: CallExpr, site: CallSite): void {
  const params = argument(call.args, 0, 'parameters');
  if (params) details.parameters = describeParameters(params.value, site);
  if (details.kind === 'value') {
    const value = argument(call.args, 1, 'clip_value');
    if (value) addThreshold(details, value, 'clip_value', site);
  } else {
    const maxNorm = argument(call.args, 1, 'max_norm');
    if (maxNorm) addThreshold(details, maxNorm, 'max_norm', site);
    const normType = argument(call.args, details.kind === 'with-norm' ? 99 : 2, 'norm_type');
    if (normType) addThreshold(details, normType, 'norm_type', site);
  }
}

function addThreshold(details: ClipDetails, arg: Argument, parameter: ThresholdArgument['parameter'], site: CallSite): void {
  const expr = arg.value;
  const value = literalNumber(expr);
  const threshold: ThresholdArgument = { parameter, text: site.chunk.slice(expr.start, expr.end), range: site.chunk.range(expr.start, expr.end), value };
  if (parameter === 'norm_type') {
    if (expr.type === 'Constant' && expr.kind === 'string') {
      const parsed = pythonFloat(stringContent(expr.raw));
      threshold.value = parsed;
      threshold.invalid = parsed === undefined;
    } else if (expr.type === 'Constant' && (expr.kind === 'none' || expr.kind === 'ellipsis')) {
      threshold.invalid = true;
    }
    if (threshold.value !== undefined) details.normType = threshold.value;
  } else if (parameter === 'max_norm') {
    if (value !== undefined) details.maxNorm = value;
    details.measuresOnly = value === Infinity;
  } else if (value !== undefined) {
    details.clipValue = value;
  }
  details.thresholds.push(threshold);
}

/** `clip_grad_value_(…, max_norm=…)` and `clip_grad_norm_(…, clip_value=…)`: a TypeError at run time. */
function readKeywordMisuse(details: ClipDetails, call: CallExpr, site: CallSite, name: string): void {
  const wrongKeyword = name === 'clip_grad_value_' ? 'max_norm' : name.startsWith('clip_grad_norm') ? 'clip_value' : undefined;
  if (!wrongKeyword) return;
  const arg = call.args.find((a) => a.name === wrongKeyword);
  if (!arg) return;
  const intended = wrongKeyword === 'max_norm' ? 'clip_grad_norm_' : 'clip_grad_value_';
  const ownKeyword = wrongKeyword === 'max_norm' ? 'clip_value' : 'max_norm';
  details.misusedKeyword = { keyword: wrongKeyword, range: site.chunk.range(arg.start, arg.end), intended, ownKeyword, rename: switchCallee(call, site, intended) };
  if (wrongKeyword === 'max_norm') {
    addThreshold(details, arg, 'max_norm', site);
  } else {
    addThreshold(details, arg, 'clip_value', site);
  }
}

/**
 * Edits that make this one call use another function of the same module (`clip_grad_value_` for
 * `clip_grad_norm_`), leaving other calls as they are: the attribute of `torch.nn.utils.f(…)`;
 * for a name imported with `from m import f [as g]`, the call now names the other function,
 * imported alongside when it is not yet.
 */
function switchCallee(call: CallExpr, site: CallSite, newName: string): TextEdit[] | undefined {
  const { func } = call;
  if (func.type === 'Attribute') return [{ range: site.chunk.range(func.attrStart, func.end), newText: newName }];
  if (func.type !== 'Name') return undefined;
  const owner = site.scope.lookup(func.id);
  if (!owner || !owner.imports.has(func.id)) return undefined;
  const callee = { range: site.chunk.range(func.start, func.end), newText: newName };
  const bound = site.scope.lookup(newName);
  if (bound) return bound.imports.get(newName)?.endsWith(`.${newName}`) ? [callee] : undefined;
  const addition = importAlongside(owner, func.id, newName);
  return addition ? [addition, callee] : undefined;
}

/**
 * Edits that rename a call's function everywhere (a deprecated name for the same function): for
 * `torch.nn.utils.f(…)` the attribute; for a name imported with `from … import f`, the import and
 * every use.
 */
function renameCallee(call: CallExpr, site: CallSite, newName: string): TextEdit[] | undefined {
  const { func } = call;
  if (func.type === 'Attribute') {
    return [{ range: site.chunk.range(func.attrStart, func.end), newText: newName }];
  }
  if (func.type !== 'Name') return undefined;
  const owner = site.scope.lookup(func.id);
  if (!owner || !owner.imports.has(func.id)) return undefined;
  // Imported under its own name: if the new name is also imported, just call that one.
  if (owner.imports.get(newName)?.endsWith(`.${newName}`)) return [{ range: site.chunk.range(func.start, func.end), newText: newName }];
  return renameImported(owner, func.id, newName);
}

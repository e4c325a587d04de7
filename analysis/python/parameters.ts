// What the parameters argument of a clip call is: a module (clip needs `.parameters()`), a
// one-shot iterable that something used up before the clip (the clip then sees nothing), or fine.
import type { TextEdit } from '../api';
import type { ParametersArgument } from '../model/events';
import type { Expr, Stmt } from './ast';
import { dottedName } from './ast';
import type { FunctionInfo, Scope } from './scopes';
import type { CallSite } from './calls';
import { oneShotBinding, optimizerBuiltElsewhere } from './one-shot';

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
  return site.resolver.everyBinding(expr, site.scope, site.env, (b, found) => wrapsInFsdp1(b.value, found.scope, site, 0));
}

/** `FSDP(model, …)`, or a call to a function of the project that returns one (`wrap_model(model)`). */
function wrapsInFsdp1(value: Expr, scope: Scope, site: CallSite, depth: number): boolean {
  if (value.type !== 'Call') return false;
  if (FSDP1.test(site.resolver.qualify(value.func, scope) ?? dottedName(value.func) ?? '')) return true;
  const returned = depth < 3 ? site.resolver.returnsOf(value, scope) : undefined;
  return !!returned && returned.values.every((v) => wrapsInFsdp1(v, returned.scope, site, depth + 1));
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
  const returned = depth < 3 ? site.resolver.returnsOf(value, scope) : undefined;
  if (returned) return returned.values.every((v) => constructsModule(v, returned.scope, { ...site, scope: returned.scope, env: undefined }, depth + 1));
  const cls = site.resolver.localClass(func, scope);
  if (cls) return cls.def.bases.some((b) => /(^|\.)(Module|LightningModule|PreTrainedModel)$/.test(site.resolver.qualify(b.value, scope) ?? dottedName(b.value) ?? ''));
  return false;
}

/**
 * A one-shot iterable as the clip's argument: what makes it, how to make it a list, and what uses
 * it up where the unit's graph cannot tell (an optimizer built outside it, or a `self` attribute
 * made in another method, which the first call of this one uses up). Uses inside the graph are
 * its paths' business (the rule asks them).
 */
function findOneShot(expr: Expr, site: CallSite): ParametersArgument['oneShot'] {
  const found = oneShotBinding(expr, site.scope, site.env, site.resolver);
  if (!found) return undefined;
  const { binding } = found;
  const value = binding.value;
  const makeList: TextEdit[] =
    value.type === 'Comprehension' && binding.chunk.slice(value.start, value.start + 1) === '('
      ? [{ range: binding.chunk.range(value.start, value.start), newText: 'list' }]
      : [
          { range: binding.chunk.range(value.start, value.start), newText: 'list(' },
          { range: binding.chunk.range(value.end, value.end), newText: ')' },
        ];
  const oneShot: NonNullable<ParametersArgument['oneShot']> = { bindingRange: binding.chunk.range(value.start, value.end), bindingText: binding.chunk.slice(value.start, value.end), makeList, key: found.key };
  if (site.graphScopes.includes(found.scope)) return oneShot;
  const optimizer = optimizerBuiltElsewhere(found, site.resolver);
  if (optimizer) return { ...oneShot, consumer: 'optimizer', consumerRange: optimizer.range };
  // On `self`, made by another method: every call of this one after the first clips nothing.
  const maker = found.scope.kind === 'class' ? methodHolding(found.scope, binding.stmt) : undefined;
  if (maker && !site.graphScopes.includes(maker.scope)) return { ...oneShot, consumer: 'every-call', createdIn: maker.name };
  return oneShot;
}

/** The method of a class whose body holds `stmt`. */
function methodHolding(classScope: Scope, stmt: Stmt): FunctionInfo | undefined {
  const cls = classScope.cls;
  if (!cls) return undefined;
  for (const method of cls.methods.values()) if (method.def.start <= stmt.start && stmt.end <= method.def.end && method.chunk === cls.chunk) return method;
  return undefined;
}

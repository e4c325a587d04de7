// What a TypeScript/JavaScript call means for gradients, by the names' bindings: our engine
// (`clipwise/engine`), PyTorch-like JS libraries (js-pytorch: `zero_grad`, `clip_grad_norm_`),
// GradScaler spellings. A `.step()` is an optimizer step only on a receiver known to be an
// optimizer (constructed from an optimizer class, typed as one, or named like one, as the Python
// front end accepts); `env.step()`, `agent.step()`, schedulers and callbacks are not.
import ts from 'typescript';
import { hasOptimizerName } from '../python/resolve';
import { ClipHelpers } from './clip-helpers';
import type { ClipValue, GradientValues, StepArgument } from './gradient-values';
import { TFJS_OPTIMIZER_FACTORIES, tfjsCall } from './tfjs';
import { WordIndex } from './words';

export const OPTIMIZER_CLASSES = new Set(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam', 'Optimizer', 'LBFGS']);
const CLIP_NORM = new Set(['clipGradNorm_', 'clip_grad_norm_']);
const CLIP_VALUE = new Set(['clipGradValue_', 'clip_grad_value_']);
const ZERO = new Set(['zeroGrad', 'zero_grad']);
const UNSCALE = new Set(['unscale_', 'unscale']);

/**
 * Words without which a function cannot hold a training event (its text is not opened further):
 * PyTorch-like spellings (`.step(` too: a helper that only steps is inlined where it is called,
 * as in Python), and TensorFlow.js's (gradients computed, applied, clipped, `tf.tidy`
 * around them, `tf.train` optimizers).
 */
export const GRADIENT_WORDS = /backward|\.step\s*\(|clip_?grad|unscale|zero_?grad|variableGrads|computeGradients|applyGradients|minimize|valueAndGrads?|\bgrads?\b|clipBy|tidy|tf\.train/i;

/** Words that mark TensorFlow.js training code: only such files look for gradient values and clip helpers. */
export const TFJS_WORDS = /variableGrads|computeGradients|applyGradients|minimize|\bgrads?\(|clipBy/;

/** Words without which a piece of code binds no import, optimizer or scaler. */
export const BINDING_WORDS = /\bnew\b|require|import|optim|SGD|Adam|RMSprop|Adagrad|Adadelta|Adamax|LBFGS|Scaler|train\./i;

export type ReceiverKind = 'optimizer' | 'scaler' | 'other' | 'unknown';

/** What the file binds: imports (local name → module) and receivers bound by construction or type. */
export class Bindings {
  readonly imports = new Map<string, string>();
  readonly receivers = new Map<string, ReceiverKind>();
  private helpers?: ClipHelpers;

  /** The file's own clip helpers (tfjs code only: other files have none to look for). */
  get clipHelpers(): ClipHelpers {
    return (this.helpers ??= new ClipHelpers(this.file));
  }

  /** What units' events depend on outside their own text, besides imports and receivers: which helpers of the file clip. */
  helpersKey(): string {
    return TFJS_WORDS.test(this.file.text) ? this.clipHelpers.key() : '';
  }

  /** `words`: where BINDING_WORDS match in the file's text (found once, not per node). */
  constructor(private readonly file: ts.SourceFile, words: WordIndex = WordIndex.of(file.text, BINDING_WORDS)) {
    const visit = (node: ts.Node): void => {
      // Code that constructs nothing, imports nothing and names no optimizer or scaler binds nothing here (most of a large file).
      // From the node's first token: comments before it are not its code.
      if (!words.has(node.pos, node.end) || !words.has(node.getStart(file), node.end)) return;
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const from = node.moduleSpecifier.text;
        const clause = node.importClause;
        if (clause?.name) this.imports.set(clause.name.text, from);
        const named = clause?.namedBindings;
        if (named && ts.isNamespaceImport(named)) this.imports.set(named.name.text, from);
        if (named && ts.isNamedImports(named)) for (const e of named.elements) this.imports.set(e.name.text, from);
        return;
      }
      if (ts.isVariableDeclaration(node) && node.initializer) {
        const required = requiredModule(node.initializer);
        if (required !== undefined) {
          if (ts.isIdentifier(node.name)) this.imports.set(node.name.text, required);
          else if (ts.isObjectBindingPattern(node.name)) for (const e of node.name.elements) if (ts.isIdentifier(e.name)) this.imports.set(e.name.text, required);
        }
        this.bind(node.name, node.initializer, node.type);
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        this.bind(node.left, node.right, undefined);
      } else if ((ts.isParameter(node) || ts.isPropertyDeclaration(node)) && node.type) {
        const key = ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name) ? `this.${node.name.text}` : ts.isIdentifier(node.name) ? node.name.text : undefined;
        const kind = typeKind(node.type);
        if (key && kind) this.note(key, kind);
        if (ts.isPropertyDeclaration(node) && node.initializer) this.bind(node.name, node.initializer, node.type);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  private bind(target: ts.Node, value: ts.Expression, type: ts.TypeNode | undefined): void {
    const key = ts.isPropertyDeclaration(target.parent) && ts.isIdentifier(target) ? `this.${target.text}` : receiverKey(target);
    if (!key) return;
    const kind = (type && typeKind(type)) ?? valueKind(value);
    if (kind) this.note(key, kind);
  }

  private note(key: string, kind: ReceiverKind): void {
    const known = this.receivers.get(key);
    // Two bindings that disagree: nothing is known.
    this.receivers.set(key, known && known !== kind ? 'unknown' : kind);
  }

  kindOf(receiver: ts.Expression): ReceiverKind {
    const key = receiverKey(receiver);
    if (!key) return 'unknown';
    const bound = this.receivers.get(key);
    if (bound && bound !== 'unknown') return bound;
    const name = lastName(receiver);
    if (!name) return 'unknown';
    if (/scaler$/i.test(name)) return 'scaler';
    return hasOptimizerName(name) ? 'optimizer' : 'unknown';
  }

  /** The module a callee comes from, when its root name is imported (`clipGradNorm_`, `torch.nn.utils.clip_grad_norm_`). */
  moduleOf(callee: ts.Expression): string | undefined {
    let root: ts.Expression = callee;
    while (ts.isPropertyAccessExpression(root)) root = root.expression;
    if (!ts.isIdentifier(root)) return undefined;
    return this.imports.get(root.text) ?? (root.text === 'torch' ? 'torch' : undefined);
  }
}

function requiredModule(value: ts.Expression): string | undefined {
  if (ts.isCallExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'require' && value.arguments[0] && ts.isStringLiteral(value.arguments[0])) return value.arguments[0].text;
  return undefined;
}

function typeKind(type: ts.TypeNode): ReceiverKind | undefined {
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  // `tf.Optimizer`, `tf.AdamOptimizer`, `SGDOptimizer`…
  if (OPTIMIZER_CLASSES.has(name) || /^[A-Z]\w*Optimizer$/.test(name)) return 'optimizer';
  if (name === 'GradScaler') return 'scaler';
  return undefined;
}

function valueKind(value: ts.Expression): ReceiverKind | undefined {
  while (ts.isAwaitExpression(value) || ts.isParenthesizedExpression(value) || ts.isAsExpression(value) || ts.isNonNullExpression(value)) value = value.expression;
  const constructed = ts.isNewExpression(value) ? value.expression : ts.isCallExpression(value) ? value.expression : undefined;
  if (!constructed) return undefined;
  const name = ts.isIdentifier(constructed) ? constructed.text : ts.isPropertyAccessExpression(constructed) ? constructed.name.text : undefined;
  if (!name) return undefined;
  if (OPTIMIZER_CLASSES.has(name) || (/^[A-Z]/.test(name) && hasOptimizerName(name))) return 'optimizer';
  // tf.train.adam(…)
  if (ts.isPropertyAccessExpression(constructed) && TFJS_OPTIMIZER_FACTORIES.has(name) && ts.isPropertyAccessExpression(constructed.expression) && constructed.expression.name.text === 'train') return 'optimizer';
  if (name === 'GradScaler') return 'scaler';
  return ts.isNewExpression(value) ? 'other' : undefined;
}

/** `optimizer`, `this.opt`: the text a receiver is bound by; undefined for anything else. */
export function receiverKey(node: ts.Node): string | undefined {
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAwaitExpression(node)) node = node.expression;
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node)) {
    const inner = receiverKey(node.expression);
    return inner && `${inner}.${node.name.text}`;
  }
  return undefined;
}

function lastName(node: ts.Expression): string | undefined {
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return lastName(node.expression);
  return undefined;
}

export type CallMeaning =
  | { kind: 'backward'; scaler?: string; makes?: string }
  | { kind: 'step'; optimizer: string; scaler?: string; applies?: StepArgument & { argument?: ts.Expression }; computesGradients?: boolean }
  | { kind: 'zero'; optimizer?: string }
  | { kind: 'unscale'; scaler: string; optimizer?: string }
  | { kind: 'clip'; clipKind: 'norm' | 'value'; resolved: string; library?: 'tfjs' | 'helper'; value?: ClipValue; missing?: boolean };

/**
 * What a call does to gradients, in the order it does it (`optimizer.minimize(f)` computes and
 * applies: two events). `values`: the unit's gradient values, in code that uses TensorFlow.js.
 */
export function classifyCalls(call: ts.CallExpression, bindings: Bindings, text: (n: ts.Node) => string, values?: GradientValues): CallMeaning[] {
  const own = classifyCall(call, bindings, text);
  if (own) return [own];
  if (!values) return [];
  const isOptimizer = (receiver: ts.Expression) => bindings.kindOf(receiver) === 'optimizer';
  const tfjs = tfjsCall(call, bindings, isOptimizer, text);
  const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression : undefined;
  switch (tfjs?.kind) {
    case undefined: {
      const value = values.clipValue(call);
      if (!value) return [];
      // A gradient scaled by a factor capped at one: a norm clip written inline.
      if (value.scaled) return [{ kind: 'clip', clipKind: 'norm', resolved: callee ? `tf.Tensor.${callee.name.text}` : text(call.expression), library: 'tfjs', value }];
      const helper = bindings.clipHelpers.resolve(call);
      return helper ? [{ kind: 'clip', clipKind: helper.by, resolved: helper.name, library: 'helper', value }] : [];
    }
    case 'backward':
      return [{ kind: 'backward', makes: values.idOf(call) }];
    case 'apply':
      return [{ kind: 'step', optimizer: tfjs.optimizer, applies: { ...values.stepArgument(call), argument: call.arguments[0] } }];
    case 'minimize': {
      const made = values.idOf(call);
      return [{ kind: 'backward', makes: made }, { kind: 'step', optimizer: tfjs.optimizer, applies: { ids: new Set([made]), inScope: [] }, computesGradients: true }];
    }
    case 'clip-value': {
      const value = values.clipValue(call);
      return value ? [{ kind: 'clip', clipKind: 'value', resolved: callee && tfjs.source === callee.expression ? 'tf.Tensor.clipByValue' : 'tf.clipByValue', library: 'tfjs', value }] : [];
    }
    case 'clip-missing': {
      // `tf.clipByNorm(…)`: the namespace has no such function; `g.clipByNorm(…)`: only on a gradient (a tensor has no such method).
      const onTensor = !!callee && tfjs.source === callee.expression;
      if (onTensor && !values.gradientOf(callee.expression)) return [];
      // A file that defines it for itself (`tf.clipByNorm = …`, a prototype patch) has it.
      if (new RegExp(`\\b${tfjs.name}\\s*=[^=>]`).test(call.getSourceFile().text)) return [];
      return [{ kind: 'clip', clipKind: 'norm', resolved: onTensor ? `tf.Tensor.${tfjs.name}` : `tf.${tfjs.name}`, library: 'tfjs', missing: true }];
    }
  }
}

/** What a call does to gradients, or undefined. `text` gives a node's source text. */
export function classifyCall(call: ts.CallExpression, bindings: Bindings, text: (n: ts.Node) => string): CallMeaning | undefined {
  const callee = call.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (!name) return undefined;
  if (CLIP_NORM.has(name) || CLIP_VALUE.has(name)) {
    const from = bindings.moduleOf(callee);
    if (from === undefined) return undefined;
    return { kind: 'clip', clipKind: CLIP_NORM.has(name) ? 'norm' : 'value', resolved: `${from}:${text(callee)}` };
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = callee.expression;
  if (name === 'backward') {
    if (call.arguments.length > 1) return undefined;
    const inner = unwrap(receiver);
    if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && inner.expression.name.text === 'scale' && bindings.kindOf(inner.expression.expression) === 'scaler') {
      return { kind: 'backward', scaler: text(inner.expression.expression) };
    }
    return { kind: 'backward' };
  }
  const kind = bindings.kindOf(receiver);
  if (name === 'step') {
    if (kind === 'scaler' && call.arguments.length >= 1) return { kind: 'step', optimizer: text(call.arguments[0]), scaler: text(receiver) };
    if (kind === 'optimizer' && call.arguments.length === 0) return { kind: 'step', optimizer: text(receiver) };
    return undefined;
  }
  if (ZERO.has(name)) return { kind: 'zero', optimizer: kind === 'optimizer' ? text(receiver) : undefined };
  if (UNSCALE.has(name) && kind === 'scaler') return { kind: 'unscale', scaler: text(receiver), optimizer: call.arguments[0] && text(call.arguments[0]) };
  return undefined;
}

function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
  return node;
}

// The training settings a TypeScript/JavaScript unit states, for loop shapes (the Gradient Lab's
// "this loop"): what the optimizer is constructed with (`new SGD(params, { lr: 0.05 })`,
// `tf.train.adam(1e-3)`, js-pytorch's `new torch.optim.Adam(params, 1e-3)`), clip thresholds and
// accumulation counts written as names (`const MAX_NORM = 1.0`, `% ACCUM`), and `for` loops that
// count to a stated number. Values count only where the code states them: a literal, arithmetic
// on literals, a `const` bound once to one, an entry of a `const` object literal. Anything
// computed at run time is left out rather than guessed.
import ts from 'typescript';
import type { FlowGraph } from '../model/graph';
import type { LineMap } from '../text';
import { positionKey, readTrainingSettings, type OptimizerKind, type OptimizerSettings, type StatedNumber, type TrainingSettings } from '../loop-shape-settings';
import type { Bindings } from './vocabulary';

const MAX_DEPTH = 8;

/** Optimizer classes of the engine and PyTorch-like libraries, and TensorFlow.js's. */
const CLASS_KINDS: Record<string, OptimizerKind> = {
  SGD: 'sgd', Adam: 'adam', AdamW: 'adamw', RMSprop: 'rmsprop',
  SGDOptimizer: 'sgd', MomentumOptimizer: 'sgd', AdamOptimizer: 'adam', RMSPropOptimizer: 'rmsprop',
};
/** `tf.train.<factory>(learningRate, …)`. */
const FACTORY_KINDS: Record<string, OptimizerKind> = { sgd: 'sgd', momentum: 'sgd', adam: 'adam', rmsprop: 'rmsprop' };

export function typescriptTrainingSettings(graph: FlowGraph, file: ts.SourceFile, lines: LineMap, unit: ts.Node, bindings: Bindings): TrainingSettings | undefined {
  const reader = new StatedValues(unit, bindings);
  const settings = readTrainingSettings(graph, reader);
  if (!settings) return undefined;
  countedLoops(file, lines, unit, reader, settings.iterations);
  return settings;
}

/** `for (let j = 0; j < n; j++)` loops of the unit's own code (not of functions inside it), with n where stated. */
function countedLoops(file: ts.SourceFile, lines: LineMap, unit: ts.Node, reader: StatedValues, into: Map<string, StatedNumber>): void {
  const visit = (node: ts.Node): void => {
    if (node !== unit && ts.isFunctionLike(node)) return;
    if (ts.isForStatement(node)) {
      const passes = reader.passes(node);
      if (passes) into.set(positionKey(lines.position(node.getStart(file))), passes);
    }
    ts.forEachChild(node, visit);
  };
  visit(unit);
}

/** Numbers and constructors as the code states them, looked up in the unit and the module. */
class StatedValues {
  constructor(
    private readonly unit: ts.Node,
    private readonly bindings: Bindings,
  ) {}

  /** An expression written as text in this unit (a receiver, a threshold), parsed on its own. */
  private expression(text: string): ts.Expression | undefined {
    if (text.length > 500) return undefined;
    const parsed = ts.createSourceFile('x.ts', `(${text})`, ts.ScriptTarget.Latest, true);
    const [statement] = parsed.statements;
    return statement && ts.isExpressionStatement(statement) ? strip(statement.expression) : undefined;
  }

  numberText(text: string): StatedNumber | undefined {
    const e = this.expression(text);
    return e && this.number(e);
  }

  /** The `k` of an accumulation condition's `… % k`: undefined without a `%`, null when k is not stated. */
  moduloCount(key: string): StatedNumber | null | undefined {
    let modulo = false;
    // A key is condition text (spaces removed), or text in parts split by U+0001.
    for (const part of key.split('\u0001')) {
      const e = this.expression(part);
      let divisor: ts.Expression | undefined;
      const visit = (node: ts.Node): void => {
        if (!divisor && ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PercentToken) divisor = node.right;
        if (!divisor) ts.forEachChild(node, visit);
      };
      if (e) visit(e);
      if (!divisor) continue;
      modulo = true;
      const k = this.number(divisor);
      if (k && Number.isInteger(k.value) && k.value > 0) return k;
    }
    return modulo ? null : undefined;
  }

  /** The passes of `for (let j = 0; j < n; j++)` (also `j += 1`, `++j`, `n > j` is not read). */
  passes(loop: ts.ForStatement): StatedNumber | undefined {
    const init = loop.initializer;
    if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return undefined;
    const declaration = init.declarations[0];
    if (!ts.isIdentifier(declaration.name) || !declaration.initializer || numberLiteral(declaration.initializer) !== 0) return undefined;
    const counter = declaration.name.text;
    const test = loop.condition && strip(loop.condition);
    if (!test || !ts.isBinaryExpression(test) || test.operatorToken.kind !== ts.SyntaxKind.LessThanToken) return undefined;
    if (!ts.isIdentifier(test.left) || test.left.text !== counter) return undefined;
    const step = loop.incrementor && strip(loop.incrementor);
    const increments =
      !!step &&
      (((ts.isPostfixUnaryExpression(step) || ts.isPrefixUnaryExpression(step)) && step.operator === ts.SyntaxKind.PlusPlusToken && ts.isIdentifier(step.operand) && step.operand.text === counter) ||
        (ts.isBinaryExpression(step) && step.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && ts.isIdentifier(step.left) && step.left.text === counter && numberLiteral(step.right) === 1));
    if (!increments) return undefined;
    const n = this.number(test.right);
    return n && Number.isInteger(n.value) && n.value > 0 ? n : undefined;
  }

  optimizer(text: string): OptimizerSettings | undefined {
    const receiver = this.expression(text);
    const value = receiver && this.valueOf(receiver, 0);
    if (!value || !(ts.isNewExpression(value) || ts.isCallExpression(value))) return undefined;
    const callee = strip(value.expression);
    const args = value.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (!name) return undefined;
    // TensorFlow.js: `tf.train.adam(lr)`, `tf.train.momentum(lr, m)`, `new tf.AdamOptimizer(lr, …)`.
    const tfjsFactory = ts.isPropertyAccessExpression(callee) && ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === 'train' && this.isTfjs(callee.expression.expression);
    const tfjsClass = ts.isNewExpression(value) && ts.isPropertyAccessExpression(callee) && this.isTfjs(callee.expression) && name.endsWith('Optimizer');
    if (tfjsFactory || tfjsClass) {
      const kind = tfjsFactory ? FACTORY_KINDS[name] : CLASS_KINDS[name];
      if (!kind) return undefined;
      const lr = args[0] && this.number(args[0]);
      const momentum = (name === 'momentum' || name === 'MomentumOptimizer') && args[1] ? this.number(args[1]) : undefined;
      return { kind, learningRate: lr, momentum };
    }
    // The engine's and PyTorch-like libraries' classes, imported (a class of this file called SGD is not theirs).
    if (!ts.isNewExpression(value) || !(name in CLASS_KINDS) || name.endsWith('Optimizer') || this.bindings.moduleOf(callee) === undefined) return undefined;
    const kind = CLASS_KINDS[name];
    const options = args[1] && strip(args[1]);
    if (options && ts.isObjectLiteralExpression(options)) {
      const lr = entry(options, 'lr') ?? entry(options, 'learningRate');
      const momentum = kind === 'sgd' ? entry(options, 'momentum') : undefined;
      return { kind, learningRate: lr && this.number(lr), momentum: momentum && this.number(momentum) };
    }
    // js-pytorch: `new torch.optim.Adam(params, lr)`.
    return { kind, learningRate: options && this.number(options) };
  }

  private isTfjs(root: ts.Expression): boolean {
    const e = strip(root);
    return ts.isIdentifier(e) && (this.bindings.moduleOf(e)?.startsWith('@tensorflow/tfjs') ?? e.text === 'tf');
  }

  /** A number as the code states it. */
  number(expr: ts.Expression, depth = 0): StatedNumber | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const e = strip(expr);
    const literal = numberLiteral(e);
    if (literal !== undefined) return { value: literal, text: spelled(e) };
    if (ts.isBinaryExpression(e)) {
      const left = this.number(e.left, depth + 1);
      const right = left && this.number(e.right, depth + 1);
      const value = right && arithmetic(e.operatorToken.kind, left.value, right.value);
      return value === undefined || !Number.isFinite(value) ? undefined : { value, text: spelled(e) };
    }
    const value = this.valueOf(e, depth);
    return value && value !== e ? this.number(value, depth + 1) : undefined;
  }

  /**
   * What gives a name (or `this.x`, or `config.lr`) its value: its one `const` declaration in
   * the unit or the module, the class's property initializer or one `this.x = …` in it.
   */
  private valueOf(expr: ts.Expression, depth: number): ts.Expression | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const e = strip(expr);
    if (ts.isIdentifier(e)) return this.declared(e.text);
    if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return this.member(e.name.text);
    if (ts.isPropertyAccessExpression(e)) {
      const object = this.valueOf(e.expression, depth + 1);
      const literal = object && strip(object);
      return literal && ts.isObjectLiteralExpression(literal) ? entry(literal, e.name.text) : undefined;
    }
    if (ts.isNewExpression(e) || ts.isCallExpression(e) || ts.isObjectLiteralExpression(e)) return e;
    return undefined;
  }

  /**
   * The initializer of the one declaration of `name` in the nearest scope that declares it: the
   * unit, the functions around it, the module's top level (a `const` statement there). In a
   * function, bound by `const`, or by a `let` never assigned; a parameter of that name on the way
   * hides what is outside.
   */
  private declared(name: string): ts.Expression | undefined {
    for (let scope: ts.Node | undefined = this.unit; scope; scope = scope.parent) {
      if (ts.isSourceFile(scope)) return moduleConstant(scope, name);
      if (scope !== this.unit && !ts.isFunctionLike(scope)) continue;
      if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return undefined;
      const found: ts.VariableDeclaration[] = [];
      let assigned = false;
      const visit = (node: ts.Node): void => {
        if (ts.isVariableDeclaration(node) && bindsName(node.name, name)) {
          if (!ts.isIdentifier(node.name)) assigned = true;
          found.push(node);
        }
        if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(strip(node.left)) && (strip(node.left) as ts.Identifier).text === name) assigned = true;
        if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && ts.isIdentifier(node.operand) && node.operand.text === name) assigned = true;
        ts.forEachChild(node, visit);
      };
      visit(scope);
      if (!found.length) continue;
      return found.length === 1 && !assigned ? found[0].initializer : undefined;
    }
    return undefined;
  }

  /** `this.name` in the unit's class: its property initializer or its one assignment. */
  private member(name: string): ts.Expression | undefined {
    let cls: ts.Node | undefined = this.unit;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    if (!cls) return undefined;
    const values: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.parent === cls && node.initializer) values.push(node.initializer);
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = strip(node.left);
        if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) values.push(node.right);
      }
      if (node !== cls && ts.isClassLike(node)) return;
      ts.forEachChild(node, visit);
    };
    visit(cls);
    return values.length === 1 ? values[0] : undefined;
  }
}

/**
 * What the module's top level states for loops: the one `const` statement binding `name`, to a
 * number written out (`const MAX_NORM = 1.0`) or a construction (`const optimizer = new SGD(…)`).
 * Only these: the chunks of a large file that hold nothing else are not parsed (chunked-file.ts
 * keeps these), and a unit's key holds the module's variable statements (moduleStatedContext).
 */
function moduleConstant(file: ts.SourceFile, name: string): ts.Expression | undefined {
  const found: ts.VariableDeclaration[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) if (bindsName(declaration.name, name)) found.push(declaration);
  }
  if (found.length !== 1) return undefined;
  const [declaration] = found;
  const initializer = declaration.initializer;
  if (!initializer || !ts.isIdentifier(declaration.name) || (declaration.parent.flags & ts.NodeFlags.Const) === 0) return undefined;
  const e = strip(initializer);
  return ts.isNewExpression(e) || ts.isCallExpression(e) || /^[-+]?\.?\d/.test(initializer.getText()) ? initializer : undefined;
}

function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, name));
}

/** What a unit's settings may read of the module outside its own text, for its cache key: the module's top-level declarations. */
export function moduleStatedContext(file: ts.SourceFile): string {
  const parts: string[] = [];
  for (const statement of file.statements) if (ts.isVariableStatement(statement)) parts.push(statement.getText(file));
  return parts.join('\u0000');
}

/**
 * What a unit in a function or a class may read around it, for its cache key: the outermost
 * function around it (its declarations and parameters) and the class's property initializers and
 * constructor.
 */
export function enclosingStatedContext(file: ts.SourceFile, unit: ts.Node): string {
  const parts: string[] = [];
  let outermost: ts.Node | undefined;
  for (let n: ts.Node | undefined = unit.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) outermost = n;
    if (!ts.isClassLike(n)) continue;
    for (const member of n.members) if ((ts.isPropertyDeclaration(member) && member.initializer) || ts.isConstructorDeclaration(member)) parts.push(member.getText(file));
  }
  if (outermost) parts.push(`${outermost.getStart(file)}:${outermost.getText(file)}`);
  return parts.join('\u0000');
}

function entry(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

function strip(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

function numberLiteral(e: ts.Expression): number | undefined {
  e = strip(e);
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
  return undefined;
}

/** The code's own spelling of a number (`1.0`, `3e-4`), not JavaScript's (`1`, `0.0003`). */
function spelled(e: ts.Expression): string {
  const file = e.getSourceFile();
  return file.text.slice(e.getStart(file), e.end).trim();
}

function arithmetic(operator: ts.SyntaxKind, a: number, b: number): number | undefined {
  switch (operator) {
    case ts.SyntaxKind.PlusToken: return a + b;
    case ts.SyntaxKind.MinusToken: return a - b;
    case ts.SyntaxKind.AsteriskToken: return a * b;
    case ts.SyntaxKind.SlashToken: return b === 0 ? undefined : a / b;
    case ts.SyntaxKind.AsteriskAsteriskToken: return a ** b;
    default: return undefined;
  }
}

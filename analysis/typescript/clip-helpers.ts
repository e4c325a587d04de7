// Clip helpers a file defines for itself: tfjs has no global-norm clip, so users write
// `clipByGlobalNorm(grads, maxNorm)` or `this.clipGradients(grads)`. A call counts as a clip only
// when its name resolves to exactly one function of the file whose body really clips (calls
// `clipByValue`, or computes a norm and scales by it) and applies nothing itself.
import ts from 'typescript';

export type FunctionNode = ts.FunctionLikeDeclaration & { body: ts.Node };

const NORMS = new Set(['norm', 'euclideanNorm', 'globalNorm', 'sqrt']);
const SCALES = new Set(['mul', 'div', 'minimum']);
const STEPS = new Set(['applyGradients', 'minimize', 'step']);

export class ClipHelpers {
  private functions?: Map<string, FunctionNode[]>;
  private readonly verdicts = new Map<ts.Node, boolean>();
  /** Helpers that scale by a norm (the others clip each value). */
  private readonly byNorm = new Set<ts.Node>();

  constructor(private readonly file: ts.SourceFile) {}

  /** The helper a call resolves to, when it really clips. */
  resolve(call: ts.CallExpression): { name: string; by: 'norm' | 'value'; returnsCopy: boolean } | undefined {
    const found = this.functionOf(call);
    if (!found || !this.clips(found.fn, 0)) return undefined;
    return { name: found.name, by: this.byNorm.has(found.fn) ? 'norm' : 'value', returnsCopy: returnsCopy(found.fn) };
  }

  /** The one function of the file a call names (`f(…)`, `this.m(…)` in its class), if any. */
  functionOf(call: ts.CallExpression): { name: string; fn: FunctionNode } | undefined {
    const callee = call.expression;
    let key: string | undefined;
    if (ts.isIdentifier(callee)) key = callee.text;
    else if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(call);
      key = cls?.name ? `${cls.name.text}.${callee.name.text}` : undefined;
    }
    if (key === undefined) return undefined;
    const found = this.index().get(key);
    return found?.length === 1 ? { name: key, fn: found[0] } : undefined;
  }

  /** The names of the helpers that clip, for cache keys (a unit's events depend on them). */
  key(): string {
    const names: string[] = [];
    for (const [name, list] of this.index()) if (list.length === 1 && this.clips(list[0], 0)) names.push(name);
    return names.sort().join(',');
  }

  private index(): Map<string, FunctionNode[]> {
    if (this.functions) return this.functions;
    const map = new Map<string, FunctionNode[]>();
    const add = (name: string, fn: FunctionNode) => {
      const list = map.get(name);
      if (list) list.push(fn);
      else map.set(name, [fn]);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionDeclaration(node) && node.name && node.body) add(node.name.text, node as FunctionNode);
      else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) add(node.name.text, node.initializer as FunctionNode);
      else if ((ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node)) && ts.isIdentifier(node.name) && ts.isClassLike(node.parent) && node.parent.name) {
        const fn = ts.isMethodDeclaration(node) ? node : node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer)) ? node.initializer : undefined;
        if (fn?.body) add(`${node.parent.name.text}.${node.name.text}`, fn as FunctionNode);
      }
      ts.forEachChild(node, visit);
    };
    visit(this.file);
    return (this.functions = map);
  }

  private clips(fn: FunctionNode, depth: number): boolean {
    const known = this.verdicts.get(fn);
    if (known !== undefined) return known;
    this.verdicts.set(fn, false);
    let clipByValue = false;
    let norm = false;
    let scale = false;
    let steps = false;
    let square = false;
    let sum = false;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (name === 'clipByValue') clipByValue = true;
        if (name && NORMS.has(name)) norm = true;
        if (name && SCALES.has(name)) scale = true;
        if (name && STEPS.has(name)) steps = true;
        if (name === 'square') square = true;
        if (name === 'sum') sum = true;
        // A helper that calls another helper of the file that clips.
        if (depth < 3 && ts.isIdentifier(callee)) {
          const inner = this.index().get(callee.text);
          if (inner?.length === 1 && inner[0] !== fn && this.clips(inner[0], depth + 1)) clipByValue = true;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    const scalesByNorm = (norm || (square && sum)) && scale;
    const verdict = !steps && (clipByValue || scalesByNorm);
    if (verdict && scalesByNorm) this.byNorm.add(fn);
    this.verdicts.set(fn, verdict);
    return verdict;
  }
}

/**
 * The helper returns its clipped values and changes nothing it was given: it returns a value, and
 * everything it writes into (`out[k] = …`, `Object.assign(out, …)`) is a name it declared itself
 * with a new object or array. A call whose result is dropped then clipped nothing. Anything else
 * (a write into a parameter, `this`, an outer name, a `.assign`) may be clipping in place.
 */
function returnsCopy(fn: FunctionNode): boolean {
  const fresh = new Set<string>();
  let returns = false;
  let writesElsewhere = false;
  const isFresh = (target: ts.Expression): boolean => {
    let root = target;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isParenthesizedExpression(root) || ts.isNonNullExpression(root)) root = root.expression;
    return ts.isIdentifier(root) && fresh.has(root.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      let init: ts.Expression = node.initializer;
      while (ts.isAsExpression(init) || ts.isParenthesizedExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init) || ts.isNewExpression(init)) fresh.add(node.name.text);
    }
    if (ts.isReturnStatement(node) && node.expression && enclosingFunction(node) === fn) returns = true;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const target = node.left;
      if ((ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) && !isFresh(target)) writesElsewhere = true;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = node.expression.expression;
      if (method === 'assign' && !(ts.isIdentifier(receiver) && receiver.text === 'Object')) writesElsewhere = true;
      if (method === 'assign' && ts.isIdentifier(receiver) && receiver.text === 'Object' && node.arguments[0] && !isFresh(node.arguments[0])) writesElsewhere = true;
      if (['push', 'set', 'splice', 'unshift'].includes(method) && !isFresh(receiver)) writesElsewhere = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  // An arrow function with an expression body returns it.
  if (!ts.isBlock(fn.body)) returns = true;
  return returns && !writesElsewhere;
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isClassLike(n)) return n;
  return undefined;
}

// Helpers of the same file: a call to a function the file declares (a function declaration, a
// function or arrow function bound once with `const`, a method of the class called through
// `this`, `#private` ones too) whose text mentions gradients. The flow builder inlines its body
// at the call. A call resolves only where the name surely means that function: a parameter or a
// `let`/`var` of the same name in between, two declarations, a subclass of the file overriding
// the method, a generator, or an async function not awaited at the call: no helper.
import ts from 'typescript';

export type HelperFunction = ts.FunctionLikeDeclaration & { body: ts.Block | ts.Expression };

/** Names a text calls (`name(`, `this.name(`, `this.#name(`): which helpers a unit may inline. */
const CALLED = /(#?[A-Za-z_$][\w$]*)\s*(?:<[^()]*>)?\s*\(/g;

export class SameFileHelpers {
  /** Plain functions by name, and methods (and arrow-function properties) by `.name`. */
  private readonly byName = new Map<string, HelperFunction[]>();
  private readonly called = new Map<ts.Node, HelperFunction[]>();

  constructor(private readonly file: ts.SourceFile, functions: readonly HelperFunction[]) {
    for (const fn of functions) {
      const name = helperName(fn);
      if (name === undefined || fn.asteriskToken) continue;
      const list = this.byName.get(name);
      if (list) list.push(fn);
      else this.byName.set(name, [fn]);
    }
  }

  get isEmpty(): boolean {
    return this.byName.size === 0;
  }

  /** The helper `call` runs, when that is sure. */
  resolve(call: ts.CallExpression): HelperFunction | undefined {
    if (this.byName.size === 0) return undefined;
    const callee = call.expression;
    let fn: HelperFunction | undefined;
    if (ts.isIdentifier(callee)) fn = this.function(callee.text, call);
    else if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword && !call.questionDotToken && !callee.questionDotToken) fn = this.method(callee.name.text, call);
    if (!fn) return undefined;
    if (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async && !awaited(call)) return undefined;
    return fn;
  }

  /**
   * The helpers a unit's text may inline, directly or through other helpers, each with where it
   * starts: what the unit's results depend on besides its own text (`anchorLine`: the unit's line).
   */
  dependencyKey(text: string, self: ts.Node | undefined, anchorLine: number, position: (offset: number) => { line: number; character: number }): string {
    if (this.byName.size === 0) return '';
    const seen = new Set<HelperFunction>();
    const pending = this.mentioned(text);
    while (pending.length) {
      const fn = pending.pop()!;
      if (seen.has(fn) || fn === self) continue;
      seen.add(fn);
      let next = this.called.get(fn);
      if (!next) this.called.set(fn, (next = this.mentioned(fn.getText(this.file))));
      pending.push(...next);
    }
    const parts: string[] = [];
    for (const fn of [...seen].sort((a, b) => a.pos - b.pos)) {
      const start = fn.getStart(this.file);
      const at = position(start);
      const holder = ts.isVariableDeclaration(fn.parent) ? fn.parent.parent.getText(this.file) : '';
      parts.push(`${at.line - anchorLine}:${at.character}:${holder.length}:${holder}${fn.getText(this.file)}`);
    }
    return parts.join('\u0000');
  }

  private mentioned(text: string): HelperFunction[] {
    const found: HelperFunction[] = [];
    CALLED.lastIndex = 0;
    for (let m = CALLED.exec(text); m; m = CALLED.exec(text)) {
      found.push(...(this.byName.get(m[1]) ?? []), ...(this.byName.get(`.${m[1]}`) ?? []));
    }
    return found;
  }

  /** `name(…)`: the function declared (or bound with const) under that name in the innermost scope that has one. */
  private function(name: string, call: ts.Node): HelperFunction | undefined {
    const candidates = this.byName.get(name);
    if (!candidates) return undefined;
    for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
      if (ts.isFunctionLike(n) && n.parameters.some((p) => binds(p.name, name))) return undefined;
      const statements = ts.isSourceFile(n) || ts.isBlock(n) || ts.isModuleBlock(n) ? n.statements : undefined;
      if (!statements) continue;
      const declared = statements.flatMap((s) => declarations(s, name));
      if (!declared.length) continue;
      const [only] = declared;
      return declared.length === 1 && only && candidates.includes(only) ? only : undefined;
    }
    return undefined;
  }

  /** `this.name(…)`: the class's own method of that name (an arrow-function property too). */
  private method(name: string, call: ts.Node): HelperFunction | undefined {
    const candidates = this.byName.get(`.${name}`);
    if (!candidates) return undefined;
    const owner = thisOwner(call);
    if (!owner) return undefined;
    const { cls, isStatic } = owner;
    const members = cls.members.filter((m) => m.name && memberName(m.name) === name && !ts.isSemicolonClassElement(m));
    const withBody = members.filter((m) => !(ts.isMethodDeclaration(m) && !m.body));
    if (withBody.length !== 1) return undefined;
    const member = withBody[0];
    if (!!(ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static) !== isStatic) return undefined;
    const fn = ts.isPropertyDeclaration(member) ? member.initializer : member;
    const found = candidates.find((c) => c === fn);
    if (!found || this.overridden(cls, name)) return undefined;
    return found;
  }

  /** A class of the file that extends `cls` and declares a member `name` of its own. */
  private overridden(cls: ts.ClassLikeDeclaration, name: string): boolean {
    const own = cls.name?.text;
    if (own === undefined) return false;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isClassLike(n) && n !== cls) {
        const extendsIt = n.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword && h.types.some((t) => t.expression.getText(this.file) === own));
        if (extendsIt && n.members.some((m) => m.name && memberName(m.name) === name)) found = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(this.file);
    return found;
  }
}

/** The name a helper is called by: `f` for functions, `.m` for class members; none for anything else. */
export function helperName(fn: HelperFunction): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  if (ts.isMethodDeclaration(fn)) return ts.isClassLike(fn.parent) && fn.name ? dotted(memberName(fn.name)) : undefined;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === fn && ts.isIdentifier(parent.name) && ts.isVariableDeclarationList(parent.parent) && parent.parent.flags & ts.NodeFlags.Const) return parent.name.text;
  if (ts.isPropertyDeclaration(parent) && parent.initializer === fn && ts.isClassLike(parent.parent)) return dotted(memberName(parent.name));
  return undefined;
}

function dotted(name: string | undefined): string | undefined {
  return name === undefined ? undefined : `.${name}`;
}

function memberName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ? name.text : undefined;
}

function binds(name: ts.BindingName, text: string): boolean {
  if (ts.isIdentifier(name)) return name.text === text;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && binds(e.name, text));
}

/** What a statement declares under `name`: the function (null for anything else: a `let`, a class, an import). */
function declarations(statement: ts.Statement, name: string): (HelperFunction | null)[] {
  if (ts.isFunctionDeclaration(statement)) return statement.name?.text === name && statement.body ? [statement as HelperFunction] : [];
  if (ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) return statement.name?.text === name ? [null] : [];
  if (ts.isImportDeclaration(statement)) return statement.importClause && statement.importClause.getText().match(new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}($|[^\\w$])`)) ? [null] : [];
  if (!ts.isVariableStatement(statement)) return [];
  const constant = !!(statement.declarationList.flags & ts.NodeFlags.Const);
  const out: (HelperFunction | null)[] = [];
  for (const d of statement.declarationList.declarations) {
    if (!binds(d.name, name)) continue;
    let init = d.initializer;
    while (init && (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
    out.push(constant && ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && d.initializer === init ? (init as HelperFunction) : null);
  }
  return out;
}

/** The class whose instance `this` is at `node`, and whether that is the class itself (static code). */
function thisOwner(node: ts.Node): { cls: ts.ClassLikeDeclaration; isStatic: boolean } | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isArrowFunction(n)) continue;
    if (ts.isPropertyDeclaration(n) || ts.isClassStaticBlockDeclaration(n)) {
      return ts.isClassLike(n.parent) ? { cls: n.parent, isStatic: ts.isClassStaticBlockDeclaration(n) || !!(ts.getCombinedModifierFlags(n) & ts.ModifierFlags.Static) } : undefined;
    }
    if (ts.isFunctionLike(n)) {
      if ((ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n)) && ts.isClassLike(n.parent)) {
        return { cls: n.parent, isStatic: !!(ts.getCombinedModifierFlags(n) & ts.ModifierFlags.Static) };
      }
      return undefined;
    }
    if (ts.isClassLike(n) || ts.isSourceFile(n)) return undefined;
  }
  return undefined;
}

function awaited(call: ts.Node): boolean {
  let n = call.parent;
  while (n && ts.isParenthesizedExpression(n)) n = n.parent;
  return !!n && ts.isAwaitExpression(n);
}

/** A function's name as units and bodies are named (`Class.method`, the variable an arrow function is bound to). */
export function functionName(fn: ts.FunctionLikeDeclaration): string {
  const own = fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name)) ? fn.name.text : undefined;
  const cls = fn.parent && ts.isClassLike(fn.parent) ? fn.parent.name?.text : undefined;
  const holder = fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  const base = own ?? holder ?? '<anonymous>';
  return cls ? `${cls}.${base}` : base;
}

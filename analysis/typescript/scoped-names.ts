// Names by their declaration: two loops that each declare `const grads` hold two variables. A
// name read in a unit is keyed by the scope that declares it (`grads@120`), or by itself when the
// unit does not declare it (a name from outside: the enclosing function's, the module's).
import ts from 'typescript';

interface Declaration {
  scope: ts.Node;
  /** The variable statement's declaration, for `const`/`let`/`var` names (not parameters). */
  declaration?: ts.VariableDeclaration;
  constant: boolean;
}

export class ScopedNames {
  /** Per scope node, its names' keys. */
  private readonly byScope = new Map<ts.Node, Map<string, string>>();
  /** Declarations by key. */
  readonly declarations = new Map<string, Declaration>();

  constructor(roots: readonly ts.Node[]) {
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node)) this.declareNames(node.name, node);
      else if (ts.isParameter(node)) this.declareNames(node.name, undefined, node.parent);
      else if (ts.isCatchClause(node) && node.variableDeclaration) this.declareNames(node.variableDeclaration.name, undefined, node);
      ts.forEachChild(node, visit);
    };
    for (const root of roots) visit(root);
  }

  private declareNames(name: ts.BindingName, declaration: ts.VariableDeclaration | undefined, scope?: ts.Node): void {
    if (ts.isIdentifier(name)) {
      const list = declaration?.parent;
      const flags = list && ts.isVariableDeclarationList(list) ? list.flags : 0;
      const blockScoped = (flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)) !== 0;
      const where = scope ?? scopeOf(name, blockScoped);
      const entry: Declaration = { scope: where, declaration: ts.isIdentifier(declaration?.name ?? name) ? declaration : undefined, constant: (flags & ts.NodeFlags.Const) !== 0 };
      const key = `${name.text}@${where.pos}`;
      let names = this.byScope.get(where);
      if (!names) this.byScope.set(where, (names = new Map()));
      names.set(name.text, key);
      // `var x` twice in one function: one variable, not constant.
      const known = this.declarations.get(key);
      this.declarations.set(key, known ? { ...known, constant: false, declaration: undefined } : entry);
      return;
    }
    for (const element of name.elements) if (!ts.isOmittedExpression(element)) this.declareNames(element.name, declaration, scope);
  }

  /** The key of `name` as read at `at`: the innermost scope around it that declares it. */
  keyAt(name: string, at: ts.Node): string {
    for (let n: ts.Node | undefined = at; n; n = n.parent) {
      const key = this.byScope.get(n)?.get(name);
      if (key !== undefined) return key;
    }
    return name;
  }

  /** The names visible at `at` that its scopes declare, innermost first (a name shadowed further in is left out). */
  *visibleAt(at: ts.Node): Generator<string> {
    const seen = new Set<string>();
    for (let n: ts.Node | undefined = at; n; n = n.parent) {
      const names = this.byScope.get(n);
      if (!names) continue;
      for (const [name, key] of names) {
        if (seen.has(name)) continue;
        seen.add(name);
        yield key;
      }
    }
  }

  key(identifier: ts.Identifier): string {
    return this.keyAt(identifier.text, identifier);
  }
}

/** The block, loop head, function or file a declaration belongs to. */
function scopeOf(name: ts.Node, blockScoped: boolean): ts.Node {
  for (let n: ts.Node | undefined = name.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) || ts.isSourceFile(n)) return n;
    if (blockScoped && (ts.isBlock(n) || ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isCaseBlock(n))) return n;
  }
  return name.getSourceFile();
}

/** The name a key stands for. */
export function nameOfKey(key: string): string {
  const at = key.indexOf('@');
  return at < 0 ? key : key.slice(0, at);
}

/** Two nodes inside the same function (no function boundary between `inner` and `outer`). */
export function sameFunction(outer: ts.Node, inner: ts.Node): boolean {
  for (let n: ts.Node | undefined = inner.parent; n && n !== outer; n = n.parent) {
    // Callbacks that run right away keep the scope's names alive too, but a step written inside
    // one is rare: keep it simple and say no.
    if (ts.isFunctionLike(n)) return false;
  }
  return true;
}

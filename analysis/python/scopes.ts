// Scopes: what each name in a module, class or function is bound to (imports, assignments,
// parameters, definitions). Built once per unit on demand; resolution reads them.
import { Chunk, parseChunk } from './module';
import type { ClassDefStmt, Expr, FunctionDefStmt, Stmt } from './ast';
import { childBlocks, walkExpr } from './ast';

export interface Binding {
  /** The assigned value (for a `for` target: the iterable; for `with … as`: the context). */
  value: Expr;
  /** Where the binding was written. */
  target: Expr;
  chunk: Chunk;
  stmt: Stmt;
  /** Position of the name in a tuple target (`a, b = …`), when unpacked. */
  index?: number;
  how: 'assign' | 'for' | 'with' | 'augmented';
}

/** A definition's syntax node, or how to get it (definitions outside the analysis are read lazily). */
type Definition<T> = T | (() => T);

export class FunctionInfo {
  private ownScope?: Scope;
  /** Whether it may touch gradients (see relevance.ts), once asked. */
  touchesGradients?: boolean;
  private definition: Definition<FunctionDefStmt>;
  private readonly knownName?: string;

  constructor(definition: Definition<FunctionDefStmt>, readonly chunk: Chunk, readonly parent: Scope, readonly cls?: ClassInfo, name?: string) {
    this.definition = definition;
    this.knownName = name;
  }

  get def(): FunctionDefStmt {
    if (typeof this.definition === 'function') this.definition = this.definition();
    return this.definition;
  }

  get name(): string {
    return this.knownName ?? this.def.name;
  }

  get scope(): Scope {
    if (!this.ownScope) {
      const scope = new Scope('function', this.chunk, this.parent.kind === 'class' ? this.parent.parent : this.parent);
      scope.fn = this;
      scope.cls = this.cls;
      for (const param of this.def.params) scope.params.add(param.name);
      collectBindings(this.def.body, scope, this.chunk);
      this.ownScope = scope;
    }
    return this.ownScope;
  }

  /**
   * The function with its body: a definition that cannot touch gradients was parsed only by its
   * header, and is parsed in full here (once per chunk text) where what it does with an argument
   * or returns matters. Only a top-level function can be re-read this way.
   */
  withBody(): FunctionInfo | undefined {
    const parsed = this.chunk.parsed;
    if (!parsed.partial) return this;
    if (this.full !== undefined) return this.full ?? undefined;
    this.full = null;
    if (this.cls || this.parent.kind !== 'module') return undefined;
    const memo = parsed.memo;
    if (!memo.full) {
      memo.full = parseChunk(parsed.text);
      memo.full.memo.headerOf = parsed;
    }
    const def = memo.full.body[0];
    if (!def || def.type !== 'FunctionDef' || def.name !== this.name) return undefined;
    return (this.full = new FunctionInfo(def, new Chunk(memo.full, this.chunk.startLine, this.chunk.startOffset), this.parent));
  }

  private full?: FunctionInfo | null;

  /** The function's source text: a cheap first filter for "does it touch gradients at all". */
  get text(): string {
    return this.chunk.slice(this.def.start, this.def.end);
  }
}

export class ClassInfo {
  private built?: { scope: Scope; methods: Map<string, FunctionInfo>; selfAttributes: Map<string, Binding[]> };
  private definition: Definition<ClassDefStmt>;
  private readonly knownName?: string;

  constructor(definition: Definition<ClassDefStmt>, readonly chunk: Chunk, readonly parent: Scope, name?: string) {
    this.definition = definition;
    this.knownName = name;
  }

  get def(): ClassDefStmt {
    if (typeof this.definition === 'function') this.definition = this.definition();
    return this.definition;
  }

  /** Built on first use: most classes in a file (models, datasets) are never asked about. */
  private get contents() {
    if (!this.built) {
      const scope = new Scope('class', this.chunk, this.parent);
      scope.cls = this;
      const built = { scope, methods: new Map<string, FunctionInfo>(), selfAttributes: new Map<string, Binding[]>() };
      this.built = built;
      collectBindings(this.def.body, scope, this.chunk);
      for (const stmt of this.def.body) collectMethods(stmt, this, this.chunk);
      for (const method of built.methods.values()) collectSelfAttributes(method.def.body, this, method.chunk);
    }
    return this.built;
  }

  get scope(): Scope {
    return this.contents.scope;
  }

  get methods(): Map<string, FunctionInfo> {
    return this.contents.methods;
  }

  /** `self.x = …` anywhere in the class's methods. */
  get selfAttributes(): Map<string, Binding[]> {
    return this.contents.selfAttributes;
  }

  get name(): string {
    return this.knownName ?? this.def.name;
  }
}

function collectMethods(stmt: Stmt, cls: ClassInfo, chunk: Chunk): void {
  if (stmt.type === 'FunctionDef') cls.methods.set(stmt.name, new FunctionInfo(stmt, chunk, cls.scope, cls));
  else if (stmt.type === 'If' || stmt.type === 'Try') for (const block of blocksOf(stmt)) for (const s of block) collectMethods(s, cls, chunk);
}

/** Finds the project's own modules for the imports of one module (cross-file analysis). */
export interface ModuleLinker {
  /**
   * The scope of the project module a dotted name (`pkg.utils`, relative `.utils`, `..pkg.mod`)
   * names from this module, or undefined where it is not one of the project's files.
   */
  moduleScope(name: string): Scope | undefined;
}

export class Scope {
  readonly imports = new Map<string, string>();
  readonly starImports: string[] = [];
  readonly bindings = new Map<string, Binding[]>();
  readonly functions = new Map<string, FunctionInfo>();
  readonly classes = new Map<string, ClassInfo>();
  readonly params = new Set<string>();
  fn?: FunctionInfo;
  cls?: ClassInfo;
  /** The module's chunks (module scope only). */
  chunks: Chunk[] = [];
  /** Module scope only: the file, when this is another module of the project than the one analysed. */
  file?: string;
  /** Module scope only: how imports of the project's own modules are found. */
  linker?: ModuleLinker;
  /** Module scope only: a package's `__init__` (its submodules are its attributes). */
  isPackage?: boolean;

  constructor(readonly kind: 'module' | 'class' | 'function', readonly chunk: Chunk | undefined, readonly parent?: Scope) {}

  addBinding(name: string, binding: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(binding);
    else this.bindings.set(name, [binding]);
  }

  /** The innermost scope that binds `name` (Python's LEGB without builtins). */
  lookup(name: string): Scope | undefined {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      if (scope.kind === 'class' && scope !== this) continue; // methods do not see class-level names
      if (scope.imports.has(name) || scope.bindings.has(name) || scope.functions.has(name) || scope.classes.has(name) || scope.params.has(name)) return scope;
    }
    return undefined;
  }

  get module(): Scope {
    let scope: Scope = this;
    while (scope.parent) scope = scope.parent;
    return scope;
  }
}

export function buildModuleScope(chunks: Chunk[]): Scope {
  const scope = new Scope('module', undefined);
  scope.chunks = chunks;
  for (const chunk of chunks) {
    const outline = chunk.parsed.partial ? chunk.parsed.memo.facts?.outline : undefined;
    if (!outline) {
      collectBindings(chunk.body, scope, chunk);
    } else if (outline.kind === 'def') {
      // Not parsed unless asked: only its name is needed to know what a call reaches.
      scope.functions.set(outline.name, new FunctionInfo(() => chunk.body[0] as FunctionDefStmt, chunk, scope, undefined, outline.name));
    } else {
      scope.classes.set(outline.name, new ClassInfo(() => chunk.body[0] as ClassDefStmt, chunk, scope, outline.name));
    }
  }
  return scope;
}

/** Nested statement lists, not entering function or class bodies (their own scopes). */
function blocksOf(stmt: Stmt): Stmt[][] {
  return stmt.type === 'FunctionDef' || stmt.type === 'ClassDef' ? [] : childBlocks(stmt);
}

/** Records what every statement in a body binds, without entering nested functions or classes. */
function collectBindings(body: Stmt[], scope: Scope, chunk: Chunk): void {
  for (const stmt of body) {
    switch (stmt.type) {
      case 'Import':
        for (const alias of stmt.names) {
          if (alias.asname) scope.imports.set(alias.asname, alias.name);
          else scope.imports.set(alias.name.split('.')[0], alias.name.split('.')[0]);
        }
        break;
      case 'ImportFrom': {
        // `from .mod import f` is `.mod.f`; `from . import mod` is `.mod` (the dots say how far up).
        const dots = '.'.repeat(stmt.level);
        const module = dots + stmt.module;
        for (const alias of stmt.names) {
          if (alias.name === '*') scope.starImports.push(module);
          else scope.imports.set(alias.asname ?? alias.name, stmt.module ? `${module}.${alias.name}` : dots + alias.name);
        }
        break;
      }
      case 'FunctionDef':
        scope.functions.set(stmt.name, new FunctionInfo(stmt, chunk, scope, scope.kind === 'class' ? scope.cls : undefined));
        break;
      case 'ClassDef':
        if (scope.kind !== 'class') scope.classes.set(stmt.name, new ClassInfo(stmt, chunk, scope));
        break;
      case 'Assign':
        if (stmt.value) {
          for (const target of stmt.targets) bindTarget(target, stmt.value, stmt, scope, chunk, stmt.op ? 'augmented' : 'assign');
        }
        break;
      case 'For':
        bindTarget(stmt.target, stmt.iter, stmt, scope, chunk, 'for');
        break;
      case 'With':
        for (const item of stmt.items) if (item.target) bindTarget(item.target, item.context, stmt, scope, chunk, 'with');
        break;
    }
    for (const expr of ownExpressions(stmt)) {
      // `(x := value)` binds x in this scope (comprehensions included, lambdas have their own).
      walkExpr(expr, (e) => e.type === 'NamedExpr' && bindTarget(e.target, e.value, stmt, scope, chunk, 'assign'));
    }
    for (const block of blocksOf(stmt)) collectBindings(block, scope, chunk);
  }
}

/** The expressions a statement evaluates itself (not those of nested statements). */
function ownExpressions(stmt: Stmt): Expr[] {
  switch (stmt.type) {
    case 'Expr': return [stmt.value];
    case 'Assign': return stmt.value ? [stmt.value] : [];
    case 'If': case 'While': return [stmt.test];
    case 'For': return [stmt.iter];
    case 'With': return stmt.items.map((i) => i.context);
    case 'Return': return stmt.value ? [stmt.value] : [];
    case 'Assert': return [stmt.test];
    default: return [];
  }
}

function bindTarget(target: Expr, value: Expr, stmt: Stmt, scope: Scope, chunk: Chunk, how: Binding['how'], index?: number): void {
  if (target.type === 'Name') {
    scope.addBinding(target.id, { value, target, chunk, stmt, index, how });
  } else if ((target.type === 'Tuple' || target.type === 'List') && index === undefined) {
    target.elts.forEach((elt, i) => bindTarget(elt.type === 'Starred' ? elt.value : elt, value, stmt, scope, chunk, how, i));
  }
}

function collectSelfAttributes(body: Stmt[], cls: ClassInfo, chunk: Chunk): void {
  for (const stmt of body) {
    if (stmt.type === 'Assign' && stmt.value) {
      for (const target of stmt.targets) {
        const targets = target.type === 'Tuple' || target.type === 'List' ? target.elts : [target];
        targets.forEach((t, i) => {
          if (t.type === 'Attribute' && t.value.type === 'Name' && t.value.id === 'self') {
            const binding: Binding = { value: stmt.value!, target: t, chunk, stmt, index: targets.length > 1 ? i : undefined, how: 'assign' };
            const list = cls.selfAttributes.get(t.attr);
            if (list) list.push(binding);
            else cls.selfAttributes.set(t.attr, [binding]);
          }
        });
      }
    }
    if (stmt.type !== 'FunctionDef' && stmt.type !== 'ClassDef') for (const block of blocksOf(stmt)) collectSelfAttributes(block, cls, chunk);
  }
}

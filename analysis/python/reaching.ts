// Which bindings of a name can reach a use of it: a rebinding (`optimizer = wrap(optimizer)`,
// `model, optimizer = amp.initialize(model, optimizer)`, a `for`/`with … as`/walrus target)
// replaces what the name held before, and only the bindings that survive on some path to the use
// say what the name is there. Computed once per scope by a structured walk of its body (branches
// merge, loops run to a fixed point, `break`/`continue` carry their state to where they lead).
import type { Expr, NameExpr, Stmt } from './ast';
import { walkExpr } from './ast';
import type { Binding, Scope } from './scopes';

/** The value a parameter had on entry (before any rebinding in the body). */
export const PARAMETER = 'parameter' as const;
export type Definition = Binding | typeof PARAMETER;

/** What a scope's walk found: the definitions reaching each use of a name, and those reaching the end. */
export interface ReachingDefinitions {
  at: Map<NameExpr, readonly Definition[]>;
  end: Map<string, readonly Definition[]>;
}

type State = Map<string, Definition[]> | null;

interface LoopTargets {
  breaks: State[];
  continues: State[];
}

const cache = new WeakMap<Scope, ReachingDefinitions>();

/** Reaching definitions of a function or module scope (undefined for class bodies: they are not walked). */
export function reachingDefinitions(scope: Scope): ReachingDefinitions | undefined {
  if (scope.kind === 'class') return undefined;
  let found = cache.get(scope);
  if (!found) {
    found = new Walker(scope).run();
    cache.set(scope, found);
  }
  return found;
}

class Walker {
  private readonly at = new Map<NameExpr, readonly Definition[]>();
  /** Each binding by the syntax node of its target, to know what an assignment binds. */
  private readonly byTarget = new Map<Expr, Binding>();
  private readonly loops: LoopTargets[] = [];

  constructor(private readonly scope: Scope) {
    for (const list of scope.bindings.values()) for (const binding of list) this.byTarget.set(binding.target, binding);
  }

  run(): ReachingDefinitions {
    const state: Map<string, Definition[]> = new Map();
    for (const param of this.scope.params) state.set(param, [PARAMETER]);
    let end: State = state;
    if (this.scope.kind === 'function' && this.scope.fn) end = this.block(this.scope.fn.def.body, end);
    else for (const chunk of this.scope.chunks) if (!chunk.parsed.partial) end = this.block(chunk.body, end);
    return { at: this.at, end: end ?? new Map() };
  }

  private tracked(name: string): boolean {
    return this.scope.bindings.has(name) || this.scope.params.has(name);
  }

  private block(stmts: Stmt[], state: State): State {
    for (const stmt of stmts) state = this.statement(stmt, state);
    return state;
  }

  private statement(stmt: Stmt, state: State): State {
    if (!state) {
      // Unreachable code still has uses: they see nothing this walk can vouch for.
      state = new Map();
    }
    switch (stmt.type) {
      case 'Expr':
        this.loads(stmt.value, state);
        return state;
      case 'Assign': {
        if (stmt.value) this.loads(stmt.value, state);
        for (const target of stmt.targets) this.targetLoads(target, state);
        for (const target of stmt.targets) this.bind(target, state, stmt.op !== undefined);
        return state;
      }
      case 'Delete':
        for (const target of stmt.targets) {
          if (target.type === 'Name') state.set(target.id, []);
          else this.loads(target, state);
        }
        return state;
      case 'Assert':
        this.loads(stmt.test, state);
        return state;
      case 'Return':
        if (stmt.value) this.loads(stmt.value, state);
        return null;
      case 'Raise':
        if (stmt.exc) this.loads(stmt.exc, state);
        return null;
      case 'Break':
        this.loops[this.loops.length - 1]?.breaks.push(state);
        return null;
      case 'Continue':
        this.loops[this.loops.length - 1]?.continues.push(state);
        return null;
      case 'If': {
        this.loads(stmt.test, state);
        const then = this.block(stmt.body, copy(state));
        const otherwise = this.block(stmt.orelse, copy(state));
        return merge(then, otherwise);
      }
      case 'For':
      case 'While':
        return this.loop(stmt, state);
      case 'With': {
        for (const item of stmt.items) {
          this.loads(item.context, state);
          if (item.target) this.bind(item.target, state, false);
        }
        return this.block(stmt.body, state);
      }
      case 'Try': {
        const before = copy(state);
        const body = this.block(stmt.body, state);
        // An exception may leave the body anywhere: a handler sees what held before or after it.
        const handlerEntry = merge(before, body && copy(body));
        let out = body ? this.block(stmt.orelse, body) : null;
        for (const handler of stmt.handlers) out = merge(out, this.block(handler.body, copy(handlerEntry)));
        if (!stmt.finalbody.length) return out;
        return this.block(stmt.finalbody, out ?? copy(handlerEntry));
      }
      case 'Match': {
        this.loads(stmt.subject, state);
        let out: State = copy(state);
        for (const c of stmt.cases) out = merge(out, this.block(c.body, copy(state)));
        return out;
      }
      default:
        return state;
    }
  }

  private loop(stmt: Extract<Stmt, { type: 'For' | 'While' }>, state: Map<string, Definition[]>): State {
    if (stmt.type === 'For') this.loads(stmt.iter, state);
    // Passes after the first start from what the previous pass left: run the body until the
    // definitions at its head stop growing (they only grow, so this ends; two or three passes).
    let head: Map<string, Definition[]> = copy(state)!;
    let exits: State[] = [];
    for (let pass = 0; pass < 8; pass++) {
      const targets: LoopTargets = { breaks: [], continues: [] };
      this.loops.push(targets);
      const entry = copy(head)!;
      if (stmt.type === 'For') this.bind(stmt.target, entry, false);
      else this.loads(stmt.test, entry);
      const end = this.block(stmt.body, entry);
      this.loops.pop();
      exits = targets.breaks;
      const next = merge(merge(copy(state), end), ...targets.continues)!;
      if (sameDefinitions(next, head)) break;
      head = next;
    }
    if (stmt.type === 'While') this.loads(stmt.test, head);
    // The loop ends normally (zero passes, or the condition fails) through `else`, or by `break`.
    const normal = this.block(stmt.orelse, copy(head));
    return merge(normal, ...exits);
  }

  /** Records the definitions reaching every tracked name read in `expr` (lambdas and comprehensions included). */
  private loads(expr: Expr, state: Map<string, Definition[]>): void {
    walkExpr(expr, (e) => {
      if (e.type === 'Name') {
        if (this.tracked(e.id)) this.at.set(e, state.get(e.id) ?? []);
      } else if (e.type === 'NamedExpr') {
        // `(x := f())` binds x in this scope, after its value.
        this.bind(e.target, state, false);
      }
    });
  }

  /** Names read by a target (`a[i] = …` reads a and i; `self.x = …` reads self). */
  private targetLoads(target: Expr, state: Map<string, Definition[]>): void {
    if (target.type === 'Attribute') this.loads(target.value, state);
    else if (target.type === 'Subscript') {
      this.loads(target.value, state);
      this.loads(target.index, state);
    } else if (target.type === 'Tuple' || target.type === 'List') for (const elt of target.elts) this.targetLoads(elt, state);
    else if (target.type === 'Starred') this.targetLoads(target.value, state);
  }

  private bind(target: Expr, state: Map<string, Definition[]>, augmented: boolean): void {
    if (target.type === 'Name') {
      if (!this.tracked(target.id)) return;
      const binding = this.byTarget.get(target);
      // `x += …` changes the value in place or rebinds it to something of the same kind.
      if (augmented) {
        if (binding) state.set(target.id, [...(state.get(target.id) ?? []), binding]);
        return;
      }
      state.set(target.id, binding ? [binding] : []);
    } else if (target.type === 'Tuple' || target.type === 'List') {
      for (const elt of target.elts) this.bind(elt, state, augmented);
    } else if (target.type === 'Starred') {
      this.bind(target.value, state, augmented);
    }
  }
}

function copy(state: State): State {
  if (!state) return null;
  const out = new Map<string, Definition[]>();
  for (const [name, defs] of state) out.set(name, [...defs]);
  return out;
}

function merge(first: State, ...others: State[]): State {
  let out: State = first;
  for (const other of others) {
    if (!other) continue;
    if (!out) {
      out = copy(other);
      continue;
    }
    for (const [name, defs] of other) {
      const known = out.get(name);
      if (!known) {
        // A name one side binds and the other does not: on the other side it keeps nothing known.
        out.set(name, [...defs]);
        continue;
      }
      for (const def of defs) if (!known.includes(def)) known.push(def);
    }
  }
  return out;
}

function sameDefinitions(a: Map<string, Definition[]>, b: Map<string, Definition[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, defs] of a) {
    const other = b.get(name);
    if (!other || other.length !== defs.length || defs.some((d) => !other.includes(d))) return false;
  }
  return true;
}

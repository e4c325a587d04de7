// Builds a unit's flow graph from Python statements: one node per statement that does something
// to gradients, branches with their conditions, loops with back edges and zero-trip exits,
// try/finally, break/continue/return/raise. Calls to helpers in the same file are inlined (their
// events appear where the call is), as are closures handed to `optimizer.step(closure)`.
import type { Guard, IterableUse, Site, StepEvent } from '../model/events';
import { FlowGraph } from '../model/graph';
import { DEAD, FlowWiring, type BranchTest, type Jumps } from '../model/flow-builder';
import type { CallExpr, Expr, Span, Stmt } from './ast';
import { childBlocks, walkExpr } from './ast';
import { collectCalls } from './evaluation-order';
import type { Chunk } from './module';
import type { FunctionInfo, Scope } from './scopes';
import type { Environment, Resolver } from './resolve';
import { classifyCall, type EventDraft } from './calls';
import { addTargetNames, assignedNames, conditionFacts, iterationKey, NEVER_EMPTY, stepsItsTarget, variesWhenTested } from './conditions';
import { SYNC_KEY } from '../model/events';
import { mayTouchGradients } from './relevance';
import { clearsEveryGradient } from './clears';
import { consumptions, creations, iteration, type UsePlace } from './iterable-uses';
import { carriesItsOnlyStatement, hasBlocks, isAccumulateContext, originOf, type Frame } from './flow-frame';

export { originOf };

const MAX_INLINE_DEPTH = 4;
/** Graph size past which no further helper is inlined (a chain of large trainers across modules). */
const MAX_INLINED_NODES = 3000;

export class FlowBuilder {
  readonly graph = new FlowGraph();
  private readonly wiring = new FlowWiring(this.graph);
  /** Iterables (by emptiness key) that some loop steps or clears the elements of: the optimizers, never empty. */
  private readonly optimizerCollections = new Set<string>();

  constructor(private readonly resolver: Resolver) {}

  build(body: Stmt[], scope: Scope, chunk: Chunk, env?: Environment): FlowGraph {
    this.noteOptimizerLoops(body, chunk, env);
    return this.finish(this.continueWith(body, scope, chunk, this.graph.entry, env));
  }

  /** Remembers the iterables of loops in `body` that step or clear their elements (before any of it is built). */
  noteOptimizerLoops(body: Stmt[], chunk: Chunk, env: Environment | undefined): void {
    const visit = (stmts: Stmt[]) => {
      for (const stmt of stmts) {
        if (stmt.type === 'For' && stepsItsTarget(stmt)) this.optimizerCollections.add(iterationKey(stmt.iter, chunk, env));
        if (stmt.type !== 'FunctionDef' && stmt.type !== 'ClassDef') for (const block of childBlocks(stmt)) visit(block);
      }
    };
    visit(body);
  }

  /** Adds statements after node `current` (module code is built statement by statement, each with its chunk). */
  continueWith(body: Stmt[], scope: Scope, chunk: Chunk, current: number, env?: Environment, moduleLevel = false): number {
    const frame: Frame = { scope, env, chunk, via: [], guards: [], loops: [], jumps: this.wiring.jumps(), inlining: scope.fn ? [scope.fn] : [], accumulate: false, enclosing: [], sole: false, moduleLevel, graphScopes: [scope], varyingInLoops: [] };
    return this.block(body, current, frame);
  }

  finish(end: number): FlowGraph {
    if (end !== DEAD) this.graph.connect(end, this.graph.exit);
    return this.graph.compacted();
  }

  /** Builds statements from node `current`; returns the node control continues from. */
  private block(stmts: Stmt[], current: number, frame: Frame): number {
    const sole = stmts.length === 1 && !(frame.moduleLevel && frame.enclosing.length === 0);
    return this.wiring.sequence(stmts, current, (stmt, at) => this.statement(stmt, at, { ...frame, sole }));
  }

  private statement(stmt: Stmt, current: number, outer: Frame): number {
    const frame: Frame = hasBlocks(stmt) ? { ...outer, enclosing: [...outer.enclosing, { stmt, sole: outer.sole }] } : outer;
    switch (stmt.type) {
      case 'FunctionDef':
      case 'ClassDef':
      case 'Pass':
      case 'Global':
      case 'Nonlocal':
      case 'Error':
      case 'Import':
      case 'ImportFrom':
        return current;
      case 'Expr':
        return this.emitExpressions([stmt.value], stmt, current, frame);
      case 'Assign': {
        current = this.emitExpressions(stmt.value ? [stmt.value, ...stmt.targets] : stmt.targets, stmt, current, frame);
        current = this.emitUses(creations(stmt, this.place(frame)), current);
        if (stmt.value?.type === 'Constant' && stmt.value.kind === 'none' && stmt.targets.some((t) => this.clearsEveryGradient(t, stmt, frame))) {
          current = this.emitDraft({ kind: 'zero' }, stmt, stmt, current, frame);
        }
        return current;
      }
      case 'Delete':
        current = this.emitExpressions(stmt.targets, stmt, current, frame);
        return stmt.targets.some((t) => this.clearsEveryGradient(t, stmt, frame)) ? this.emitDraft({ kind: 'zero' }, stmt, stmt, current, frame) : current;
      case 'Assert':
        return this.emitExpressions([stmt.test], stmt, current, frame);
      case 'Return':
        if (stmt.value) current = this.emitExpressions([stmt.value], stmt, current, frame);
        return this.wiring.returnFrom(current, frame.jumps);
      case 'Raise':
        if (stmt.exc) current = this.emitExpressions([stmt.exc], stmt, current, frame);
        return this.wiring.raiseFrom(current, frame.jumps);
      case 'Break':
        return this.wiring.breakFrom(current, frame.jumps);
      case 'Continue':
        return this.wiring.continueFrom(current, frame.jumps);
      case 'If':
        return this.ifStatement(stmt, current, frame);
      case 'For':
      case 'While':
        return this.loop(stmt, current, frame);
      case 'With': {
        current = this.emitExpressions(stmt.items.map((i) => i.context), stmt, current, frame);
        const accumulate = stmt.items.some((i) => isAccumulateContext(i.context));
        return this.block(stmt.body, current, accumulate ? { ...frame, accumulate: true } : frame);
      }
      case 'Try':
        return this.tryStatement(stmt, current, frame);
      case 'Match': {
        current = this.emitExpressions([stmt.subject], stmt, current, frame);
        // No case is taken for a default (`case _:` too may not be reached when a guard fails).
        const cases = stmt.cases.map((c) => ({ build: (entry: number) => this.block(c.body, entry, frame) }));
        return this.wiring.cases(current, frame.jumps, cases, { fallThrough: false });
      }
    }
  }

  private ifStatement(stmt: Extract<Stmt, { type: 'If' }>, current: number, frame: Frame): number {
    current = this.emitExpressions([stmt.test], stmt, current, frame);
    const facts = conditionFacts(stmt.test, frame.chunk, frame.scope, frame.env, this.resolver);
    this.noteTested([...facts.whenTrue, ...facts.whenFalse].map((c) => c.key), frame);
    // Everything a branch implies (`a and b` true: a and b) guards the events inside it.
    return this.wiring.branch(current, facts satisfies BranchTest, (polarity, entry, implied) =>
      this.block(polarity ? stmt.body : stmt.orelse, entry, { ...frame, guards: [...frame.guards, ...implied] }),
    );
  }

  /** Condition keys tested in the enclosing loops' bodies: those that may change by being evaluated again. */
  private noteTested(keys: string[], frame: Frame): void {
    for (const key of keys) if (variesWhenTested(key)) for (const varying of frame.varyingInLoops) varying.add(key);
  }

  private loop(stmt: Extract<Stmt, { type: 'For' | 'While' }>, current: number, frame: Frame): number {
    const assigned = assignedNames(stmt.body);
    if (stmt.type === 'For') addTargetNames(stmt.target, assigned);
    const varying = new Set<string>();
    const body = (entry: number, jumps: Jumps, runs: Guard | undefined) =>
      this.block(stmt.body, entry, { ...frame, jumps, loops: [...frame.loops, { span: stmt }], guards: runs ? [...frame.guards, runs] : frame.guards, varyingInLoops: [...frame.varyingInLoops, varying] });
    const orElse = (entry: number) => this.block(stmt.orelse, entry, frame);
    const changes = { assigned, varying };
    if (stmt.type === 'While') {
      const exits = conditionFacts(stmt.test, frame.chunk, frame.scope, frame.env, this.resolver).constant !== true;
      return this.wiring.loop(current, frame.jumps, { changes, test: { build: (header) => this.emitExpressions([stmt.test], stmt, header, frame), exits }, body, orElse });
    }
    // A `for` decides once, before its first pass, whether it runs at all; two loops over the
    // same (unchanged) iterable agree on it (`for opt in optimizers:` zeroing, later stepping).
    // A loop that steps or clears what it iterates runs over the optimizers (a run that trains has
    // one), and so does every loop over the same iterable (`for opt in optimizers: scaler.unscale_(opt)`).
    const key = iterationKey(stmt.iter, frame.chunk, frame.env);
    const emptiness = this.optimizerCollections.has(key) ? NEVER_EMPTY : key;
    const before = (at: number) => {
      at = this.emitExpressions([stmt.iter], stmt, at, frame);
      at = this.emitUses(iteration(stmt.iter, stmt.iter, this.place(frame)), at);
      this.noteTested([emptiness], frame);
      return at;
    };
    return this.wiring.loop(current, frame.jumps, { changes, before, each: { emptiness: emptiness === NEVER_EMPTY ? undefined : emptiness }, body, orElse });
  }

  private tryStatement(stmt: Extract<Stmt, { type: 'Try' }>, current: number, frame: Frame): number {
    const block = (stmts: Stmt[]) => (at: number, jumps: Jumps) => this.block(stmts, at, { ...frame, jumps });
    return this.wiring.tryStatement(current, frame.jumps, {
      body: block(stmt.body),
      orElse: block(stmt.orelse),
      handlers: stmt.handlers.map((handler) => block(handler.body)),
      finally: stmt.finalbody.length ? block(stmt.finalbody) : undefined,
    });
  }

  /** Appends the events of the calls in `exprs` (evaluation order) after `current`. */
  private emitExpressions(exprs: Expr[], stmt: Stmt, current: number, frame: Frame): number {
    const calls: CallExpr[] = [];
    for (const expr of exprs) collectCalls(expr, calls);
    for (const call of calls) {
      const meaning = classifyCall(call, { scope: frame.scope, env: frame.env, chunk: frame.chunk, resolver: this.resolver, loops: frame.loops, graphScopes: frame.graphScopes });
      if (!meaning || meaning.kind === 'helper') current = this.emitUses(consumptions(call, this.place(frame)), current);
      if (!meaning) continue;
      if (meaning.kind === 'helper') {
        const before = this.graph.nodes.length;
        // Inside an optimizer's own `step` (a wrapper class of the project), clearing is its business.
        const owner = meaning.stands?.optimizer;
        current = this.inline(meaning.fn, meaning.env, call, stmt, current, owner ? { ...frame, within: owner } : frame);
        // A method that does the thing itself (a custom optimizer's `step` updating `p.data`) is that event.
        const stands = meaning.stands;
        if (stands && !this.graph.nodes.slice(before).some((n) => n.events.some((e) => e.kind === stands.kind))) current = this.emitEvent(stands, call, stmt, current, frame);
        continue;
      }
      current = this.emitEvent(meaning.draft, call, stmt, current, frame);
    }
    for (const expr of exprs) {
      walkExpr(expr, (e) => {
        if (e.type === 'Comprehension') for (const generator of e.generators) current = this.emitUses(iteration(generator.iter, e, this.place(frame)), current);
      });
    }
    return current;
  }

  private emitEvent(draft: EventDraft, call: CallExpr, stmt: Stmt, current: number, frame: Frame): number {
    // A hand-written clear (`p.grad.zero_()`) is a zero event only where it clears every gradient.
    if (draft.clears && !this.clearsEveryGradient(draft.clears, stmt, frame)) return current;
    if (draft.closure) current = this.inlineClosure(draft.closure, call, stmt, current, frame);
    current = this.emitDraft(draft, call, stmt, current, frame);
    // The clip iterates its parameters: a one-shot iterable is used up from here on.
    const oneShot = draft.clip?.parameters?.oneShot;
    if (oneShot) current = this.emitUse({ key: oneShot.key, kind: 'consume', by: 'clip', range: frame.chunk.range(call.start, call.end), guards: frame.guards }, current);
    return current;
  }

  /** Uses of one-shot iterables, each in a node of its own after `current`. */
  private emitUses(uses: IterableUse[], current: number): number {
    for (const use of uses) current = this.emitUse(use, current);
    return current;
  }

  private place(frame: Frame): UsePlace {
    return { scope: frame.scope, env: frame.env, chunk: frame.chunk, guards: frame.guards, resolver: this.resolver };
  }

  private emitUse(use: IterableUse, current: number): number {
    const g = this.graph;
    if (current === DEAD) current = g.addNode().id;
    const node = g.addNode([], [use]).id;
    g.connect(current, node);
    return node;
  }

  private site(span: Span, stmt: Stmt, frame: Frame): Site {
    // The statement itself, or the `if` (no else, nothing else inside) wrapping it.
    let moving: Span = stmt;
    let sole = frame.sole;
    let container: Span | undefined;
    for (let i = frame.enclosing.length - 1; i >= 0; i--) {
      const parent = frame.enclosing[i].stmt;
      if (parent === stmt) continue;
      if (!sole || !carriesItsOnlyStatement(parent)) {
        container = parent;
        break;
      }
      moving = parent;
      sole = frame.enclosing[i].sole;
    }
    const file = frame.scope.module.file;
    return {
      ...(file !== undefined ? { file } : {}),
      range: frame.chunk.range(span.start, span.end),
      statementRange: frame.chunk.range(stmt.start, stmt.end),
      movable: { range: frame.chunk.range(moving.start, moving.end), soleInBlock: sole, container: container && frame.chunk.range(container.start, container.end) },
      body: frame.scope.fn ? `${frame.chunk.id}:${frame.scope.fn.def.start}` : 'module',
      loops: frame.loops.map((loop) => frame.chunk.range(loop.span.start, loop.span.end)),
    };
  }

  private emitDraft(draft: EventDraft, span: Span, stmt: Stmt, current: number, frame: Frame): number {
    const g = this.graph;
    const site = this.site(span, stmt, frame);
    const { closure, clears: _clears, ...rest } = draft;
    const event: StepEvent = { ...rest, ...(closure ? { computesGradients: true } : {}), ...(frame.within && !rest.optimizer ? { within: frame.within } : {}), site, via: frame.via, origin: originOf(site.range, draft.kind), guards: frame.guards };
    if (current === DEAD) current = g.addNode().id;
    if (frame.accumulate && (draft.kind === 'step' || draft.kind === 'zero') && !frame.guards.some((guard) => guard.key === SYNC_KEY)) {
      // Under `accelerator.accumulate`, the wrapped optimizer steps (and zeroes) only on sync passes.
      const node = g.addNode([{ ...event, guards: [...frame.guards, { key: SYNC_KEY, polarity: true, accumulation: true }] }]).id;
      const join = g.addNode().id;
      g.connect(current, node, { conditions: [{ key: SYNC_KEY, polarity: true }] });
      g.connect(current, join, { conditions: [{ key: SYNC_KEY, polarity: false }] });
      g.connect(node, join);
      return join;
    }
    const node = g.addNode([event]).id;
    g.connect(current, node);
    return node;
  }

  private clearsEveryGradient(target: Expr, stmt: Stmt, frame: Frame): boolean {
    const grad = target.type === 'Attribute' && target.attr === 'grad' ? target : undefined;
    return !!grad && clearsEveryGradient(grad, stmt, frame.enclosing.map((e) => e.stmt));
  }

  /** `ownBody`: a closure written inside this unit, whose findings belong at its own lines. */
  private inline(fn: FunctionInfo, env: Environment, call: CallExpr, stmt: Stmt, current: number, frame: Frame, ownBody = false): number {
    if (frame.inlining.includes(fn) || frame.inlining.length >= MAX_INLINE_DEPTH || !mayTouchGradients(fn, this.resolver)) return current;
    const g = this.graph;
    if (g.nodes.length > MAX_INLINED_NODES) {
      // Helpers of helpers past this size are not followed; what the graph says is then not the
      // whole story, and no placement finding is drawn from it.
      g.incomplete = true;
      return current;
    }
    // A helper read only by its header that reaches a gradient helper of another module: its body.
    fn = fn.withBody() ?? fn;
    const entry = g.addNode().id;
    const after = g.addNode().id;
    g.connect(current, entry);
    const inner: Frame = {
      scope: fn.scope,
      env,
      chunk: fn.chunk,
      via: ownBody ? frame.via : [...frame.via, this.site(call, stmt, frame)],
      guards: frame.guards,
      loops: [],
      // A helper's `return` comes back here; its `break` leaves no loop of the caller.
      jumps: this.wiring.jumps(after),
      inlining: [...frame.inlining, fn],
      varyingInLoops: frame.varyingInLoops,
      graphScopes: [...frame.graphScopes, fn.scope],
      accumulate: frame.accumulate,
      within: frame.within,
      enclosing: [],
      sole: false,
      moduleLevel: false,
    };
    this.noteOptimizerLoops(fn.def.body, fn.chunk, env);
    const end = this.block(fn.def.body, entry, inner);
    if (end !== DEAD) g.connect(end, after);
    return after;
  }

  /** `optimizer.step(closure)`: the closure's backward (and anything else) runs before the step. */
  private inlineClosure(closure: Expr, call: CallExpr, stmt: Stmt, current: number, frame: Frame): number {
    if (closure.type === 'Lambda') return this.emitExpressions([closure.body], stmt, current, frame);
    const fn = this.resolver.calledFunction(closure, frame.scope);
    if (!fn) return current;
    return this.inline(fn, { params: new Map() }, call, stmt, current, frame, fn.parent === frame.scope);
  }
}

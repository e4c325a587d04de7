// Builds a unit's flow graph from TypeScript statements: one node per statement with training
// events. Which statement is which construct, and its condition keys, are said here; the wiring
// (branches, loops with back edges and zero-trip exits, switch with fall-through, try/catch/finally,
// break/continue with labels, return and throw) is the shared one in model/flow-builder.ts.
// Nested functions are units of their own and are not entered; a call to a helper of the same
// file (helpers.ts) has the helper's body built in place, its events inlined through the call.
import ts from 'typescript';
import type { Range } from '../api';
import type { Guard, Site, StepEvent } from '../model/events';
import { FlowGraph } from '../model/graph';
import { DEAD, FlowWiring, type BranchTest, type CaseSpec, type Jumps } from '../model/flow-builder';
import type { LineMap } from '../text';
import { classifyCalls, TFJS_WORDS, type Bindings, type CallMeaning } from './vocabulary';
import { GradientValues } from './gradient-values';
import { runsArgument } from './tfjs';
import { clipDetails, tfjsClipDetails, type Spans } from './clip-details';
import { assignedInLoop, emptinessOf, isAccumulationCondition, variesWhenTested } from './loop-changes';
import { functionName, type HelperFunction, type SameFileHelpers } from './helpers';

const MAX_INLINE_DEPTH = 4;
/** Graph size past which no further helper is inlined. */
const MAX_INLINED_NODES = 3000;

/** How the builder inlines helpers of the file. */
export interface Inlining {
  helpers?: SameFileHelpers;
  /** The functions being built, outermost first (the unit's own, then each helper): none is entered again. */
  stack: readonly ts.Node[];
  /** The helper calls this builder's events are inlined through, outermost first. */
  via: Site[];
}

interface Frame {
  guards: Guard[];
  loops: Range[];
  /** Where return, throw, break and continue go; without it, this builder's own exit (a callback's end). */
  jumps?: Jumps;
  /** Per enclosing loop: the condition keys its body tests that vary when evaluated again. */
  varying?: Set<string>[];
  /** The label written on the statement being built. */
  label?: string;
}

export class TypeScriptFlowBuilder {
  readonly graph = new FlowGraph();
  private readonly wiring = new FlowWiring(this.graph);
  private readonly ownJumps = this.wiring.jumps();

  constructor(
    private readonly file: ts.SourceFile,
    private readonly lines: LineMap,
    private readonly bindings: Bindings,
    private readonly body: string,
    /** The unit's gradient values, when this builds a callback inlined into it (null: the unit has none). */
    private values?: GradientValues | null,
    private readonly inlining: Inlining = { stack: [], via: [] },
  ) {}

  /** The unit's statements (the gradient values are read from them). */
  private roots: readonly ts.Node[] = [];

  build(statements: readonly ts.Statement[]): FlowGraph {
    this.roots = statements;
    const end = this.block(statements, this.graph.entry, { guards: [], loops: [] });
    if (end !== DEAD) this.graph.connect(end, this.graph.exit);
    const graph = this.graph.compacted();
    if (this.dispatches()) graph.orderIsData = true;
    return graph;
  }

  /** Per `switch`, the kinds of training call each of its cases makes (an interpreter's cases). */
  private readonly caseKinds = new Map<ts.Node, Map<ts.Node, Set<string>>>();

  /**
   * A `switch` with cases that each make one kind of training call, different ones (`case
   * 'backward': …`, `case 'step': …`): it runs whichever call its data names. (A switch on a mode
   * whose cases each hold a whole loop body is no dispatcher.)
   */
  private dispatches(): boolean {
    for (const clauses of this.caseKinds.values()) {
      const single = new Set<string>();
      for (const own of clauses.values()) if (own.size === 1) single.add([...own][0]);
      if (single.size >= 2) return true;
    }
    return false;
  }

  private noteCase(call: ts.Node, kind: string): void {
    for (let n: ts.Node | undefined = call.parent; n && !ts.isSourceFile(n); n = n.parent) {
      if (ts.isCaseClause(n) || ts.isDefaultClause(n)) {
        const owner = n.parent.parent;
        let clauses = this.caseKinds.get(owner);
        if (!clauses) this.caseKinds.set(owner, (clauses = new Map()));
        let kinds = clauses.get(n);
        if (!kinds) clauses.set(n, (kinds = new Set()));
        kinds.add(kind);
        return;
      }
    }
  }

  /** How the clip facts read a node's text and range. */
  private readonly spans: Spans = { text: (node) => this.text(node), range: (node) => this.range(node) };

  private range(node: ts.Node): Range {
    return { start: this.lines.position(node.getStart(this.file)), end: this.lines.position(node.end) };
  }

  private text(node: ts.Node): string {
    return node.getText(this.file);
  }

  private block(statements: readonly ts.Statement[], current: number, frame: Frame): number {
    return this.wiring.sequence(statements, current, (statement, at) => this.statement(statement, at, frame));
  }

  private nested(statement: ts.Statement, current: number, frame: Frame): number {
    return ts.isBlock(statement) ? this.block(statement.statements, current, frame) : this.statement(statement, current, frame);
  }

  private statement(node: ts.Statement, current: number, outer: Frame): number {
    const label = outer.label;
    const frame: Frame = label === undefined ? outer : { ...outer, label: undefined };
    const jumps = frame.jumps ?? this.ownJumps;
    if (ts.isBlock(node)) return this.block(node.statements, current, frame);
    if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isImportDeclaration(node) || ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node)) return current;
    if (ts.isLabeledStatement(node)) {
      const inner = node.statement;
      const name = node.label.text;
      // A loop or switch takes its label; any other statement is a block that `break name` leaves.
      if (ts.isIterationStatement(inner, false) || ts.isSwitchStatement(inner)) return this.statement(inner, current, { ...frame, label: name });
      return this.wiring.labelled(current, jumps, name, (at, within) => this.statement(inner, at, { ...frame, jumps: within }));
    }
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isExportAssignment(node)) return this.emit(node, node, current, frame);
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
      if (node.expression) current = this.emit(node.expression, node, current, frame);
      return ts.isReturnStatement(node) ? this.wiring.returnFrom(current, jumps) : this.wiring.raiseFrom(current, jumps);
    }
    if (ts.isBreakStatement(node)) return this.wiring.breakFrom(current, jumps, node.label?.text);
    if (ts.isContinueStatement(node)) return this.wiring.continueFrom(current, jumps, node.label?.text);
    if (ts.isIfStatement(node)) return this.ifStatement(node, current, frame);
    if (ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) return this.loop(node, current, frame, label);
    if (ts.isSwitchStatement(node)) {
      current = this.emit(node.expression, node, current, frame);
      const cases: CaseSpec[] = node.caseBlock.clauses.map((clause) => ({
        isDefault: ts.isDefaultClause(clause),
        build: (entry, within) => this.block(clause.statements, entry, { ...frame, jumps: within }),
      }));
      return this.wiring.cases(current, jumps, cases, { fallThrough: true, label });
    }
    if (ts.isTryStatement(node)) {
      const block = (statements: readonly ts.Statement[]) => (at: number, within: Jumps) => this.block(statements, at, { ...frame, jumps: within });
      const { catchClause, finallyBlock } = node;
      return this.wiring.tryStatement(current, jumps, {
        body: block(node.tryBlock.statements),
        // The catch may run after any part of the try: from its start and its end.
        handlers: catchClause ? [block(catchClause.block.statements)] : [],
        finally: finallyBlock ? block(finallyBlock.statements) : undefined,
      });
    }
    // Anything else (`with`, `debugger`, an empty statement, a declaration in error): its expressions in order.
    return this.emit(node, node, current, frame);
  }

  private condition(expression: ts.Expression): { key: string; polarity: boolean } {
    let polarity = true;
    let e = expression;
    for (;;) {
      if (ts.isParenthesizedExpression(e)) e = e.expression;
      else if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
        polarity = !polarity;
        e = e.operand;
      } else break;
    }
    return { key: this.text(e).replace(/\s+/g, ''), polarity };
  }

  /** A condition key tested in the enclosing loops' bodies: remembered by those loops when it varies on evaluation. */
  private noteTested(key: string, frame: Frame): void {
    if (variesWhenTested(key)) for (const varying of frame.varying ?? []) varying.add(key);
  }

  private ifStatement(node: ts.IfStatement, current: number, frame: Frame): number {
    current = this.emit(node.expression, node, current, frame);
    const { key, polarity } = this.condition(node.expression);
    this.noteTested(key, frame);
    const test: BranchTest = { whenTrue: [{ key, polarity }], whenFalse: [{ key, polarity: !polarity }], accumulation: isAccumulationCondition(key) };
    return this.wiring.branch(current, test, (taken, entry, guards) => {
      const body = taken ? node.thenStatement : node.elseStatement;
      return body ? this.nested(body, entry, { ...frame, guards: [...frame.guards, ...guards] }) : entry;
    });
  }

  private loop(node: ts.IterationStatement, current: number, frame: Frame, label: string | undefined): number {
    const jumps = frame.jumps ?? this.ownJumps;
    const range = this.range(node);
    const varying = new Set<string>();
    const changes = { assigned: assignedInLoop(node), varying };
    const body = (entry: number, within: Jumps, runs: Guard | undefined) =>
      this.nested(node.statement, entry, { ...frame, jumps: within, loops: [...frame.loops, range], guards: runs ? [...frame.guards, runs] : frame.guards, varying: [...(frame.varying ?? []), varying] });
    /** The test and update are part of each pass: their events sit in the loop. */
    const inLoop: Frame = { ...frame, loops: [...frame.loops, range] };
    if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      const iterable = node.expression;
      const emptiness = emptinessOf(iterable, (n) => this.text(n));
      const before = (at: number) => {
        at = this.emit(iterable, node, at, frame);
        if (emptiness !== undefined) this.noteTested(emptiness, frame);
        return at;
      };
      return this.wiring.loop(current, jumps, { label, changes, before, each: { emptiness }, body });
    }
    const test = ts.isForStatement(node) ? node.condition : ts.isWhileStatement(node) || ts.isDoStatement(node) ? node.expression : undefined;
    const forever = ts.isForStatement(node) ? !node.condition || node.condition.kind === ts.SyntaxKind.TrueKeyword : test?.kind === ts.SyntaxKind.TrueKeyword;
    if (ts.isDoStatement(node)) {
      return this.wiring.loop(current, jumps, { label, changes, body, latch: { build: (from) => this.emit(node.expression, node, from, inLoop), exits: !forever } });
    }
    const initializer = ts.isForStatement(node) ? node.initializer : undefined;
    const incrementor = ts.isForStatement(node) ? node.incrementor : undefined;
    return this.wiring.loop(current, jumps, {
      label,
      changes,
      before: initializer && ((at) => this.emit(initializer, node, at, frame)),
      test: { build: (header) => (test ? this.emit(test, node, header, inLoop) : header), exits: !forever },
      latch: incrementor && { build: (from) => this.emit(incrementor, node, from, inLoop), exits: false },
      body,
    });
  }

  /** Gradient values of the unit, in code that uses TensorFlow.js (built on first use). */
  private gradientValues(): GradientValues | undefined {
    if (this.values === undefined) {
      const uses = this.roots.some((root) => TFJS_WORDS.test(root.getText(this.file)));
      const isOptimizer = (receiver: ts.Expression) => this.bindings.kindOf(receiver) === 'optimizer';
      this.values = uses ? new GradientValues(this.roots, this.file, this.bindings, this.bindings.clipHelpers, isOptimizer) : null;
    }
    return this.values ?? undefined;
  }

  /**
   * Events of the calls in `node` in evaluation order (arguments before the call), in nodes after
   * `current`. A function written as an argument that the call runs right away (`tf.tidy(() => …)`,
   * `noGrad`, `optimizer.minimize(() => …)`, and in tfjs code `.forEach`/`.map` callbacks, once per
   * element) is part of the flow there; functions that run later (`.then`, `setTimeout`, `fit`
   * callbacks) are units of their own.
   */
  private emit(node: ts.Node, statement: ts.Node, current: number, frame: Frame): number {
    let events: StepEvent[] = [];
    const flush = () => {
      if (!events.length) return;
      const added = this.graph.addNode(events).id;
      this.graph.connect(current, added);
      current = added;
      events = [];
    };
    const visit = (n: ts.Node): void => {
      if (ts.isClassLike(n)) return;
      if (ts.isFunctionLike(n)) {
        const runs = this.runsNow(n);
        const body = runs && 'body' in n ? n.body : undefined;
        if (!body) return;
        if (!ts.isBlock(body)) return visit(body);
        flush();
        current = this.inline(n, body, runs!, current, frame);
        return;
      }
      ts.forEachChild(n, visit);
      if (ts.isCallExpression(n)) {
        const meanings = classifyCalls(n, this.bindings, (x) => this.text(x), this.gradientValues());
        for (const meaning of meanings) {
          events.push(this.event(n, meaning, statement, frame));
          this.noteCase(n, meaning.kind);
        }
        const helper = meanings.length ? undefined : this.inlining.helpers?.resolve(n);
        if (helper) {
          flush();
          current = this.inlineHelper(helper, n, statement, current, frame);
        }
      }
    };
    visit(node);
    flush();
    return current;
  }

  /** How the call a function is written in runs it: now, once per element, or not known to (undefined). */
  private runsNow(fn: ts.SignatureDeclaration): 'now' | 'each' | undefined {
    const call = fn.parent;
    if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
    if (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) return undefined;
    const runs = runsArgument(call, fn, this.bindings, (receiver) => this.bindings.kindOf(receiver) === 'optimizer');
    return runs === 'each' && !this.gradientValues() ? undefined : runs;
  }

  /**
   * A callback's body built in place: its own statements (a `return` ends the callback, not the
   * unit), under the guards and loops around the call; once per element, a loop. Its statements
   * are a body of their own, so no fix moves code in or out of it.
   */
  private inline(fn: ts.Node, body: ts.Block, runs: 'now' | 'each', current: number, frame: Frame): number {
    const g = this.graph;
    const sub = new TypeScriptFlowBuilder(this.file, this.lines, this.bindings, `${this.body}>${fn.getStart(this.file)}`, this.gradientValues() ?? null, this.inlining);
    const inner: Frame = { guards: frame.guards, loops: runs === 'each' ? [...frame.loops, this.range(fn)] : frame.loops };
    const { entry, exit } = this.splice(sub, sub.block(body.statements, sub.graph.entry, inner));
    if (runs === 'now') {
      g.connect(current, entry);
      return exit;
    }
    const header = g.addNode().id;
    const after = g.addNode().id;
    g.connect(current, header);
    g.connect(header, entry);
    g.connect(exit, header, { back: true });
    g.connect(header, after);
    return after;
  }

  /** A sub-builder's graph, ended at `end`, copied into this graph: where it starts and ends here. */
  private splice(sub: TypeScriptFlowBuilder, end: number): { entry: number; exit: number } {
    const g = this.graph;
    for (const [owner, clauses] of sub.caseKinds) {
      const mine = this.caseKinds.get(owner) ?? new Map<ts.Node, Set<string>>();
      for (const [clause, kinds] of clauses) mine.set(clause, new Set([...(mine.get(clause) ?? []), ...kinds]));
      this.caseKinds.set(owner, mine);
    }
    if (end !== DEAD) sub.graph.connect(end, sub.graph.exit);
    if (sub.graph.incomplete) g.incomplete = true;
    const offset = g.nodes.length;
    for (const node of sub.graph.nodes) g.addNode(node.events, node.uses);
    for (const node of sub.graph.nodes) {
      for (const edge of node.next) {
        const { to, ...extra } = edge;
        g.connect(node.id + offset, to + offset, extra);
      }
    }
    return { entry: sub.graph.entry + offset, exit: sub.graph.exit + offset };
  }

  /**
   * A call to a helper of the file: the helper's body built in place, as Python's front end does
   * it: its events keep their own sites (in the helper's body, its own loops) and origins, and are
   * inlined through the call (`via`); its conditions add to the guards around the call; its
   * `return` comes back to the call. A helper already being built is not entered again, nor any
   * past a depth of four. In TensorFlow.js code gradients are values handed across
   * the call, which the values of one unit do not follow: no helper is inlined there.
   */
  private inlineHelper(fn: HelperFunction, call: ts.CallExpression, statement: ts.Node, current: number, frame: Frame): number {
    const { stack, via } = this.inlining;
    if (stack.includes(fn) || stack.length >= MAX_INLINE_DEPTH) return current;
    if (this.gradientValues() || TFJS_WORDS.test(fn.getText(this.file))) return current;
    if (this.graph.nodes.length > MAX_INLINED_NODES) {
      // What the graph says is then not the whole story: no placement finding is drawn from it.
      this.graph.incomplete = true;
      return current;
    }
    const inlining: Inlining = { ...this.inlining, stack: [...stack, fn], via: [...via, this.site(call, statement, frame)] };
    const sub = new TypeScriptFlowBuilder(this.file, this.lines, this.bindings, `${functionName(fn)}@${fn.getStart(this.file)}`, null, inlining);
    const inner: Frame = { guards: frame.guards, loops: [], varying: frame.varying };
    const body = fn.body;
    const end = ts.isBlock(body) ? sub.block(body.statements, sub.graph.entry, inner) : sub.emit(body, body, sub.graph.entry, inner);
    const { entry, exit } = this.splice(sub, end);
    this.graph.connect(current, entry);
    return exit;
  }

  private site(call: ts.Node, statement: ts.Node, frame: Frame): Site {
    return { range: this.range(call), statementRange: this.range(statement), movable: this.movable(statement), body: this.body, loops: frame.loops };
  }

  private event(call: ts.CallExpression, meaning: CallMeaning, statement: ts.Node, frame: Frame): StepEvent {
    const site = this.site(call, statement, frame);
    const range = site.range;
    const event: StepEvent = { kind: meaning.kind, site, via: this.inlining.via, origin: `${range.start.line}:${range.start.character}:${meaning.kind}`, guards: frame.guards };
    if (meaning.kind === 'backward' && meaning.scaler) {
      event.scaled = true;
      event.scaler = meaning.scaler;
    }
    if (meaning.kind === 'step' || meaning.kind === 'zero' || meaning.kind === 'unscale') event.optimizer = meaning.optimizer;
    if ((meaning.kind === 'step' || meaning.kind === 'unscale') && meaning.scaler) event.scaler = meaning.scaler;
    if (meaning.kind === 'clip') event.clip = meaning.library ? tfjsClipDetails(call, meaning.clipKind, meaning.resolved, meaning.missing, this.spans) : clipDetails(call, meaning.clipKind, meaning.resolved, this.spans);
    if (meaning.kind === 'backward' && meaning.makes) event.gradients = { makes: meaning.makes };
    if (meaning.kind === 'step' && meaning.computesGradients) event.computesGradients = true;
    if (meaning.kind === 'step' && meaning.applies) {
      const { ids, argument, inScope } = meaning.applies;
      event.gradients = { applies: ids && [...ids].sort(), inScope, argument: argument && { range: this.range(argument), text: this.text(argument) } };
    }
    if (meaning.kind === 'clip' && meaning.value) {
      const v = meaning.value;
      event.gradients = { makes: v.makes, reads: [...v.reads].sort(), inPlace: v.inPlace, holder: v.holder, definite: v.definite, rebound: v.rebound || undefined, carriers: v.carriers.length ? v.carriers : undefined, escapes: v.escapes, perExample: v.perExample || undefined };
    }
    return event;
  }

  /** What moves with the statement: it, or an `if` without `else` that holds only it. */
  private movable(statement: ts.Node): Site['movable'] {
    let moving: ts.Node = statement;
    const parent = statement.parent;
    const onlyIn = (block: ts.Node) => ts.isBlock(block) && block.statements.length === 1;
    if (parent && ts.isIfStatement(parent) && !parent.elseStatement && parent.thenStatement === statement) moving = parent;
    else if (parent && onlyIn(parent) && parent.parent && ts.isIfStatement(parent.parent) && !parent.parent.elseStatement && parent.parent.thenStatement === parent) moving = parent.parent;
    const holder = moving.parent;
    const soleInBlock = !!holder && (onlyIn(holder) || (!ts.isBlock(holder) && !ts.isSourceFile(holder) && !ts.isCaseClause(holder)));
    let container: ts.Node | undefined = holder;
    while (container && (ts.isBlock(container) || ts.isCaseClause(container) || ts.isCaseBlock(container))) container = container.parent;
    const inside = container && !ts.isSourceFile(container) && !ts.isFunctionLike(container) ? this.range(container) : undefined;
    return inside ? { range: this.range(moving), soleInBlock, container: inside } : { range: this.range(moving), soleInBlock };
  }
}

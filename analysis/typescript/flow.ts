// Builds a unit's flow graph from TypeScript statements: one node per statement with training
// events, `if` branches carrying their conditions, loops with back edges (and zero-trip exits),
// switch, try/catch/finally, break/continue (labels too), return and throw. Nested functions are
// units of their own and are not entered.
import ts from 'typescript';
import type { Range } from '../api';
import type { ClipDetails, Guard, Site, StepEvent, ThresholdArgument } from '../model/events';
import { FlowGraph } from '../model/graph';
import type { LineMap } from '../text';
import { classifyCalls, TFJS_WORDS, type Bindings, type CallMeaning } from './vocabulary';
import { GradientValues } from './gradient-values';
import { runsArgument } from './tfjs';
import { clipApi } from './clip-api';

const DEAD = -1;

interface LoopTarget {
  header: number;
  after: number;
  label?: string;
  /** A switch: `break` leaves it, `continue` goes to the loop around it. */
  isSwitch?: boolean;
}

interface Frame {
  guards: Guard[];
  loops: Range[];
  targets: LoopTarget[];
  container?: Range;
  label?: string;
}

export class TypeScriptFlowBuilder {
  readonly graph = new FlowGraph();

  constructor(
    private readonly file: ts.SourceFile,
    private readonly lines: LineMap,
    private readonly bindings: Bindings,
    private readonly body: string,
    /** The unit's gradient values, when this builds a callback inlined into it (null: the unit has none). */
    private values?: GradientValues | null,
  ) {}

  /** The unit's statements (the gradient values are read from them). */
  private roots: readonly ts.Node[] = [];

  build(statements: readonly ts.Statement[]): FlowGraph {
    this.roots = statements;
    const end = this.block(statements, this.graph.entry, { guards: [], loops: [], targets: [] });
    if (end !== DEAD) this.graph.connect(end, this.graph.exit);
    return this.graph.compacted();
  }

  private range(node: ts.Node): Range {
    return { start: this.lines.position(node.getStart(this.file)), end: this.lines.position(node.end) };
  }

  private text(node: ts.Node): string {
    return node.getText(this.file);
  }

  private block(statements: readonly ts.Statement[], current: number, frame: Frame): number {
    for (const statement of statements) {
      if (current === DEAD) current = this.graph.addNode().id;
      current = this.statement(statement, current, frame);
    }
    return current;
  }

  private nested(statement: ts.Statement, current: number, frame: Frame): number {
    return ts.isBlock(statement) ? this.block(statement.statements, current, frame) : this.statement(statement, current, frame);
  }

  private statement(node: ts.Statement, current: number, outer: Frame): number {
    const g = this.graph;
    const label = outer.label;
    const frame: Frame = { ...outer, label: undefined };
    if (ts.isBlock(node)) return this.block(node.statements, current, frame);
    if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isImportDeclaration(node) || ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node)) return current;
    if (ts.isLabeledStatement(node)) return this.statement(node.statement, current, { ...frame, label: node.label.text });
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isExportAssignment(node)) return this.emit(node, node, current, frame);
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
      if (node.expression) current = this.emit(node.expression, node, current, frame);
      g.connect(current, g.exit);
      return DEAD;
    }
    if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) {
      const isBreak = ts.isBreakStatement(node);
      const wanted = node.label?.text;
      const targets = [...frame.targets].reverse();
      const target = targets.find((t) => (wanted ? t.label === wanted : isBreak || !t.isSwitch));
      if (target) {
        if (isBreak) g.connect(current, target.after);
        else g.connect(current, target.header, { back: true });
      }
      return DEAD;
    }
    if (ts.isIfStatement(node)) return this.ifStatement(node, current, frame);
    if (ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) return this.loop(node, current, frame, label);
    if (ts.isSwitchStatement(node)) {
      current = this.emit(node.expression, node, current, frame);
      const after = g.addNode().id;
      const inner: Frame = { ...frame, container: this.range(node), targets: [...frame.targets, { header: current, after, label, isSwitch: true }] };
      let fallthrough = DEAD;
      let hasDefault = false;
      for (const clause of node.caseBlock.clauses) {
        if (ts.isDefaultClause(clause)) hasDefault = true;
        const entry = g.addNode().id;
        g.connect(current, entry);
        if (fallthrough !== DEAD) g.connect(fallthrough, entry);
        fallthrough = this.block(clause.statements, entry, inner);
      }
      if (fallthrough !== DEAD) g.connect(fallthrough, after);
      if (!hasDefault) g.connect(current, after);
      return after;
    }
    if (ts.isTryStatement(node)) {
      const inner: Frame = { ...frame, container: this.range(node) };
      const start = current;
      const tryEnd = this.block(node.tryBlock.statements, current, inner);
      const join = g.addNode().id;
      if (tryEnd !== DEAD) g.connect(tryEnd, join);
      if (node.catchClause) {
        // The catch may run after any part of the try: from its start and its end.
        const entry = g.addNode().id;
        g.connect(start, entry);
        if (tryEnd !== DEAD) g.connect(tryEnd, entry);
        const end = this.block(node.catchClause.block.statements, entry, inner);
        if (end !== DEAD) g.connect(end, join);
      }
      if (!node.finallyBlock) return g.nodes[join].prev.length ? join : DEAD;
      if (!g.nodes[join].prev.length) g.connect(start, join);
      return this.block(node.finallyBlock.statements, join, inner);
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

  private ifStatement(node: ts.IfStatement, current: number, frame: Frame): number {
    const g = this.graph;
    current = this.emit(node.expression, node, current, frame);
    const { key, polarity } = this.condition(node.expression);
    const accumulation = /%|accum|sync/i.test(key);
    const join = g.addNode().id;
    let reachable = false;
    const branch = (body: ts.Statement | undefined, taken: boolean) => {
      const entry = g.addNode().id;
      const p = taken ? polarity : !polarity;
      g.connect(current, entry, { conditions: [{ key, polarity: p }] });
      const inner: Frame = { ...frame, container: this.range(node), guards: [...frame.guards, { key, polarity: p, accumulation }] };
      const end = body ? this.nested(body, entry, inner) : entry;
      if (end !== DEAD) {
        g.connect(end, join);
        reachable = true;
      }
    };
    branch(node.thenStatement, true);
    branch(node.elseStatement, false);
    return reachable ? join : DEAD;
  }

  private loop(node: ts.IterationStatement, current: number, frame: Frame, label: string | undefined): number {
    const g = this.graph;
    if (ts.isForStatement(node) && node.initializer) current = this.emit(node.initializer, node, current, frame);
    if (ts.isForOfStatement(node) || ts.isForInStatement(node)) current = this.emit(node.expression, node, current, frame);
    const header = g.addNode().id;
    const after = g.addNode().id;
    g.connect(current, header);
    const range = this.range(node);
    const inner: Frame = { ...frame, container: range, loops: [...frame.loops, range], targets: [...frame.targets, { header, after, label }] };
    const test = ts.isForStatement(node) ? node.condition : ts.isWhileStatement(node) || ts.isDoStatement(node) ? node.expression : undefined;
    const forever = ts.isForStatement(node) ? !node.condition || node.condition.kind === ts.SyntaxKind.TrueKeyword : test?.kind === ts.SyntaxKind.TrueKeyword;
    const bodyEntry = g.addNode().id;
    if (ts.isDoStatement(node)) {
      g.connect(header, bodyEntry);
      const end = this.nested(node.statement, bodyEntry, inner);
      if (end !== DEAD) {
        const tested = this.emit(node.expression, node, end, inner);
        g.connect(tested, header, { back: true });
        if (!forever) g.connect(tested, after);
      }
      return g.nodes[after].prev.length ? after : DEAD;
    }
    let tested = header;
    if (test) tested = this.emit(test, node, header, inner);
    g.connect(tested, bodyEntry);
    if (!forever) g.connect(tested, after);
    let end = this.nested(node.statement, bodyEntry, inner);
    if (end !== DEAD && ts.isForStatement(node) && node.incrementor) end = this.emit(node.incrementor, node, end, inner);
    if (end !== DEAD) g.connect(end, header, { back: true });
    return g.nodes[after].prev.length ? after : DEAD;
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
        for (const meaning of classifyCalls(n, this.bindings, (x) => this.text(x), this.gradientValues())) events.push(this.event(n, meaning, statement, frame));
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
    const sub = new TypeScriptFlowBuilder(this.file, this.lines, this.bindings, `${this.body}>${fn.getStart(this.file)}`, this.gradientValues() ?? null);
    const inner: Frame = { guards: frame.guards, loops: runs === 'each' ? [...frame.loops, this.range(fn)] : frame.loops, targets: [] };
    const end = sub.block(body.statements, sub.graph.entry, inner);
    if (end !== DEAD) sub.graph.connect(end, sub.graph.exit);
    const offset = g.nodes.length;
    for (const node of sub.graph.nodes) g.addNode(node.events, node.uses);
    for (const node of sub.graph.nodes) {
      for (const edge of node.next) {
        const { to, ...extra } = edge;
        g.connect(node.id + offset, to + offset, extra);
      }
    }
    const entry = sub.graph.entry + offset;
    const exit = sub.graph.exit + offset;
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

  private event(call: ts.CallExpression, meaning: CallMeaning, statement: ts.Node, frame: Frame): StepEvent {
    const range = this.range(call);
    const site: Site = { range, statementRange: this.range(statement), movable: this.movable(statement), body: this.body, loops: frame.loops };
    const event: StepEvent = { kind: meaning.kind, site, via: [], origin: `${range.start.line}:${range.start.character}`, guards: frame.guards };
    if (meaning.kind === 'backward' && meaning.scaler) {
      event.scaled = true;
      event.scaler = meaning.scaler;
    }
    if (meaning.kind === 'step' || meaning.kind === 'zero' || meaning.kind === 'unscale') event.optimizer = meaning.optimizer;
    if ((meaning.kind === 'step' || meaning.kind === 'unscale') && meaning.scaler) event.scaler = meaning.scaler;
    if (meaning.kind === 'clip') event.clip = meaning.library ? this.tfjsClipDetails(call, meaning.clipKind, meaning.resolved, meaning.missing) : this.clipDetails(call, meaning.clipKind, meaning.resolved);
    if (meaning.kind === 'backward' && meaning.makes) event.gradients = { makes: meaning.makes };
    if (meaning.kind === 'step' && meaning.computesGradients) event.computesGradients = true;
    if (meaning.kind === 'step' && meaning.applies) {
      const { ids, argument, inScope } = meaning.applies;
      event.gradients = { applies: ids && [...ids].sort(), inScope, argument: argument && { range: this.range(argument), text: this.text(argument) } };
    }
    if (meaning.kind === 'clip' && meaning.value) {
      const v = meaning.value;
      event.gradients = { makes: v.makes, reads: [...v.reads].sort(), inPlace: v.inPlace, holder: v.holder, definite: v.definite, escapes: v.escapes };
    }
    return event;
  }

  /** A TensorFlow.js clip (`tf.clipByValue`, a helper of the file) or a tfjs clip API that does not exist (`tf.clipByNorm`). */
  private tfjsClipDetails(call: ts.CallExpression, by: 'norm' | 'value', resolved: string, missing: boolean | undefined): ClipDetails {
    const name = resolved.slice(resolved.lastIndexOf('.') + 1);
    return {
      callee: this.text(call.expression),
      calleeRange: this.range(call.expression),
      resolved,
      kind: missing ? 'missing' : by,
      api: { library: 'tfjs', name, by, thresholdMeaningKnown: false },
      missing: missing
        ? { why: 'no-function', raises: 'TypeError', use: ['tf.clipByValue(grad, -clipValue, clipValue)', 'grad.mul(tf.minimum(1, tf.div(maxNorm, tf.norm(grad))))'] }
        : undefined,
      measuresOnly: false,
      thresholds: [],
    };
  }

  private clipDetails(call: ts.CallExpression, kind: 'norm' | 'value', resolved: string): ClipDetails {
    const thresholds: ThresholdArgument[] = [];
    const threshold = call.arguments[1];
    let value: number | undefined;
    if (threshold) {
      value = numberOf(threshold);
      thresholds.push({ parameter: kind === 'norm' ? 'max_norm' : 'clip_value', text: this.text(threshold), range: this.range(threshold), value });
    }
    return {
      callee: this.text(call.expression),
      calleeRange: this.range(call.expression),
      resolved,
      kind,
      api: clipApi(resolved, kind),
      maxNorm: kind === 'norm' ? value : undefined,
      clipValue: kind === 'value' ? value : undefined,
      measuresOnly: kind === 'norm' && value === Infinity,
      thresholds,
    };
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

function numberOf(node: ts.Expression): number | undefined {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
  if (ts.isIdentifier(node) && node.text === 'Infinity') return Infinity;
  if (ts.isPropertyAccessExpression(node) && node.getText() === 'Number.POSITIVE_INFINITY') return Infinity;
  return undefined;
}

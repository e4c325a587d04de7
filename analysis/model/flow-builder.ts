// The language-neutral wiring of a unit's flow graph, as Pyright's binder has label helpers: a
// front end walks its own syntax, says which construct each statement is, and builds the events
// of its expressions; these helpers connect the nodes — sequences (code after a jump still gets a
// node), branches with their conditions and guards, loops with header, back edge, zero-trip exit
// and `else`, switches with or without fall-through, try/except/finally (every way out of the
// body runs its own copy of the `finally`), and return, raise, break and continue (labels too).
import type { Guard } from './events';
import type { FlowGraph, LoopChanges } from './graph';
import { Jumps, Route, type Destination, type JumpTarget, type Way } from './jumps';

export { Jumps, type Destination, type JumpTarget, type Way } from './jumps';

/** "Control does not reach here" (after return, break, raise). */
export const DEAD = -1;

/** A condition as a branch sees it: what each side implies, and whether it is constant. */
export interface BranchTest {
  whenTrue: ReadonlyArray<{ key: string; polarity: boolean }>;
  whenFalse: ReadonlyArray<{ key: string; polarity: boolean }>;
  /** Known truth value (`if True:`): the other side is never built. */
  constant?: boolean;
  /** The condition counts micro-batches: the guards it puts on events say so. */
  accumulation: boolean;
}

/** A loop, as its front end describes it; each part builds from a node and returns where control goes on. */
export interface LoopSpec {
  label?: string;
  /** What the body may change from pass to pass: what the back edges forget. */
  changes: LoopChanges;
  /** What runs once before the loop (the iterable's events, a `for (;;)`'s initializer), after the loop's own nodes exist. */
  before?(current: number): number;
  /**
   * A loop over an iterable (`for … in`, `for … of`): decided once before the first pass whether
   * it runs at all, by the condition "the iterable is empty" (`emptiness`); none when it cannot be.
   */
  each?: { emptiness?: string };
  /** Tested before every pass (`while`, `for (;;)`): its events after the header, and whether it can be false. */
  test?: { build(header: number): number; exits: boolean };
  /** Run after each pass and on `continue`, before the next (`for (;;)`'s update, `do … while`'s test); whether it can end the loop. */
  latch?: { build(from: number): number; exits: boolean };
  /** `runs`: the guard "the iterable was not empty" that events inside know, when there is one. */
  body(entry: number, jumps: Jumps, runs: Guard | undefined): number;
  /** Python's `else` of a loop: runs when the loop ends without `break` (the zero-trip path too). */
  orElse?(entry: number): number;
}

export interface CaseSpec {
  /** `default:` (a switch with one has no way past every case). */
  isDefault?: boolean;
  build(entry: number, jumps: Jumps): number;
}

export interface TrySpec {
  body(current: number, jumps: Jumps): number;
  /** Python's `else` of a `try`: after the body, when it raised nothing. */
  orElse?(from: number, jumps: Jumps): number;
  handlers: ReadonlyArray<(entry: number, jumps: Jumps) => number>;
  /** Built once per way out of the body and the handlers (return, raise, break, continue, falling off the end). */
  finally?(from: number, jumps: Jumps): number;
}

export class FlowWiring {
  constructor(readonly graph: FlowGraph) {}

  /** Where jumps go in a body whose `return` leads to `returnTo` (the unit's exit, or after an inlined helper). */
  jumps(returnTo: number = this.graph.exit): Jumps {
    return new Jumps({ to: returnTo }, { to: this.graph.exit }, []);
  }

  /** Items one after another; code after a jump is unreachable but still gets a graph. */
  sequence<T>(items: readonly T[], current: number, build: (item: T, current: number) => number): number {
    for (const item of items) {
      if (current === DEAD) current = this.graph.addNode().id;
      current = build(item, current);
    }
    return current;
  }

  /** The guards each side of a branch puts on the events inside it: everything it implies. */
  guardsOf(test: BranchTest, polarity: boolean): Guard[] {
    return (polarity ? test.whenTrue : test.whenFalse).map((c) => ({ key: c.key, polarity: c.polarity, accumulation: test.accumulation }));
  }

  /** `if`/`else` (an `elif` is an `if` in the `else`): each side from its own entry, joined after. */
  branch(current: number, test: BranchTest, build: (polarity: boolean, entry: number, guards: Guard[]) => number): number {
    const g = this.graph;
    const join = g.addNode().id;
    let reachable = false;
    for (const polarity of [true, false]) {
      if (test.constant === !polarity) continue;
      const entry = g.addNode().id;
      g.connect(current, entry, { conditions: polarity ? test.whenTrue : test.whenFalse });
      const end = build(polarity, entry, this.guardsOf(test, polarity));
      if (end !== DEAD) {
        g.connect(end, join);
        reachable = true;
      }
    }
    return reachable ? join : DEAD;
  }

  loop(current: number, jumps: Jumps, spec: LoopSpec): number {
    const g = this.graph;
    const after = g.addNode().id;
    const bodyEntry = g.addNode().id;
    const elseEntry = g.addNode().id;
    /** Where passes after the first begin (back edges and `continue` lead here). */
    const header = g.addNode().id;
    const latchEntry = spec.latch ? g.addNode().id : undefined;
    const back: Destination = { to: header, edge: { back: true, changes: spec.changes } };
    let exits = true;
    let runs: Guard | undefined;
    if (spec.before) current = spec.before(current);
    if (spec.each) {
      const { emptiness } = spec.each;
      if (emptiness === undefined) g.connect(current, bodyEntry);
      else {
        g.connect(current, bodyEntry, { conditions: [{ key: emptiness, polarity: false }] });
        g.connect(current, elseEntry, { conditions: [{ key: emptiness, polarity: true }] });
        // Whatever runs in the body knows the iterable was not empty (a later loop over it runs too).
        runs = { key: emptiness, polarity: false, accumulation: false };
      }
      g.connect(header, bodyEntry);
      g.connect(header, elseEntry);
    } else {
      g.connect(current, header);
      const headerEnd = spec.test ? spec.test.build(header) : header;
      exits = spec.test ? spec.test.exits : false;
      g.connect(headerEnd, bodyEntry);
      if (exits) g.connect(headerEnd, elseEntry);
    }
    const target: JumpTarget = { label: spec.label, loop: true, breakTo: { to: after }, continueTo: latchEntry === undefined ? back : { to: latchEntry } };
    const end = spec.body(bodyEntry, jumps.within(target), runs);
    if (latchEntry === undefined) {
      if (end !== DEAD) this.reach(end, back);
    } else if (spec.latch) {
      if (end !== DEAD) g.connect(end, latchEntry);
      if (g.nodes[latchEntry].prev.length) {
        const latchEnd = spec.latch.build(latchEntry);
        this.reach(latchEnd, back);
        if (spec.latch.exits) {
          g.connect(latchEnd, elseEntry);
          exits = true;
        }
      }
    }
    if (exits) {
      // The zero-trip path and the normal exit run the `else` clause.
      const elseEnd = spec.orElse ? spec.orElse(elseEntry) : elseEntry;
      if (elseEnd !== DEAD) g.connect(elseEnd, after);
    }
    return g.nodes[after].prev.length ? after : DEAD;
  }

  /**
   * A choice among cases (`match`, `switch`): each from the start; with `fallThrough` a case that
   * does not jump runs on into the next, and `break` leaves the switch. Past every case unless one
   * is the default.
   */
  cases(current: number, jumps: Jumps, cases: readonly CaseSpec[], options: { fallThrough: boolean; label?: string }): number {
    const g = this.graph;
    const join = g.addNode().id;
    if (!cases.some((c) => c.isDefault)) g.connect(current, join); // no case matched
    const inner = options.fallThrough ? jumps.within({ label: options.label, loop: false, breakTo: { to: join } }) : jumps;
    let previous = DEAD;
    for (const c of cases) {
      const entry = g.addNode().id;
      g.connect(current, entry);
      if (options.fallThrough && previous !== DEAD) g.connect(previous, entry);
      const end = c.build(entry, inner);
      if (!options.fallThrough) {
        if (end !== DEAD) g.connect(end, join);
      } else previous = end;
    }
    if (previous !== DEAD) g.connect(previous, join);
    return g.nodes[join].prev.length ? join : DEAD;
  }

  /** A labelled statement that is no loop (`done: { … break done; … }`): `break label` leaves it. */
  labelled(current: number, jumps: Jumps, label: string, build: (current: number, jumps: Jumps) => number): number {
    const g = this.graph;
    const after = g.addNode().id;
    const end = build(current, jumps.within({ label, loop: false, breakTo: { to: after } }));
    if (end !== DEAD) g.connect(end, after);
    return g.nodes[after].prev.length ? after : DEAD;
  }

  returnFrom(current: number, jumps: Jumps): number {
    this.reach(current, jumps.returnTo);
    return DEAD;
  }

  raiseFrom(current: number, jumps: Jumps): number {
    this.reach(current, jumps.raiseTo);
    return DEAD;
  }

  /** `break` (the innermost loop or switch, or the one labelled `label`); nowhere outside one. */
  breakFrom(current: number, jumps: Jumps, label?: string): number {
    const target = jumps.breakTarget(label);
    if (target) this.reach(current, target.breakTo);
    return DEAD;
  }

  /** `continue` (the innermost loop, or the one labelled `label`). */
  continueFrom(current: number, jumps: Jumps, label?: string): number {
    const target = jumps.continueTarget(label);
    if (target?.continueTo) this.reach(current, target.continueTo);
    return DEAD;
  }

  tryStatement(current: number, jumps: Jumps, spec: TrySpec): number {
    const g = this.graph;
    const start = current;
    // With a `finally`, every way out of the body and the handlers (return, break, continue,
    // raise) runs the `finally` block first: each leads to its own copy of it, then on.
    const routed = spec.finally ? jumps.throughFinally(() => g.addNode().id) : undefined;
    const guarded = routed?.jumps ?? jumps;
    const bodyEnd = spec.body(current, guarded);
    const ends: number[] = [];
    const elseEnd = bodyEnd === DEAD || !spec.orElse ? bodyEnd : spec.orElse(bodyEnd, guarded);
    if (elseEnd !== DEAD) ends.push(elseEnd);
    for (const handler of spec.handlers) {
      // An exception may come before or after the body's events.
      const entry = g.addNode().id;
      g.connect(start, entry);
      if (bodyEnd !== DEAD) g.connect(bodyEnd, entry);
      const end = handler(entry, guarded);
      if (end !== DEAD) ends.push(end);
    }
    if (!routed || !spec.finally) {
      if (!ends.length) return DEAD;
      const join = g.addNode().id;
      for (const end of ends) g.connect(end, join);
      return join;
    }
    const runFinally = spec.finally.bind(spec);
    for (const route of routed.routes()) {
      const { node, then } = route;
      if (node === undefined || then === undefined || !g.nodes[node].prev.length) continue;
      const end = runFinally(node, jumps);
      if (end !== DEAD) this.reach(end, then);
    }
    if (!ends.length) return DEAD;
    const finallyEntry = g.addNode().id;
    for (const end of ends) g.connect(end, finallyEntry);
    return runFinally(finallyEntry, jumps);
  }

  /** An edge from `from` to where a jump goes (through a `finally` on the way, if any). */
  reach(from: number, way: Way): void {
    if (way instanceof Route) this.graph.connect(from, way.enter());
    else this.graph.connect(from, way.to, way.edge);
  }
}

// Where return, raise, break and continue lead from a point of a body being built: the unit's exit
// or an inlined helper's end, the loops and switches around it (by label too), and, inside a `try`
// with a `finally`, that `finally` first (a route per way out, each followed by its own copy).
import type { Edge } from './graph';

/** A node a jump goes to, and the edge it takes (a loop's back edge for `continue`). */
export interface Destination {
  to: number;
  edge?: Omit<Edge, 'to'>;
}

/** The entry of a `finally` copy that a jump runs before going on to `then`. */
export class Route {
  node?: number;

  constructor(
    /** Where control goes after the `finally` (undefined: no jump of this kind can be written here). */
    readonly then: Way | undefined,
    private readonly make: () => number,
  ) {}

  enter(): number {
    return (this.node ??= this.make());
  }
}

export type Way = Destination | Route;

export interface JumpTarget {
  label?: string;
  /** A loop (`continue` goes to it); otherwise a switch or a labelled block, which only `break` leaves. */
  loop: boolean;
  breakTo: Way;
  continueTo?: Way;
}

export class Jumps {
  constructor(
    readonly returnTo: Way,
    readonly raiseTo: Way,
    /** Loops, switches and labelled blocks around the point, innermost last. */
    readonly targets: readonly JumpTarget[],
  ) {}

  within(target: JumpTarget): Jumps {
    return new Jumps(this.returnTo, this.raiseTo, [...this.targets, target]);
  }

  /** What `break` (or `break label`) leaves. */
  breakTarget(label?: string): JumpTarget | undefined {
    for (let i = this.targets.length - 1; i >= 0; i--) if (label === undefined || this.targets[i].label === label) return this.targets[i];
    return undefined;
  }

  /** The loop `continue` (or `continue label`) goes on with. */
  continueTarget(label?: string): JumpTarget | undefined {
    for (let i = this.targets.length - 1; i >= 0; i--) {
      const target = this.targets[i];
      if (target.loop && (label === undefined || target.label === label)) return target;
    }
    return undefined;
  }

  /**
   * The jumps of a `try` body whose `finally` runs on every way out: each way leads to a route of
   * its own. Return, raise and the plain `break` and `continue` have theirs made at once; jumps to
   * other labels get one on first use. `routes` lists them in that order, for the `finally` copies.
   */
  throughFinally(make: () => number): { jumps: Jumps; routes: () => readonly Route[] } {
    const routes: Route[] = [];
    const route = (then: Way | undefined, eager: boolean) => {
      const r = new Route(then, make);
      if (eager) r.enter();
      routes.push(r);
      return r;
    };
    const returns = route(this.returnTo, true);
    const raises = route(this.raiseTo, true);
    const innermostBreak = this.breakTarget();
    const innermostContinue = this.continueTarget();
    const breaks = route(innermostBreak?.breakTo, true);
    const continues = route(innermostContinue?.continueTo, true);
    const targets = this.targets.map((target) => ({
      ...target,
      breakTo: target === innermostBreak ? breaks : route(target.breakTo, false),
      continueTo: target.continueTo === undefined ? undefined : target === innermostContinue ? continues : route(target.continueTo, false),
    }));
    return { jumps: new Jumps(returns, raises, targets), routes: () => routes };
  }
}

// Path queries over a unit's flow graph: "from this event, which events of a kind can a run reach
// before one of another kind?". Conditions taken on the way are remembered, so a path that goes
// through `if amp:` true and later through `if amp:` false is never followed; a loop's back edge
// forgets those the loop may change (the next pass may differ).
import { keptAcrossPasses, type FlowGraph, type FlowNode, type Edge } from './graph';
import type { Guard, IterableUse, StepEvent } from './events';
import { contradicts } from './conditions';

export type Predicate = (event: StepEvent) => boolean;

/** What a search can look for at a node: training events, or uses of one-shot iterables. */
interface Guarded {
  guards: readonly Guard[];
}

/** Branches assumed on a path: condition key → polarity. */
export type Assumptions = ReadonlyArray<readonly [string, boolean]>;

export interface ItemRef<T> {
  node: number;
  index: number;
  event: T;
  /** Conditions assumed on the path that reached this event. */
  assumptions: Assumptions;
}

export type EventRef = ItemRef<StepEvent>;

export interface ItemSearchResult<T> {
  hits: ItemRef<T>[];
  /** Some path reached the unit's end (forward) or start (backward) without a hit or a stop. */
  reachedBoundary: boolean;
  /** Stop events that ended a path. */
  stops: ItemRef<T>[];
}

export type SearchResult = ItemSearchResult<StepEvent>;

const MAX_ASSUMPTIONS = 12;
const MAX_VARIANTS_PER_NODE = 4;

/**
 * The assumptions after taking `edge`. Past the limit the oldest are forgotten, except the first
 * `pinned` (what the search started from: the guards of the event it asks about, which the events
 * it looks for are most often tested against).
 */
function assume(assumptions: Assumptions, edge: Edge, correlated: Set<string>, pinned: number): Assumptions | undefined {
  if (edge.back) {
    const { changes } = edge;
    return changes && assumptions.length ? assumptions.filter(([key]) => keptAcrossPasses(changes, key)) : [];
  }
  if (!edge.conditions?.length) return assumptions;
  let next: Array<readonly [string, boolean]> | undefined;
  for (const condition of edge.conditions) {
    if (!correlated.has(condition.key)) continue;
    const current = next ?? assumptions;
    if (current.some(([key, polarity]) => contradicts(key, polarity, condition.key, condition.polarity))) return undefined;
    if (current.some(([key]) => key === condition.key)) continue;
    next ??= [...assumptions];
    next.push([condition.key, condition.polarity]);
  }
  if (!next) return assumptions;
  if (next.length > MAX_ASSUMPTIONS) {
    const keep = Math.min(pinned, MAX_ASSUMPTIONS - 1);
    next.splice(keep, next.length - MAX_ASSUMPTIONS);
  }
  return next;
}

/** The text of a set of assumptions, once per array (searches meet the same array at many nodes). */
const assumptionTexts = new WeakMap<Assumptions, string>();

function assumptionText(assumptions: Assumptions): string {
  let text = assumptionTexts.get(assumptions);
  if (text === undefined) {
    text = assumptions.map(([k, p]) => (p ? '+' : '-') + k).sort().join('\u0000');
    assumptionTexts.set(assumptions, text);
  }
  return text;
}

/** States a search has been in: a node with no assumptions (covers all others), or with a set of them. */
class Visited {
  private readonly bare: Uint8Array;
  private readonly withAssumptions = new Map<number, Set<string>>();

  constructor(size: number) {
    this.bare = new Uint8Array(size);
  }

  bareVisit(node: number): boolean {
    return this.bare[node] === 1;
  }

  /** Marks the state; false when it was visited already. */
  add(node: number, assumptions: Assumptions): boolean {
    if (!assumptions.length) {
      if (this.bare[node]) return false;
      this.bare[node] = 1;
      return true;
    }
    const text = assumptionText(assumptions);
    let set = this.withAssumptions.get(node);
    if (!set) this.withAssumptions.set(node, (set = new Set()));
    if (set.has(text)) return false;
    set.add(text);
    return true;
  }
}

function consistent(event: Guarded, assumptions: Assumptions): boolean {
  if (!assumptions.length) return true;
  for (const guard of event.guards) {
    for (const [key, polarity] of assumptions) if (contradicts(key, polarity, guard.key, guard.polarity)) return false;
  }
  return true;
}

/** Conditions an event is known to sit under: the starting assumptions of a search from it. */
export function guardAssumptions(event: StepEvent): Assumptions {
  return event.guards.map((g) => [g.key, g.polarity] as const);
}

const eventsOf = (node: FlowNode): readonly StepEvent[] => node.events;
const NO_USES: readonly IterableUse[] = [];
const usesOf = (node: FlowNode): readonly IterableUse[] => node.uses ?? NO_USES;

export function searchForward(graph: FlowGraph, from: { node: number; index: number; assumptions?: Assumptions }, target: Predicate, stop: Predicate): SearchResult {
  return search(graph, from, target, stop, true, eventsOf);
}

export function searchBackward(graph: FlowGraph, from: { node: number; index: number; assumptions?: Assumptions }, target: Predicate, stop: Predicate): SearchResult {
  return search(graph, from, target, stop, false, eventsOf);
}

/**
 * Uses of one-shot iterables on the paths that lead to an event (`from`, a training event):
 * which ones a run can meet before it, stopping at `stop` (where the iterable is made afresh).
 */
export function searchUsesBackward(
  graph: FlowGraph,
  from: { node: number; assumptions?: Assumptions },
  target: (use: IterableUse) => boolean,
  stop: (use: IterableUse) => boolean,
): ItemSearchResult<IterableUse> {
  // The event's own node holds no uses (they get nodes of their own): start before it.
  return search(graph, { node: from.node, index: 0, assumptions: from.assumptions }, target, stop, false, usesOf);
}

function search<T extends Guarded>(
  graph: FlowGraph,
  from: { node: number; index: number; assumptions?: Assumptions },
  target: (item: T) => boolean,
  stop: (item: T) => boolean,
  forward: boolean,
  itemsOf: (node: FlowNode) => readonly T[],
): ItemSearchResult<T> {
  const correlated = graph.correlatedKeys();
  const hits: ItemRef<T>[] = [];
  const stops: ItemRef<T>[] = [];
  let reachedBoundary = false;
  const visited = new Visited(graph.nodes.length);
  const variantsAt = new Map<number, { count: number; common: Assumptions }>();
  const initial = (from.assumptions ?? []).filter(([key]) => correlated.has(key));
  const pinned = initial.length;
  const queue: Array<{ node: number; index: number; assumptions: Assumptions }> = [
    { node: from.node, index: forward ? from.index + 1 : from.index - 1, assumptions: initial },
  ];
  const seenHit = new Set<string>();
  while (queue.length) {
    const { node, index, assumptions } = queue.pop()!;
    const events = itemsOf(graph.nodes[node]);
    let ended = false;
    for (let i = index; forward ? i < events.length : i >= 0; forward ? i++ : i--) {
      const event = events[i];
      if ((target(event) || stop(event)) && !consistent(event, assumptions)) {
        // This event sits under a condition the path has already decided the other way: the path
        // cannot run (backward searches meet the event before the branch that leads to it).
        ended = true;
        break;
      }
      if (target(event)) {
        const key = node + ':' + i;
        if (!seenHit.has(key)) {
          seenHit.add(key);
          hits.push({ node, index: i, event, assumptions });
        }
        ended = true;
        break;
      }
      if (stop(event)) {
        stops.push({ node, index: i, event, assumptions });
        ended = true;
        break;
      }
    }
    if (ended) continue;
    if (node === (forward ? graph.exit : graph.entry)) reachedBoundary = true;
    const edges = forward ? graph.nodes[node].next : graph.nodes[node].prev;
    for (const edge of edges) {
      let nextAssumptions = assume(assumptions, edge, correlated, pinned);
      if (!nextAssumptions) continue;
      // A node reached with no assumptions covers every other way of reaching it; and a node
      // reached many ways is widened to that, so the search stays linear in the graph's size.
      if (visited.bareVisit(edge.to)) continue;
      // Past a few variants, a node is reached with only what every way of reaching it agrees on:
      // the number of states per node stays small, and facts all paths share are kept.
      const seen = variantsAt.get(edge.to);
      if (!seen) variantsAt.set(edge.to, { count: 1, common: nextAssumptions });
      else {
        seen.count++;
        seen.common = seen.common.filter(([key, polarity]) => nextAssumptions!.some(([k, p]) => k === key && p === polarity));
        if (seen.count > MAX_VARIANTS_PER_NODE) nextAssumptions = seen.common;
      }
      if (!visited.add(edge.to, nextAssumptions)) continue;
      const nextEvents = itemsOf(graph.nodes[edge.to]);
      queue.push({ node: edge.to, index: forward ? 0 : nextEvents.length - 1, assumptions: nextAssumptions });
    }
  }
  return { hits, reachedBoundary, stops };
}

/** Every event of the graph with its position, in node order. */
export function allEvents(graph: FlowGraph, predicate: Predicate): EventRef[] {
  const refs: EventRef[] = [];
  for (const node of graph.nodes) {
    node.events.forEach((event, index) => {
      if (predicate(event)) refs.push({ node: node.id, index, event, assumptions: guardAssumptions(event) });
    });
  }
  return refs;
}

export const is = (kind: StepEvent['kind']): Predicate => (e) => e.kind === kind;
export const isAny = (...kinds: StepEvent['kind'][]): Predicate => (e) => kinds.includes(e.kind);

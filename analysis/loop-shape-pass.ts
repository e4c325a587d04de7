// One pass of a loop along the flow graph. The graph without its back edges is acyclic; each back
// edge is replaced by edges to where its loop exits, so a pass can run an inner loop's body once
// and go on after it. A pass is then the path through that acyclic graph that runs the most of
// the loop's calls: both arms of an `if` without `else` are paths, and the one with the calls is
// taken (a guarded clip runs in the pass); of `if`/`else` arms with as many calls, the first.
import type { Range } from './api';
import type { FlowGraph } from './model/graph';
import type { StepEvent } from './model/events';

export interface PassEvent {
  node: number;
  index: number;
  event: StepEvent;
}

export class PassGraph {
  private readonly preds: number[][];
  /** Nodes in topological order, and each node's place in it. */
  private readonly order: number[];
  private readonly place: Int32Array;

  /** `loopsOf`: the loop statements around an event, outermost first (to tell a loop's exits from its body). */
  constructor(private readonly graph: FlowGraph, loopsOf: (event: StepEvent) => readonly Range[]) {
    const n = graph.nodes.length;
    const forward: number[][] = graph.nodes.map((node) => node.next.filter((e) => !e.back).map((e) => e.to));
    const first = topological(forward);
    const position = new Int32Array(n);
    first.forEach((node, i) => (position[node] = i));
    const successors = forward.map((list) => [...list]);
    for (const node of graph.nodes) {
      for (const edge of node.next) {
        if (!edge.back) continue;
        const loop = loopEnding(graph, node.id, loopsOf);
        for (const exit of loopExits(forward, position, edge.to, node.id)) {
          if (successors[node.id].includes(exit) || (loop && !leaves(graph, forward, exit, loop, loopsOf))) continue;
          successors[node.id].push(exit);
        }
      }
    }
    this.order = topological(successors);
    this.place = new Int32Array(n);
    this.order.forEach((node, i) => (this.place[node] = i));
    this.preds = graph.nodes.map(() => []);
    // Edges against the order (only possible where exits of several loops interlock) are dropped.
    successors.forEach((list, from) => list.forEach((to) => this.place[to] > this.place[from] && this.preds[to].push(from)));
  }

  /**
   * The events of the path that runs the most events `counts` accepts, in the order they run.
   * `nodes` holds every node with such an event; only nodes between the first and the last of
   * them (in topological order) can be on the path, so the cost is that stretch of the graph.
   */
  longestPath(nodes: Iterable<number>, counts: (event: StepEvent) => boolean): { nodes: number[]; events: PassEvent[] } {
    const weight = new Map<number, number>();
    let lo = Infinity;
    let hi = -1;
    for (const id of nodes) {
      if (weight.has(id)) continue;
      const w = this.graph.nodes[id].events.filter(counts).length;
      if (!w) continue;
      weight.set(id, w);
      lo = Math.min(lo, this.place[id]);
      hi = Math.max(hi, this.place[id]);
    }
    if (hi < 0) return { nodes: [], events: [] };
    const score = new Map<number, number>();
    const from = new Map<number, number>();
    let end = -1;
    let endScore = 0;
    for (let i = lo; i <= hi; i++) {
      const node = this.order[i];
      let best = 0;
      let via = -1;
      for (const p of this.preds[node]) {
        const s = this.place[p] >= lo ? score.get(p) ?? 0 : 0;
        if (s > best) {
          best = s;
          via = p;
        }
      }
      const total = best + (weight.get(node) ?? 0);
      if (!total) continue;
      score.set(node, total);
      if (via >= 0) from.set(node, via);
      if (total > endScore) {
        endScore = total;
        end = node;
      }
    }
    const path: number[] = [];
    for (let at: number | undefined = end; at !== undefined && at >= 0; at = from.get(at)) path.push(at);
    path.reverse();
    const events: PassEvent[] = [];
    for (const node of path) this.graph.nodes[node].events.forEach((event, index) => counts(event) && events.push({ node, index, event }));
    return { nodes: path, events };
  }
}

const key = (range: Range) => `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;

/** The loop statement a back edge from `from` closes: the innermost loop of the nearest calls before it. */
function loopEnding(graph: FlowGraph, from: number, loopsOf: (event: StepEvent) => readonly Range[]): string | undefined {
  const queue = [from];
  const seen = new Set(queue);
  for (let i = 0; i < queue.length && i < 64; i++) {
    const events = graph.nodes[queue[i]].events;
    if (events.length) {
      const loops = loopsOf(events[events.length - 1]);
      return loops.length ? key(loops[loops.length - 1]) : undefined;
    }
    for (const edge of graph.nodes[queue[i]].prev) {
      if (edge.back || seen.has(edge.to)) continue;
      seen.add(edge.to);
      queue.push(edge.to);
    }
  }
  return undefined;
}

/**
 * Whether `start` can be where the loop goes on after a pass: not when every first call reached
 * from it is in the body of a loop nested in it (a `while True:` header folded into the inner
 * loop that starts its body has only body successors, and none of them is an exit).
 */
function leaves(graph: FlowGraph, forward: number[][], start: number, loop: string, loopsOf: (event: StepEvent) => readonly Range[]): boolean {
  const queue = [start];
  const seen = new Set(queue);
  let sawCall = false;
  for (let i = 0; i < queue.length && i < 64; i++) {
    const events = graph.nodes[queue[i]].events;
    if (events.length) {
      sawCall = true;
      // Inside the loop itself after it (the code after an inner loop) is where a pass goes on;
      // only the body of a loop nested in it (a folded header's first successor) is not an exit.
      if (events.some((e) => !inNestedLoop(loopsOf(e), loop))) return true;
      continue;
    }
    for (const next of forward[queue[i]]) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return !sawCall;
}

/** The loops hold `loop` and a loop inside it. */
function inNestedLoop(loops: readonly Range[], loop: string): boolean {
  const at = loops.findIndex((l) => key(l) === loop);
  return at >= 0 && at < loops.length - 1;
}

/** Kahn's algorithm; nodes left on a cycle (none, for a graph without back edges) follow in id order. */
function topological(successors: number[][]): number[] {
  const n = successors.length;
  const indegree = new Int32Array(n);
  for (const list of successors) for (const to of list) indegree[to]++;
  const ready: number[] = [];
  for (let i = n - 1; i >= 0; i--) if (!indegree[i]) ready.push(i);
  const out: number[] = [];
  const placed = new Uint8Array(n);
  while (ready.length) {
    const node = ready.pop()!;
    out.push(node);
    placed[node] = 1;
    // Reverse, so the first successor is taken first (the `if` arm before the `else`).
    for (let k = successors[node].length - 1; k >= 0; k--) {
      const to = successors[node][k];
      if (--indegree[to] === 0) ready.push(to);
    }
  }
  for (let i = 0; i < n; i++) if (!placed[i]) out.push(i);
  return out;
}

/**
 * Where control goes when the loop whose back edge runs `from` → `header` stops: the header's
 * successors other than the body (the `else` clause, the code after). The body is the successor
 * that leads on to `from`; where none does without another back edge (an inner loop that cannot
 * run zero times), it is the first, as the flow builder connects a header to its body first.
 */
function loopExits(forward: number[][], position: Int32Array, header: number, from: number): number[] {
  const successors = forward[header];
  // `while True:` leaves only through `break`, an ordinary edge.
  if (successors.length < 2) return [];
  const limit = position[from];
  const leadsBack = (start: number): boolean => {
    const stack = [start];
    const seen = new Set<number>(stack);
    while (stack.length) {
      const node = stack.pop()!;
      if (node === from) return true;
      for (const next of forward[node]) {
        // Only nodes placed before `from` can lead to it.
        if (position[next] > limit || seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    return false;
  };
  const body = successors.map(leadsBack);
  if (body.filter(Boolean).length === 1) return successors.filter((_, i) => !body[i]);
  return successors.slice(1);
}

// The control-flow graph of one unit (function, method, closure or module-level code). Nodes
// carry events in evaluation order; edges may carry the branch of a condition taken, so that two
// `if`s on the same condition are not combined into a path no run can take.
import type { Range } from '../api';
import type { StepEvent } from './events';

export interface Edge {
  to: number;
  /** Conditions known to hold on this edge (key and branch), when it leaves an `if`. */
  conditions?: ReadonlyArray<{ key: string; polarity: boolean }>;
  /** A loop's back edge: conditions assumed earlier in the pass no longer hold… */
  back?: boolean;
  /**
   * …except those the front end knows the loop cannot change (by condition key): a flag tested
   * before the loop and again inside it is the same flag on every pass.
   */
  keeps?: (key: string) => boolean;
}

export interface FlowNode {
  id: number;
  events: StepEvent[];
  next: Edge[];
  prev: Edge[];
}

export class FlowGraph {
  readonly nodes: FlowNode[] = [];
  readonly entry: number;
  readonly exit: number;

  constructor() {
    this.entry = this.addNode().id;
    this.exit = this.addNode().id;
  }

  addNode(events: StepEvent[] = []): FlowNode {
    const node: FlowNode = { id: this.nodes.length, events, next: [], prev: [] };
    this.nodes.push(node);
    return node;
  }

  connect(from: number, to: number, extra?: Omit<Edge, 'to'>): void {
    if (from === to && !extra?.back) return;
    const forward: Edge = { to, ...extra };
    this.nodes[from].next.push(forward);
    this.nodes[to].prev.push({ ...extra, to: from });
  }

  *events(): Iterable<[FlowNode, number, StepEvent]> {
    for (const node of this.nodes) for (let i = 0; i < node.events.length; i++) yield [node, i, node.events[i]];
  }

  private correlated?: Set<string>;

  /**
   * Condition keys tested at two or more branch points (or at one inside a loop). Only these can make a path infeasible,
   * so only these are remembered during a search (keeps the search linear in practice).
   */
  correlatedKeys(): Set<string> {
    if (this.correlated) return this.correlated;
    const branchPoints = new Map<string, Set<number>>();
    for (const node of this.nodes) {
      for (const edge of node.next) {
        for (const condition of edge.conditions ?? []) {
          let set = branchPoints.get(condition.key);
          if (!set) branchPoints.set(condition.key, (set = new Set()));
          set.add(node.id);
        }
      }
    }
    // A branch point inside a loop is met again on the next pass: with itself, it is two, when
    // the loop keeps the condition from pass to pass (otherwise the next pass forgets it anyway).
    const backEdges = this.nodes.flatMap((node) => node.next.filter((edge) => edge.back));
    const keptAcrossPasses = (key: string) => backEdges.length > 0 && backEdges.every((edge) => edge.keeps?.(key));
    this.correlated = new Set(
      [...branchPoints].filter(([key, points]) => points.size > 1 || (keptAcrossPasses(key) && [...points].some((id) => this.onCycle(id)))).map(([key]) => key),
    );
    return this.correlated;
  }

  private reachable = new Map<number, Set<number>>();

  /** Every node some path from `node` leads to (memoized per graph). */
  reachableFrom(node: number): Set<number> {
    let found = this.reachable.get(node);
    if (found) return found;
    found = new Set<number>();
    const stack = this.nodes[node].next.map((e) => e.to);
    while (stack.length) {
      const id = stack.pop()!;
      if (found.has(id)) continue;
      found.add(id);
      for (const e of this.nodes[id].next) stack.push(e.to);
    }
    this.reachable.set(node, found);
    return found;
  }

  /** `a` and `b` lie on one loop: each reaches the other. */
  sameLoop(a: number, b: number): boolean {
    return this.reachableFrom(a).has(b) && this.reachableFrom(b).has(a);
  }

  /** Whether some path leads from `node` back to itself (it is inside a loop). */
  onCycle(node: number): boolean {
    const seen = new Set<number>();
    const stack = this.nodes[node].next.map((e) => e.to);
    while (stack.length) {
      const id = stack.pop()!;
      if (id === node) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const e of this.nodes[id].next) stack.push(e.to);
    }
    return false;
  }

  /**
   * The same graph without pass-through nodes (no events, one plain outgoing edge): most nodes
   * a builder makes are joins and branch entries, and searches get faster without them.
   */
  compacted(): FlowGraph {
    const collapsible = (node: FlowNode) =>
      node.id !== this.entry && node.id !== this.exit && node.events.length === 0 && node.next.length === 1 && !node.next[0].back && !node.next[0].conditions?.length;
    const representative = new Map<number, number>();
    const resolve = (id: number): number => {
      const seen: number[] = [];
      let current = id;
      while (collapsible(this.nodes[current]) && !seen.includes(current)) {
        const known = representative.get(current);
        if (known !== undefined) {
          current = known;
          break;
        }
        seen.push(current);
        current = this.nodes[current].next[0].to;
      }
      for (const s of seen) representative.set(s, current);
      return current;
    };
    const out = new FlowGraph();
    const newId = new Map<number, number>([[this.entry, out.entry], [this.exit, out.exit]]);
    for (const node of this.nodes) {
      if (node.id === this.entry || node.id === this.exit || collapsible(node)) continue;
      newId.set(node.id, out.addNode(node.events).id);
    }
    for (const node of this.nodes) {
      const from = newId.get(node.id);
      if (from === undefined) continue;
      for (const edge of node.next) {
        const to = newId.get(resolve(edge.to));
        if (to === undefined) continue;
        const { to: _old, ...extra } = edge;
        out.connect(from, to, extra);
      }
    }
    return out;
  }

  hasEvents(): boolean {
    return this.nodes.some((n) => n.events.length > 0);
  }
}

/** One analysable body: the rules run once per unit. */
export interface Unit {
  name: string;
  kind: 'module' | 'function' | 'method' | 'closure';
  range: Range;
  graph: FlowGraph;
  /** Framework facts the front end found, for rules that depend on them. */
  facts: UnitFacts;
}

export interface UnitFacts {
  /** A `training_step` of a LightningModule under automatic optimization. */
  lightningAutomaticTrainingStep?: boolean;
  /** The unit backpropagates with Accelerate; the receiver's text. */
  acceleratorName?: string;
  /** Names of FSDP1-wrapped models (`FullyShardedDataParallel(...)`). */
  fsdpModels?: string[];
}

// The control-flow graph of one unit (function, method, closure or module-level code). Nodes
// carry events in evaluation order; edges may carry the branch of a condition taken, so that two
// `if`s on the same condition are not combined into a path no run can take.
import type { Range } from '../api';
import { SYNC_KEY, type IterableUse, type StepEvent } from './events';
import { conditionGroup } from './conditions';
import type { TrainingSettings } from '../loop-shape-settings';

export interface Edge {
  to: number;
  /** Conditions known to hold on this edge (key and branch), when it leaves an `if`. */
  conditions?: ReadonlyArray<{ key: string; polarity: boolean }>;
  /** A loop's back edge: conditions assumed earlier in the pass no longer hold… */
  back?: boolean;
  /**
   * …except those the loop cannot change (see `keptAcrossPasses`): a flag tested before the loop
   * and again inside it is the same flag on every pass. Without it, a back edge forgets them all.
   */
  changes?: LoopChanges;
}

/** What a loop's body may change from one pass to the next, as its front end found it. */
export interface LoopChanges {
  /** Names and attribute paths the body assigns (`i`, `self.state.step`; `a` for `a[i] = …`). */
  assigned: ReadonlySet<string>;
  /**
   * Condition keys the body tests that may change by being evaluated again, with no assignment in
   * sight: calls, and conditions that count micro-batches (they change by design). Filled while
   * the body is built.
   */
  varying: ReadonlySet<string>;
}

/** Names and attribute paths a condition key mentions (`self.state.step`, `x`). */
const NAME_PATH = /[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g;

/**
 * Whether a condition holds alike on every pass of a loop that changes `changes`: it is not the
 * accumulation window's sync, it is not one the body re-tests that varies, and it mentions no name
 * the body assigns (`self.state.step = …` changes `self.state.step` and what hangs below it, not
 * `self.use_amp`). A condition the body never tests cannot change by being evaluated again.
 */
export function keptAcrossPasses(changes: LoopChanges, key: string): boolean {
  if (key === SYNC_KEY || changes.varying.has(key)) return false;
  for (const path of key.match(NAME_PATH) ?? []) {
    for (let cut = path.length; cut > 0; cut = path.lastIndexOf('.', cut - 1)) if (changes.assigned.has(path.slice(0, cut))) return false;
  }
  return true;
}

export interface FlowNode {
  id: number;
  events: StepEvent[];
  /** One-shot iterables created or used up here (kept apart from the training events). */
  uses?: IterableUse[];
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

  addNode(events: StepEvent[] = [], uses?: IterableUse[]): FlowNode {
    const node: FlowNode = uses ? { id: this.nodes.length, events, uses, next: [], prev: [] } : { id: this.nodes.length, events, next: [], prev: [] };
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

  /** Built without some of the code it should hold (a size bound): placement verdicts are not drawn from it. */
  incomplete?: boolean;

  /**
   * The order of its training calls is data, not code: an interpreter that runs whichever call a
   * list names next (a `switch` on the call's name in a loop). No placement verdicts are drawn from it.
   */
  orderIsData?: boolean;

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
    const backEdgesOf = new Map<number, Edge[]>();
    for (const node of this.nodes) {
      for (const edge of node.next) {
        if (!edge.back) continue;
        const loop = this.loopOf(node.id);
        const list = backEdgesOf.get(loop);
        if (list) list.push(edge);
        else backEdgesOf.set(loop, [edge]);
      }
    }
    const keptByItsLoop = (key: string, point: number) => {
      const edges = backEdgesOf.get(this.loopOf(point));
      return !!edges && edges.every((edge) => !!edge.changes && keptAcrossPasses(edge.changes, key));
    };
    // Equalities of one operand with different literals (`mode == 'a'`, `mode == 'b'`) exclude each other: they count together.
    const groupPoints = new Map<string, Set<number>>();
    for (const [key, points] of branchPoints) {
      const group = conditionGroup(key);
      if (group === key) continue;
      let set = groupPoints.get(group);
      if (!set) groupPoints.set(group, (set = new Set()));
      for (const point of points) set.add(point);
    }
    this.correlated = new Set(
      [...branchPoints]
        .filter(([key, points]) => points.size > 1 || (groupPoints.get(conditionGroup(key))?.size ?? 0) > 1 || [...points].some((id) => this.onCycle(id) && keptByItsLoop(key, id)))
        .map(([key]) => key),
    );
    return this.correlated;
  }

  private components?: { id: Int32Array; size: Int32Array; selfLoop: Uint8Array };

  /**
   * Strongly connected components (Tarjan's algorithm, iterative, once per graph): two nodes on
   * one loop share a component; a node is on a loop when its component has more than one node or
   * it has an edge to itself.
   */
  private stronglyConnected(): { id: Int32Array; size: Int32Array; selfLoop: Uint8Array } {
    if (this.components) return this.components;
    const n = this.nodes.length;
    const index = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const onStack = new Uint8Array(n);
    const id = new Int32Array(n).fill(-1);
    const selfLoop = new Uint8Array(n);
    const sizes: number[] = [];
    const stack: number[] = [];
    let counter = 0;
    for (let root = 0; root < n; root++) {
      if (index[root] !== -1) continue;
      const work: Array<[number, number]> = [[root, 0]];
      index[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = 1;
      while (work.length) {
        const top = work[work.length - 1];
        const [v, edge] = top;
        const next = this.nodes[v].next;
        if (edge < next.length) {
          top[1]++;
          const w = next[edge].to;
          if (w === v) selfLoop[v] = 1;
          if (index[w] === -1) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = 1;
            work.push([w, 0]);
          } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
          continue;
        }
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1][0];
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] === index[v]) {
          const component = sizes.length;
          let size = 0;
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = 0;
            id[w] = component;
            size++;
          } while (w !== v);
          sizes.push(size);
        }
      }
    }
    return (this.components = { id, size: Int32Array.from(sizes), selfLoop });
  }

  /** `a` and `b` lie on one loop: each reaches the other. */
  sameLoop(a: number, b: number): boolean {
    const loop = this.loopOf(a);
    return loop !== -1 && loop === this.loopOf(b);
  }

  /** The loop (strongly connected component) a node lies on, or -1 when it is on none. */
  loopOf(node: number): number {
    return this.onCycle(node) ? this.stronglyConnected().id[node] : -1;
  }

  /** Whether some path leads from `node` back to itself (it is inside a loop). */
  onCycle(node: number): boolean {
    const { id, size, selfLoop } = this.stronglyConnected();
    return size[id[node]] > 1 || selfLoop[node] === 1;
  }

  /**
   * The same graph without pass-through nodes (no events, one plain outgoing edge): most nodes
   * a builder makes are joins and branch entries, and searches get faster without them.
   */
  compacted(): FlowGraph {
    const collapsible = (node: FlowNode) =>
      node.id !== this.entry && node.id !== this.exit && node.events.length === 0 && !node.uses && node.next.length === 1 && !node.next[0].back && !node.next[0].conditions?.length;
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
    if (this.incomplete) out.incomplete = true;
    if (this.orderIsData) out.orderIsData = true;
    const newId = new Map<number, number>([[this.entry, out.entry], [this.exit, out.exit]]);
    for (const node of this.nodes) {
      if (node.id === this.entry || node.id === this.exit || collapsible(node)) continue;
      newId.set(node.id, out.addNode(node.events, node.uses).id);
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
  /**
   * An event of another file (inlined from a helper there) that that file, analysed on its own,
   * already reports a placement finding on: the finding is left to it.
   */
  ownedElsewhere?: (event: StepEvent) => boolean;
  /** A `training_step` of a LightningModule under automatic optimization. */
  lightningAutomaticTrainingStep?: boolean;
  /** The unit backpropagates with Accelerate; the receiver's text. */
  acceleratorName?: string;
  /** Names of FSDP1-wrapped models (`FullyShardedDataParallel(...)`). */
  fsdpModels?: string[];
  /** Optimizer, scaler and accumulation settings as the code states them, for loop shapes. */
  settings?: TrainingSettings;
}

// The control-flow graph of one unit (function, method, closure or module-level code). Nodes
// carry events in evaluation order; edges may carry the branch of a condition taken, so that two
// `if`s on the same condition are not combined into a path no run can take.
import type { Range } from '../api';
import type { StepEvent } from './events';

export interface Edge {
  to: number;
  /** Conditions known to hold on this edge (key and branch), when it leaves an `if`. */
  conditions?: ReadonlyArray<{ key: string; polarity: boolean }>;
  /** A loop's back edge: conditions assumed earlier in the pass no longer hold. */
  back?: boolean;
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

// Clip calls written in a unit (not inlined copies): what the call-level rules inspect.
import type { ClipDetails, StepEvent } from '../model/events';
import type { Unit } from '../model/graph';

export function clipCalls(unit: Unit): Array<{ event: StepEvent; clip: ClipDetails }> {
  const calls: Array<{ event: StepEvent; clip: ClipDetails }> = [];
  for (const node of unit.graph.nodes) {
    for (const event of node.events) {
      if (event.kind === 'clip' && event.clip && event.via.length === 0) calls.push({ event, clip: event.clip });
    }
  }
  return calls;
}

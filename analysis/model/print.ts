// A unit's flow graph as text, for tests and bug reports: one line per node with its events
// (kind, line, the optimizer or scaler they act on, guards) and its edges (conditions, back edges
// with what the loop changes from pass to pass).
import type { Guard, StepEvent } from './events';
import type { Edge } from './graph';
import type { Unit } from './graph';
import { parseEquality } from './conditions';

/** A condition key as a reader writes it: an equality key as `operand == literal`. */
function keyText(key: string): string {
  const equality = parseEquality(key);
  return equality ? `${equality.operand} == ${equality.literal}` : key;
}

function guardText(guard: Guard): string {
  return `${guard.polarity ? keyText(guard.key) : `not(${keyText(guard.key)})`}${guard.accumulation ? ' (accumulation)' : ''}`;
}

function eventText(event: StepEvent): string {
  const parts = [`${event.kind}@${event.site.range.start.line + 1}`];
  if (event.optimizer) parts.push(`optimizer=${event.optimizer}`);
  if (event.scaler) parts.push(`scaler=${event.scaler}`);
  if (event.scaled) parts.push('scaled');
  if (event.clip) parts.push(`clip=${event.clip.kind}`);
  if (event.via.length) parts.push(`via ${event.via.map((v) => v.range.start.line + 1).join('>')}`);
  if (event.guards.length) parts.push(`if ${event.guards.map(guardText).join(' && ')}`);
  return parts.join(' ');
}

/** A back edge and what the loop changes (what it forgets): assigned names, conditions that vary when tested. */
function backText(edge: Edge): string {
  if (!edge.back) return '';
  const { changes } = edge;
  if (!changes) return ' (back, forgets all)';
  const parts = [`assigns ${[...changes.assigned].sort().join(' ') || '-'}`];
  if (changes.varying.size) parts.push(`varies ${[...changes.varying].map(keyText).sort().join(' ')}`);
  return ` (back, ${parts.join('; ')})`;
}

function edgeText(edge: Edge): string {
  const conditions = edge.conditions?.map((c) => (c.polarity ? keyText(c.key) : `not(${keyText(c.key)})`)).join(' && ');
  return `${edge.to}${backText(edge)}${conditions ? ` [${conditions}]` : ''}`;
}

export function printFlowGraph(unit: Unit): string {
  const { graph } = unit;
  const lines = [`${unit.kind} ${unit.name}${graph.incomplete ? ' (incomplete)' : ''}`];
  for (const node of graph.nodes) {
    const role = node.id === graph.entry ? ' entry' : node.id === graph.exit ? ' exit' : '';
    const events = node.events.map(eventText).join('; ');
    lines.push(`  ${node.id}${role}: ${events || '-'}${node.next.length ? ` -> ${node.next.map(edgeText).join(', ')}` : ''}`);
  }
  return lines.join('\n');
}

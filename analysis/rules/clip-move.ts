// The fix shared by the placement rules: move the clip directly before its step. Under a
// GradScaler with no `unscale_` before that step, the move brings `scaler.unscale_(optimizer)`
// with it, so the fixed loop clips real gradients.
import type { TextEdit } from '../api';
import type { Site, StepEvent } from '../model/events';
import type { FlowGraph } from '../model/graph';
import { is, searchBackward, type EventRef } from '../model/paths';
import type { SourceLines } from '../text';
import { mayMoveTo, moveBefore, removeStatement, sameBody } from './fixes';
import { comparePositions } from '../text';
import { reportSite } from '../model/events';
import { syntaxOf } from '../syntax';

export function moveClipBeforeStep(source: SourceLines, graph: FlowGraph, clip: StepEvent, step: EventRef): TextEdit[] | undefined {
  // Before a step that runs its own backward (a closure), a clip would precede that backward.
  if (!sameBody(clip, step.event) || step.event.computesGradients) return undefined;
  // With several optimizers (encoder and decoder, generator and discriminator) which step a
  // clip belongs to is a matter of parameters this analysis does not track: no move.
  if (stepOptimizers(graph).size > 1) return undefined;
  const { scaler, optimizer } = step.event;
  if (!scaler || !optimizer) return moveBefore(source, reportSite(clip), step.event.site);
  if (searchBackward(graph, step, is('unscale'), is('backward')).hits.length) return moveBefore(source, reportSite(clip), step.event.site);
  // An unscale_ earlier in this step's window (before another backward) moves down with the clip:
  // a second unscale_ before update() raises, and backward after unscale_ mixes scaled gradients in.
  const earlier = searchBackward(graph, step, is('unscale'), is('step')).hits;
  if (!earlier.length) return moveBefore(source, reportSite(clip), step.event.site, [syntaxOf(source).unscaleCall(scaler, optimizer)]);
  if (earlier.length > 1 || !sameBody(earlier[0].event, step.event)) return undefined;
  const unscale = reportSite(earlier[0].event);
  // The unscale_ passes the lines between it and the step too: none may write what it reads.
  if (!mayMoveTo(source, unscale.statementRange, step.event.site.statementRange.start.line)) return undefined;
  const text = statementText(source, unscale);
  const removed = removeStatement(source, unscale, step.event.site.statementRange);
  const moved = text === undefined ? undefined : moveBefore(source, reportSite(clip), step.event.site, [text]);
  if (!moved || !removed) return undefined;
  const overlap = moved.some((a) => removed.some((b) => comparePositions(a.range.start, b.range.end) < 0 && comparePositions(b.range.start, a.range.end) < 0));
  return overlap ? undefined : [...moved, ...removed];
}

/** A one-line statement's text (removeStatement checks that it is alone on its line). */
function statementText(source: SourceLines, site: Site): string | undefined {
  const range = site.statementRange;
  return range.start.line === range.end.line ? source.lineText(range.start.line).slice(range.start.character, range.end.character) : undefined;
}

function stepOptimizers(graph: FlowGraph): Set<string> {
  const names = new Set<string>();
  for (const node of graph.nodes) for (const event of node.events) if (event.kind === 'step' && event.optimizer) names.add(event.optimizer);
  return names;
}

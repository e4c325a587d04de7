// The fix shared by the placement rules: move the clip directly before its step. Under a
// GradScaler with no `unscale_` before that step, the move brings `scaler.unscale_(optimizer)`
// with it, so the fixed loop clips real gradients.
import type { TextEdit } from '../api';
import type { StepEvent } from '../model/events';
import type { FlowGraph } from '../model/graph';
import { is, searchBackward, type EventRef } from '../model/paths';
import type { SourceLines } from '../text';
import { moveBefore, sameBody } from './fixes';
import { reportSite } from '../model/events';

export function moveClipBeforeStep(source: SourceLines, graph: FlowGraph, clip: StepEvent, step: EventRef): TextEdit[] | undefined {
  // Before a step that runs its own backward (a closure), a clip would precede that backward.
  if (!sameBody(clip, step.event) || step.event.computesGradients) return undefined;
  const leading: string[] = [];
  const { scaler, optimizer } = step.event;
  if (scaler && optimizer) {
    const unscaled = searchBackward(graph, step, is('unscale'), is('backward')).hits.length > 0;
    if (!unscaled) leading.push(`${scaler}.unscale_(${optimizer})`);
  }
  return moveBefore(source, reportSite(clip), step.event.site, leading);
}

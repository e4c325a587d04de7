import type { Rule } from './rule';
import { reportSite } from '../model/events';
import { callLabel, elsewhere, lineLabel } from './source';
import { comparePositions } from '../text';
import { moveClipBeforeStep } from './clip-move';
import { unappliedCopy } from './unapplied-copy';

export const clipAfterStep: Rule = {
  code: 'CLP002',
  name: 'clip-after-step',
  severity: 'error',
  summary: 'The clip runs after optimizer.step(): the update already used the unclipped gradients, and no later step sees the clipped ones.',
  check({ ordering, source, unit }) {
    return ordering.clips
      .filter((v) => v.code === 'CLP002')
      .map(({ clip, step, unapplied }) => {
        if (unapplied) return unappliedCopy(source, clip.event, step!.event);
        const site = reportSite(clip.event);
        const stepSite = reportSite(step!.event);
        const stepLabel = callLabel(source, stepSite.range);
        // A clipped copy moved before the step is still not what the step applies: only a clip in place moves.
        const movable = !clip.event.gradients || clip.event.gradients.inPlace;
        const edits = movable ? moveClipBeforeStep(source, unit.graph, clip.event, step!) : undefined;
        // The step is written below the clip: it is the previous pass's (the loop came round).
        const previousPass = comparePositions(stepSite.range.start, site.range.start) > 0;
        // Gradients as values (TensorFlow.js): no later step applies this map; gradient state (PyTorch-like): it is cleared or recomputed first.
        const after = clip.event.gradients ? 'and no later step applies the map it clipped' : 'and they are cleared or recomputed before any later step';
        return {
          anchor: clip.event,
          range: site.range,
          statementRange: site.statementRange,
          message: `Gradients are clipped after ${previousPass ? "the previous pass's " : ''}\`${stepLabel}\` (${lineLabel(stepSite.range)}): the update already used the unclipped gradients, ${after}. Clip before the step${movable ? '' : ', and pass the clipped gradients to it'}.`,
          related: [{ range: stepSite.range, message: 'this step runs before the clip and uses unclipped gradients' }, ...elsewhere(clip.event, 'the clip this call runs')],
          fix: edits && { title: `Move the clip directly before \`${stepLabel}\``, edits, safe: true },
        };
      });
  },
};

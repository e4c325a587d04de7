import type { Rule } from './rule';
import { reportSite } from '../model/events';
import { callLabel, elsewhere, lineLabel } from './source';
import { comparePositions } from '../text';
import { moveClipBeforeStep } from './clip-move';

export const clipAfterStep: Rule = {
  code: 'CLP002',
  name: 'clip-after-step',
  severity: 'error',
  summary: 'The clip runs after optimizer.step(): the update already used the unclipped gradients, and no later step sees the clipped ones.',
  check({ ordering, source, unit }) {
    return ordering.clips
      .filter((v) => v.code === 'CLP002')
      .map(({ clip, step }) => {
        const site = reportSite(clip.event);
        const stepSite = reportSite(step!.event);
        const stepLabel = callLabel(source, stepSite.range);
        const edits = moveClipBeforeStep(source, unit.graph, clip.event, step!);
        // The step is written below the clip: it is the previous pass's (the loop came round).
        const previousPass = comparePositions(stepSite.range.start, site.range.start) > 0;
        return {
          anchor: clip.event,
          range: site.range,
          statementRange: site.statementRange,
          message: `Gradients are clipped after ${previousPass ? "the previous pass's " : ''}\`${stepLabel}\` (${lineLabel(stepSite.range)}): the update already used the unclipped gradients, and they are cleared or recomputed before any later step. Clip before the step.`,
          related: [{ range: stepSite.range, message: 'this step runs before the clip and uses unclipped gradients' }, ...elsewhere(clip.event, 'the clip this call runs')],
          fix: edits && { title: `Move the clip directly before \`${stepLabel}\``, edits, safe: true },
        };
      });
  },
};

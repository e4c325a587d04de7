import type { Rule } from './rule';
import { reportSite } from '../model/events';
import { callLabel, lineLabel } from './source';
import { comparePositions } from '../text';
import { moveClipBeforeStep } from './clip-move';

export const clipBeforeBackward: Rule = {
  code: 'CLP001',
  name: 'clip-before-backward',
  severity: 'error',
  summary: 'The clip runs before backward(): the step applies gradients computed after the clip, which are never clipped.',
  check({ ordering, source, unit }) {
    return ordering.clips
      .filter((v) => v.code === 'CLP001')
      .map(({ clip, backward, step }) => {
        const site = reportSite(clip.event);
        const backwardLabel = callLabel(source, reportSite(backward!.event).range);
        const stepLabel = callLabel(source, reportSite(step!.event).range);
        // The backward is written above the clip: it is the next pass's (the loop comes round).
        const nextPass = comparePositions(reportSite(backward!.event).range.start, site.range.start) < 0;
        const edits = moveClipBeforeStep(source, unit.graph, clip.event, step!);
        return {
          anchor: clip.event,
          range: site.range,
          statementRange: site.statementRange,
          message: `Gradients are clipped before ${nextPass ? "the next pass's " : ''}\`${backwardLabel}\` (${lineLabel(reportSite(backward!.event).range)}), so \`${stepLabel}\` (${lineLabel(reportSite(step!.event).range)}) applies gradients the clip never saw. Clip after backward(), right before the step.`,
          related: [
            { range: reportSite(backward!.event).range, message: 'backward() recomputes the gradients after the clip' },
            { range: reportSite(step!.event).range, message: 'the step uses the unclipped gradients' },
          ],
          fix: edits && { title: `Move the clip directly before \`${stepLabel}\``, edits, safe: true },
        };
      });
  },
};

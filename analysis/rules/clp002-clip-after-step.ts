import type { Rule } from './rule';
import { reportSite } from '../model/events';
import { callLabel, lineLabel } from './source';
import { moveBefore, sameBody } from './fixes';

export const clipAfterStep: Rule = {
  code: 'CLP002',
  name: 'clip-after-step',
  severity: 'error',
  summary: 'The clip runs after optimizer.step(): the update already used the unclipped gradients, and no later step sees the clipped ones.',
  check({ ordering, source }) {
    return ordering.clips
      .filter((v) => v.code === 'CLP002')
      .map(({ clip, step }) => {
        const site = reportSite(clip.event);
        const stepSite = reportSite(step!.event);
        const stepLabel = callLabel(source, stepSite.range);
        const together = sameBody(clip.event, step!.event);
        const edits = together ? moveBefore(source, site, step!.event.site) : undefined;
        return {
          anchor: clip.event,
          range: site.range,
          statementRange: site.statementRange,
          message: `Gradients are clipped after \`${stepLabel}\` (${lineLabel(stepSite.range)}): the update already used the unclipped gradients, and they are cleared or recomputed before any later step. Clip before the step.`,
          related: [{ range: stepSite.range, message: 'this step runs before the clip and uses unclipped gradients' }],
          fix: edits && { title: `Move the clip directly before \`${stepLabel}\``, edits, safe: true },
        };
      });
  },
};

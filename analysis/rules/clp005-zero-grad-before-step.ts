import type { Rule } from './rule';
import { reportSite } from '../model/events';
import { callLabel, lineLabel } from './source';
import { moveAfter, sameBody } from './fixes';

export const zeroGradBeforeStep: Rule = {
  code: 'CLP005',
  name: 'zero-grad-before-step',
  severity: 'error',
  summary: 'zero_grad() clears the gradients between backward() and step(): the step (and any clip) sees zeros.',
  check({ ordering, source }) {
    return ordering.zeros.map(({ zero, backward, step }) => {
      const site = reportSite(zero.event);
      const stepSite = reportSite(step.event);
      const backwardSite = reportSite(backward.event);
      const stepLabel = callLabel(source, stepSite.range);
      const together = sameBody(zero.event, step!.event);
      const edits = together ? moveAfter(source, site, step.event.site) : undefined;
      return {
        anchor: zero.event,
        range: site.range,
        statementRange: site.statementRange,
        message: `\`${callLabel(source, site.range)}\` clears the gradients of \`${callLabel(source, backwardSite.range)}\` (${lineLabel(backwardSite.range)}) before \`${stepLabel}\` (${lineLabel(stepSite.range)}) uses them: the step and any clip see zeros. Clear gradients after the step (or before the forward pass).`,
        related: [
          { range: backwardSite.range, message: 'these gradients are cleared before they are used' },
          { range: stepSite.range, message: 'the step sees zero gradients' },
        ],
        fix: edits && { title: `Move \`${callLabel(source, site.range)}\` after \`${stepLabel}\``, edits, safe: true },
      };
    });
  },
};

import type { Rule } from './rule';
import { reportSite } from '../model/events';
import { callLabel, elsewhere, lineLabel } from './source';
import { syntaxOf } from '../syntax';
import { insertBefore, moveBefore, sameBody } from './fixes';

export const clipScaledGradients: Rule = {
  code: 'CLP003',
  name: 'clip-scaled-gradients',
  severity: 'error',
  summary: 'Under a GradScaler the gradients are multiplied by the loss scale until scaler.unscale_(optimizer): clipping them compares max_norm with scaled norms.',
  check({ ordering, source }) {
    return ordering.scaled.map(({ clip, backward, step, lateUnscale, unscaledOnSomePath, earlyUnscale }) => {
      const site = reportSite(clip.event);
      const scaler = backward.event.scaler ?? 'scaler';
      const optimizer = step?.event.optimizer;
      // unscale_ may run once per step (a second raises): one that comes after the clip, or before
      // the backward, moves before the clip; only where there is none is one added.
      const misplaced = lateUnscale ?? earlyUnscale;
      const edits = misplaced
        ? sameBody(misplaced.event, clip.event)
          ? moveBefore(source, reportSite(misplaced.event), site)
          : undefined
        : optimizer && !unscaledOnSomePath
          ? insertBefore(source, site, syntaxOf(source).unscaleCall(scaler, optimizer))
          : undefined;
      const backwardSite = reportSite(backward.event);
      return {
        anchor: clip.event,
        range: site.range,
        statementRange: site.statementRange,
        message: `These gradients are still multiplied by \`${scaler}\`'s loss scale (65536 at the start; \`${callLabel(source, backwardSite.range)}\`, ${lineLabel(backwardSite.range)}): ${
          clip.event.clip?.kind === 'value'
            ? 'the clip clamps the scaled values, so the real gradients are clamped to clip_value divided by the loss scale'
            : 'the clip measures the scaled norm, so it almost always fires and shrinks the real gradients far below max_norm'
        }. Call \`${scaler}.unscale_(${optimizer ?? 'optimizer'})\` before clipping.`,
        related: [{ range: backwardSite.range, message: 'the backward pass through the GradScaler leaves gradients multiplied by the loss scale' }, ...elsewhere(clip.event, 'the clip this call runs')],
        fix: edits && { title: misplaced ? `Move \`${callLabel(source, reportSite(misplaced.event).range)}\` before the clip` : `Insert \`${scaler}.unscale_(${optimizer})\` before the clip`, edits, safe: true },
      };
    });
  },
};

import type { Rule } from './rule';
import type { RelatedLocation } from '../api';
import { reportSite, type StepEvent } from '../model/events';
import { callLabel, lineLabel } from './source';
import { comparePositions, rangeContains } from '../text';
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
        const backwardRange = reportSite(backward!.event).range;
        const nextPass = comparePositions(backwardRange.start, site.range.start) < 0 && !rangeContains(backwardRange, site.range);
        // A clipped copy moved before the step is still not what the step applies: only a clip in place moves.
        const movable = !clip.event.gradients || clip.event.gradients.inPlace;
        const edits = movable ? moveClipBeforeStep(source, unit.graph, clip.event, step!) : undefined;
        const stepAt = `\`${stepLabel}\` (${lineLabel(reportSite(step!.event).range)})`;
        // Clip and backward both inside one call (`w.backward(loss)` clips, then calls loss.backward()).
        if (sameCall(clip.event, backward!.event)) {
          const inner = innerBackward(backward!.event);
          return {
            anchor: clip.event,
            range: site.range,
            statementRange: site.statementRange,
            message: `\`${callLabel(source, site.range)}\` clips the gradients before its own backward()${inner ? ` (${inner})` : ''}, so ${stepAt} applies gradients the clip never saw. Clip after backward(), right before the step.`,
            related: [...innerLocations(clip.event, backward!.event), { range: reportSite(step!.event).range, message: 'the step uses the unclipped gradients' }],
          };
        }
        // The clip runs inside the function a step differentiates (`minimize(f)` with the clip in `f`).
        if (step!.event.computesGradients && rangeContains(backwardRange, site.range)) {
          return {
            anchor: clip.event,
            range: site.range,
            statementRange: site.statementRange,
            message: `This clip runs inside the function that ${stepAt} differentiates, before the step computes its gradients: the gradients it applies are computed after the clip and never clipped. Compute the gradients first, clip them, then apply the clipped ones.`,
            related: [{ range: backwardRange, message: 'computes and applies gradients after the clip' }],
          };
        }
        return {
          anchor: clip.event,
          range: site.range,
          statementRange: site.statementRange,
          message: clip.event.gradients && step!.event.computesGradients && comparePositions(backwardRange.start, reportSite(step!.event).range.start) === 0
            ? `${stepAt} computes the gradients again after this clip and applies those, unclipped: the clipped ones are never applied. Compute the gradients once, clip them, and apply the clipped ones.`
            : clip.event.gradients
            ? `Gradients are clipped before ${nextPass ? "the next pass's " : ''}\`${backwardLabel}\` (${lineLabel(reportSite(backward!.event).range)}) computes them again, and ${stepAt} applies those, unclipped: the clipped ones are never applied. Compute the gradients once, clip them, and apply the clipped ones.`
            : `Gradients are clipped before ${nextPass ? "the next pass's " : ''}\`${backwardLabel}\` (${lineLabel(reportSite(backward!.event).range)}), so ${stepAt} applies gradients the clip never saw. Clip after backward(), right before the step.`,
          related: [
            { range: reportSite(backward!.event).range, message: 'backward() recomputes the gradients after the clip' },
            { range: reportSite(step!.event).range, message: 'the step uses the unclipped gradients' },
          ],
          fix: edits && { title: `Move the clip directly before \`${stepLabel}\``, edits, safe: true },
        };
      });
  },
};

/** Both events were inlined through the same call written in this unit. */
function sameCall(a: StepEvent, b: StepEvent): boolean {
  if (!a.via.length || !b.via.length) return false;
  const x = a.via[0].range;
  const y = b.via[0].range;
  return x.start.line === y.start.line && x.start.character === y.start.character;
}

/** Where the backward inside the helper is, in words (its line, and its file when it is another). */
function innerBackward(backward: StepEvent): string | undefined {
  const site = backward.site;
  return `${lineLabel(site.range)}${site.file ? ` of ${site.file}` : ''}`;
}

/** The clip and the backward inside the helper, as related locations (in its file). */
function innerLocations(clip: StepEvent, backward: StepEvent): RelatedLocation[] {
  return [located(clip, 'the clip inside the call'), located(backward, 'the backward() after it, inside the call')];
}

function located(event: StepEvent, message: string): RelatedLocation {
  return event.site.file !== undefined ? { file: event.site.file, range: event.site.range, message } : { range: event.site.range, message };
}

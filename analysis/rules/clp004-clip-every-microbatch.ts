import type { Rule } from './rule';
import { reportSite } from '../model/events';
import { callLabel, elsewhere, lineLabel } from './source';
import { wrapInIf } from './fixes';
import { moveClipBeforeStep } from './clip-move';
import { SYNC_KEY, type StepEvent } from '../model/events';
import { rangeContains } from '../text';

export const clipEveryMicrobatch: Rule = {
  code: 'CLP004',
  name: 'clip-every-microbatch',
  severity: 'warning',
  summary: 'Under gradient accumulation the clip runs on every micro-batch and clips partial sums, not the gradient the step applies.',
  check({ ordering, source, unit }) {
    return ordering.clips
      .filter((v) => v.code === 'CLP004')
      .map(({ clip, step }) => {
        const site = reportSite(clip.event);
        const stepSite = reportSite(step!.event);
        const stepLabel = callLabel(source, stepSite.range);
        const syncOnly = step!.event.guards.some((g) => g.key === SYNC_KEY) && !step!.event.guards.some((g) => g.key !== SYNC_KEY && g.accumulation);
        const accelerator = acceleratorOf(unit);
        let fix;
        if (syncOnly && accelerator) {
          const edits = wrapInIf(source, site, `${accelerator}.sync_gradients`);
          fix = edits && { title: `Clip only when \`${accelerator}.sync_gradients\``, edits, safe: true };
        } else if (!clip.event.gradients || clip.event.gradients.inPlace) {
          // (A clipped copy moved is no longer the value the micro-batch sum is built from: no move.)
          const edits = moveClipBeforeStep(source, unit.graph, clip.event, step!);
          fix = edits && { title: `Move the clip into the accumulation guard, directly before \`${stepLabel}\``, edits, safe: true };
        }
        // No accumulation in sight (no guard on the step, no inner loop of backward calls it comes
        // after): the loop goes round past the step (a `continue` on a bad loss) without clearing
        // the gradients.
        const accumulating = syncOnly || step!.event.guards.some((g) => g.accumulation) || insideLoopWithout(clip.event, step!.event) || !unit.graph.sameLoop(step!.node, clip.node);
        const where = `\`${stepLabel}\` (${lineLabel(stepSite.range)})`;
        return {
          anchor: clip.event,
          range: site.range,
          statementRange: site.statementRange,
          message: clip.event.gradients
            ? `This clip runs on every micro-batch and clips each one's gradients, but ${where} applies their sum once per accumulation window: the sum is not clipped to the threshold (it can reach the threshold times the number of micro-batches). Sum the gradients first and clip the sum, right before the step.`
            : accumulating
            ? `This clip runs on every micro-batch, but ${where} only steps once per accumulation window: it clips partial sums, so the gradient the step applies is not clipped to max_norm. Clip only right before the step${syncOnly && accelerator ? ` (inside \`if ${accelerator}.sync_gradients:\`)` : ''}.`
            : `On some passes the loop goes round without reaching ${where} and without clearing the gradients: the next backward adds to gradients this clip already scaled, so the step applies a sum the clip never saw. Clear the gradients before skipping the step (\`zero_grad()\` before \`continue\`), or clip only right before the step.`,
          related: [{ range: stepSite.range, message: accumulating ? 'the step runs only when the accumulation window ends' : 'some passes skip this step and keep their gradients' }, ...elsewhere(clip.event, 'the clip this call runs')],
          fix,
        };
      });
  },
};

function acceleratorOf(unit: import('../model/graph').Unit): string | undefined {
  for (const node of unit.graph.nodes) for (const event of node.events) if (event.accelerator) return event.accelerator;
  return undefined;
}

/** The clip sits in a loop the step is outside of (an inner loop of micro-batches). */
function insideLoopWithout(clip: StepEvent, step: StepEvent): boolean {
  const at = reportSite(step).statementRange;
  return reportSite(clip).loops.some((loop) => !rangeContains(loop, at));
}

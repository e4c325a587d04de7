// CLP002 where gradients are values: the clip returns a clipped copy, and the step applies the map
// the copy was made from. The fix passes the copy to the step, where its name is in scope there
// and always holds it.
import type { FindingDraft } from './rule';
import { reportSite, type StepEvent } from '../model/events';
import type { SourceLines } from '../text';
import { callLabel, lineLabel } from './source';

export function unappliedCopy(source: SourceLines, clip: StepEvent, step: StepEvent): Omit<FindingDraft, 'anchor'> & { anchor: StepEvent } {
  const site = reportSite(clip);
  const stepSite = reportSite(step);
  const flow = clip.gradients!;
  const argument = step.gradients?.argument;
  const applied = argument ? `\`${argument.text.replace(/\s+/g, ' ')}\`` : 'the map it was made from';
  const stepAt = `\`${callLabel(source, stepSite.range)}\` (${lineLabel(stepSite.range)})`;
  const holder = flow.holder;
  const inScope = step.gradients?.inScope ?? [];
  const passable = !!holder && inScope.includes(holder);
  // The name the clipped value ends up in where the step can see it (`clipped` of `const clipped = tf.tidy(() => { …; return out; })`).
  const carrier = passable ? undefined : flow.carriers?.find((name) => inScope.includes(name));
  const unclipped = `${stepAt} applies ${applied}, the unclipped map: the update never sees the clip.`;
  let message: string;
  if (!holder) message = `The clipped gradients this call returns are dropped, and ${stepAt} applies ${applied}, unclipped: a clip returns a new value and leaves its input as it was. Keep the result and pass it to the step.`;
  else if (passable) message = `\`${holder}\` holds the clipped gradients, but ${unclipped} Pass \`${holder}\` to the step.`;
  else if (carrier) message = `The clipped gradients end up in \`${carrier}\` (as \`${holder}\` here), but ${unclipped} Pass \`${carrier}\` to the step.`;
  else if (flow.rebound) message = `\`${holder}\` holds the clipped gradients, but ${unclipped} Giving \`${holder}\` a new value leaves the map it was read from as it was: write the clipped value back into the map the step applies.`;
  else message = `\`${holder}\` holds the clipped gradients, but ${unclipped} \`${holder}\` is not in scope at the step: apply the clipped map there, or write the clipped values back into the map the step applies.`;
  const fixable = passable && !!flow.definite && !!argument && step.site.body === clip.site.body;
  return {
    anchor: clip,
    range: site.range,
    statementRange: site.statementRange,
    message,
    related: [{ range: stepSite.range, message: 'applies the unclipped gradients' }],
    fix: fixable ? { title: `Apply \`${holder}\` instead of ${applied}`, edits: [{ range: argument!.range, newText: holder! }], safe: true } : undefined,
  };
}

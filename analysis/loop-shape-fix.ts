// What the fixes of CLP001–CLP005 do to one pass of a loop, so the Lab can run the fixed order
// beside the code's: the clip moves to directly before its step (after `unscale_`, into the
// accumulation window's end), `unscale_` comes before the clip, `zero_grad` goes after the step.
import type { LoopCall } from './api';
import type { StepEvent } from './model/events';

/** A call of a pass, with the event it came from (none for a call a fix adds). */
export interface PassCall extends LoopCall {
  event?: StepEvent;
}

export type OrderingFix =
  /** CLP001, CLP002, CLP004: the clip moves to directly before the step its gradients go to. */
  | { kind: 'clip-before-step'; clip: StepEvent; step?: StepEvent }
  /** CLP003: `unscale_` before the clip (the late one moved up, or a new one). */
  | { kind: 'unscale-before-clip'; clip: StepEvent; lateUnscale?: StepEvent }
  /** CLP005: the `zero_grad` moves to directly after the step. */
  | { kind: 'zero-after-step'; zero: StepEvent; step: StepEvent };

const RANK: Record<OrderingFix['kind'], number> = { 'zero-after-step': 0, 'clip-before-step': 1, 'unscale-before-clip': 2 };

export function fixedPass(pass: readonly PassCall[], fixes: readonly OrderingFix[]): PassCall[] {
  let calls = [...pass];
  for (const fix of [...fixes].sort((a, b) => RANK[a.kind] - RANK[b.kind])) {
    if (fix.kind === 'zero-after-step') calls = zeroAfterStep(calls, fix.zero, fix.step);
    else if (fix.kind === 'clip-before-step') calls = clipBeforeStep(calls, fix.clip, fix.step);
    else calls = unscaleBeforeClip(calls, fix.clip, fix.lateUnscale);
  }
  return calls;
}

function zeroAfterStep(calls: PassCall[], zero: StepEvent, step: StepEvent): PassCall[] {
  const at = calls.findIndex((c) => c.event === zero);
  if (at < 0 || !calls.some((c) => c.event === step)) return calls;
  const rest = calls.filter((_, i) => i !== at);
  const stepAt = rest.findIndex((c) => c.event === step);
  rest.splice(stepAt + 1, 0, { ...calls[at], windowEnd: rest[stepAt].windowEnd });
  return rest;
}

function clipBeforeStep(calls: PassCall[], clip: StepEvent, step: StepEvent | undefined): PassCall[] {
  const at = calls.findIndex((c) => c.event === clip);
  if (at < 0) return calls;
  // An `unscale_` directly before the clip moves with it (never a second one before the step).
  const carried = at > 0 && calls[at - 1].call === 'unscale' ? [calls[at - 1]] : [];
  const moving = new Set<PassCall>([...carried, calls[at]]);
  const rest = calls.filter((c) => !moving.has(c));
  let stepAt = step ? rest.findIndex((c) => c.event === step) : -1;
  if (stepAt < 0) {
    // The pass's step: the first after its last backward.
    const lastBackward = rest.map((c) => c.call).lastIndexOf('backward');
    stepAt = rest.findIndex((c, i) => i > lastBackward && c.call === 'step');
  }
  if (stepAt < 0) return calls;
  const windowEnd = rest[stepAt].windowEnd;
  const unscaledBefore = rest.slice(0, stepAt).some((c) => c.call === 'unscale');
  const inserted = [...(unscaledBefore ? [] : carried), calls[at]].map((c) => ({ ...c, windowEnd }));
  rest.splice(stepAt, 0, ...inserted);
  return rest;
}

function unscaleBeforeClip(calls: PassCall[], clip: StepEvent, lateUnscale: StepEvent | undefined): PassCall[] {
  const at = calls.findIndex((c) => c.event === clip);
  if (at < 0) return calls;
  // Already unscaled since the last backward: nothing to add.
  const lastBackward = calls.slice(0, at).map((c) => c.call).lastIndexOf('backward');
  if (calls.slice(lastBackward + 1, at).some((c) => c.call === 'unscale')) return calls;
  const late = lateUnscale ? calls.findIndex((c, i) => i > at && c.event === lateUnscale) : -1;
  const rest = late >= 0 ? calls.filter((_, i) => i !== late) : [...calls];
  rest.splice(at, 0, { call: 'unscale', windowEnd: calls[at].windowEnd, event: late >= 0 ? calls[late].event : undefined });
  return rest;
}

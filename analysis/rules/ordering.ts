// Where a clip or a zero_grad sits relative to backward and step, as path properties of the flow
// graph. Computed once per unit; the rules CLP001–CLP005 read these verdicts. Precedence lives
// here: one ordering finding per clip (CLP001 over CLP002 over CLP004), and a clip made useless
// only by a misplaced zero_grad is left to CLP005.
import type { Range } from '../api';
import type { StepEvent } from '../model/events';
import type { FlowGraph, Unit } from '../model/graph';
import { allEvents, guardAssumptions, is, searchBackward, searchForward, type EventRef, type Predicate } from '../model/paths';

export interface ClipVerdict {
  code: 'CLP001' | 'CLP002' | 'CLP004';
  clip: EventRef;
  backward?: EventRef;
  step?: EventRef;
  /**
   * CLP002 where gradients are values: the clip makes a clipped copy that no step applies, and
   * `step` applies the map the copy was made from.
   */
  unapplied?: boolean;
}

export interface ScaledClip {
  clip: EventRef;
  backward: EventRef;
  /** The step this clip's gradients go to (for the optimizer's name in the fix). */
  step?: EventRef;
  /** An `unscale_` that comes too late (after the clip, before the step): the fix moves it. */
  lateUnscale?: EventRef;
  /** Some path already unscales before the clip: adding another would raise on that path. */
  unscaledOnSomePath: boolean;
  /**
   * An `unscale_` that runs before the scaled backward of the same step (it unscales gradients
   * that the backward then overwrites): the fix moves it, since a second one would raise.
   */
  earlyUnscale?: EventRef;
}

export interface ZeroVerdict {
  zero: EventRef;
  backward: EventRef;
  step: EventRef;
}

export interface OrderingVerdicts {
  clips: ClipVerdict[];
  scaled: ScaledClip[];
  zeros: ZeroVerdict[];
  /** Steps no clip reaches from their backward: where "add clipping" is offered. */
  unclippedSteps: EventRef[];
}

const isBackward = is('backward');
const isStep = is('step');
const isZero = is('zero');
const isUnscale = is('unscale');
/** A clip that changes gradients (not a measurement with max_norm=inf, not a non-existent API). */
export const isEffectiveClip: Predicate = (e) => e.kind === 'clip' && !!e.clip && e.clip.kind !== 'missing' && !e.clip.measuresOnly;
const either = (a: Predicate, b: Predicate): Predicate => (e) => a(e) || b(e);
const ownerOf = (e: StepEvent) => e.optimizer ?? e.within;
const sameOptimizer = (a: StepEvent, b: StepEvent) => !ownerOf(a) || !ownerOf(b) || ownerOf(a) === ownerOf(b);

/** Both events were inlined through the same call written in the unit. */
function sameHelperCall(a: StepEvent, b: StepEvent): boolean {
  const [x, y] = [a.via[0], b.via[0]];
  return !!x && !!y && x.file === y.file && x.range.start.line === y.range.start.line && x.range.start.character === y.range.start.character;
}

export function orderingVerdicts(unit: Unit): OrderingVerdicts {
  const graph = unit.graph;
  // A graph that could not hold all the code it should (a size bound) draws no placement verdict.
  if (graph.incomplete || graph.orderIsData) return { clips: [], scaled: [], zeros: [], unclippedSteps: [] };
  const zeros = zeroVerdicts(graph);
  const wastedZeros = new Set(zeros.map((z) => z.zero.event));
  const clips: ClipVerdict[] = [];
  const scaled: ScaledClip[] = [];
  const backwards = allEvents(graph, isBackward);
  const hasBackward = backwards.length > 0;
  // Loops (strongly connected parts of the graph) that run a backward: training loops.
  const trainingLoops = new Set(backwards.map((b) => graph.loopOf(b.node)).filter((loop) => loop !== -1));

  for (const clip of allEvents(graph, isEffectiveClip)) {
    const verdict = clipVerdict(graph, clip, wastedZeros, hasBackward, trainingLoops);
    if (verdict) {
      clips.push(verdict);
      if (verdict.code !== 'CLP004') continue;
    }
    // A scaled backward reaching the clip with no unscale_ between, on a path that can still go on
    // to a step (`for opt in optimizers: scaler.unscale_(opt)` skipped only if there is no
    // optimizer, and then nothing steps either).
    const anyStep = searchForward(graph, clip, isStep, isBackward).hits.length > 0;
    const scaledBackward = searchBackward(graph, clip, isBackward, isUnscale).hits.find(
      (h) => h.event.scaled && (!anyStep || searchForward(graph, { ...clip, assumptions: [...guardAssumptions(clip.event), ...h.assumptions] }, isStep, isBackward).hits.length > 0),
    );
    // A helper that unscales before its own clip (Accelerate's `clip_grad_norm_`) decides for
    // itself when there is anything to unscale: the conditions it tests are its own state, which
    // the analysis cannot relate to the backward's, so a path around its unscale_ proves nothing.
    const unscalingHelper = scaledBackward && searchBackward(graph, clip, isUnscale, isBackward).hits.some((u) => sameHelperCall(u.event, clip.event));
    if (scaledBackward && !unscalingHelper) {
      const step = searchForward(graph, clip, isStep, isBackward).hits[0];
      const lateUnscale = searchForward(graph, clip, isUnscale, either(isStep, isBackward)).hits[0];
      const unscaledOnSomePath = searchBackward(graph, clip, isUnscale, isBackward).hits.length > 0;
      const earlyUnscale = searchBackward(graph, scaledBackward, isUnscale, isStep).hits[0];
      scaled.push({ clip, backward: scaledBackward, step, lateUnscale, unscaledOnSomePath, earlyUnscale });
    }
  }
  // A step whose clip sits after it already has a fix (CLP002): no "add clipping" there.
  const misplaced = new Set(clips.map((v) => v.step?.event));
  // A mistake inside a helper of another file that the other file reports itself is its finding.
  const owned = unit.facts.ownedElsewhere;
  const mine = (event: StepEvent) => !owned || !event.site.file || !owned(event);
  return {
    clips: clips.filter((v) => mine(v.clip.event)),
    scaled: scaled.filter((v) => mine(v.clip.event)),
    zeros: zeros.filter((v) => mine(v.zero.event)),
    unclippedSteps: unclippedSteps(graph).filter((s) => !misplaced.has(s.event)),
  };
}

function clipVerdict(graph: FlowGraph, clip: EventRef, wastedZeros: Set<StepEvent>, hasBackward: boolean, trainingLoops: Set<number>): ClipVerdict | undefined {
  if (clip.event.gradients) return valueClipVerdict(graph, clip);
  // CLP001: clip → backward → step, with no clip between the backward and the step and nothing
  // clearing the clipped gradients before that backward. A path that leaves the clip's training
  // loop for a later loop's backward (a pretraining loop, then fine-tuning) counts only when
  // nothing is wrong inside the clip's own loop.
  let leavingLoop: ClipVerdict | undefined;
  const trainingLoop = trainingLoops.has(graph.loopOf(clip.node));
  // (Another clip on the way to that backward, say of a second model, changes nothing.)
  for (const backward of searchForward(graph, clip, isBackward, either(isZero, isStep)).hits) {
    const step = searchForward(graph, backward, isStep, isEffectiveClip).hits[0];
    if (!step) continue;
    if (trainingLoop && !graph.sameLoop(backward.node, clip.node)) leavingLoop ??= { code: 'CLP001', clip, backward, step };
    else return { code: 'CLP001', clip, backward, step };
  }

  // CLP002: backward → step → clip, and from the clip no step before the gradients are cleared,
  // recomputed or the unit ends.
  // Only where that step applied unclipped gradients: a clip repeated after a clipped step (or a
  // `finally` that clips again on a pass that cleared them) changes nothing the update used.
  const stepBefore = searchBackward(graph, clip, isStep, isBackward).hits.find((step) => searchBackward(graph, step, isBackward, isEffectiveClip).hits.length > 0);
  if (stepBefore && hasBackward) {
    const ahead = searchForward(graph, clip, isStep, either(isBackward, isZero));
    const wastedByZero = ahead.stops.some((s) => wastedZeros.has(s.event));
    if (!ahead.hits.length && !wastedByZero) return { code: 'CLP002', clip, step: stepBefore };
  }

  // CLP004: from the clip, another backward before any step or zero_grad, then a step: the clip
  // saw a partial sum of an accumulation window.
  // A clip inside the step's own accumulation guard runs once per window: not this.
  const clipAccumulation = clip.event.guards.filter((g) => g.accumulation);
  const insideStepGuard = (step: EventRef) => clipAccumulation.some((g) => step.event.guards.some((s) => s.key === g.key && s.polarity === g.polarity));
  for (const backward of searchForward(graph, clip, isBackward, either(isStep, isZero)).hits) {
    const step = searchForward(graph, backward, isStep, isZero).hits.find((s) => !insideStepGuard(s));
    if (step) return { code: 'CLP004', clip, backward, step };
  }
  // Without a loop around the clip (a per-batch training_step), a step under an accumulation
  // guard that the clip is outside of counts too.
  if (!graph.onCycle(clip.node)) {
    const clipGuardKeys = new Set(clip.event.guards.map((g) => g.key));
    for (const step of searchForward(graph, clip, isStep, either(isBackward, isZero)).hits) {
      if (step.event.guards.some((g) => g.accumulation && !clipGuardKeys.has(g.key))) return { code: 'CLP004', clip, step };
    }
  }
  return leavingLoop;
}

/**
 * A clip of gradient values (TensorFlow.js): what matters is which value reaches a step. A step
 * takes the clip when it may apply the clipped value (or what it applies is not known). When no
 * step after the clip takes it and the value is used nowhere else:
 * - CLP002: a step before the clip applied the map the clip reads (clip after the step);
 * - CLP001: a backward after the clip and then a step applying what that backward computed
 *   (`optimizer.minimize(f)` with the clip inside `f`, or before it);
 * - CLP002: a step after the clip applies the map it reads instead of the clipped copy (`unapplied`).
 * CLP004: the clipped value is summed over micro-batches: from the clip the backward it clips runs
 * again before any step (the next micro-batch), then a step applies (something computed from) the
 * clipped value.
 */
function valueClipVerdict(graph: FlowGraph, clip: EventRef): ClipVerdict | undefined {
  const flow = clip.event.gradients!;
  const made = flow.makes;
  const reads = new Set(flow.reads ?? []);
  const applied = (e: StepEvent) => e.gradients?.applies;
  const known = (e: StepEvent) => isStep(e) && applied(e) !== undefined;
  const takesKnown = (e: StepEvent) => known(e) && ((made !== undefined && applied(e)!.includes(made)) || (!!flow.inPlace && applied(e)!.some((id) => reads.has(id))));
  const takes = (e: StepEvent) => isStep(e) && (!known(e) || takesKnown(e));
  const appliesSource = (e: StepEvent) => known(e) && applied(e)!.some((id) => reads.has(id));
  // Searches without a stop cross the whole unit: only where some event could end them (values
  // are made at one call, so the steps that apply them are few and near).
  const search = (forward: boolean, from: EventRef, target: Predicate, stop: Predicate) => (anyEvent(graph, target) ? (forward ? searchForward : searchBackward)(graph, from, target, stop).hits : []);
  // A backward that computes the map the clip read again: an in-place clip's work is gone.
  const recomputes = (e: StepEvent) => flow.inPlace === true && isBackward(e) && e.gradients?.makes !== undefined && reads.has(e.gradients.makes);
  const taken = search(true, clip, takes, recomputes).length > 0;
  if (taken) {
    if (flow.perExample) return undefined;
    // The same backward again (the next micro-batch), not another model's.
    for (const backward of searchForward(graph, clip, (e) => isBackward(e) && e.gradients?.makes !== undefined && reads.has(e.gradients.makes), isStep).hits) {
      const step = search(true, backward, takesKnown, never)[0];
      if (step) return { code: 'CLP004', clip, backward, step };
    }
    // Without a loop around the clip (a per-batch method), a step applying the clipped value under
    // an accumulation guard the clip is outside of.
    if (!graph.onCycle(clip.node)) {
      const clipGuards = new Set(clip.event.guards.map((g) => g.key));
      const step = search(true, clip, (e) => takesKnown(e) && e.guards.some((g) => g.accumulation && !clipGuards.has(g.key)), never)[0];
      if (step) return { code: 'CLP004', clip, step };
    }
    return undefined;
  }
  if (flow.escapes) return undefined;
  // After a step that applied the map it reads: a copy made there is not recomputed into the next
  // pass's backward (that backward makes a new map), so this is CLP002, not CLP001.
  const before = search(false, clip, appliesSource, (e) => isBackward(e) && !!e.gradients?.makes && reads.has(e.gradients.makes) && !flow.inPlace)[0];
  if (before) return { code: 'CLP002', clip, step: before };
  // (A backward of a later loop, or of code after the clip's loop, computes gradients for another
  // purpose. A loop over the map's entries that runs no backward or step is no training loop.)
  const inTrainingLoop = trainingLoopsOf(graph, clip.event).length > 0;
  const together = (backward: EventRef) => graph.sameLoop(backward.node, clip.node) || (!graph.onCycle(backward.node) && !inTrainingLoop);
  for (const backward of searchForward(graph, clip, isBackward, isStep).hits) {
    if (!together(backward)) continue;
    const makes = backward.event.gradients?.makes;
    if (makes === undefined) continue;
    const step = search(true, backward, (e) => known(e) && !takesKnown(e) && applied(e)!.includes(makes), never)[0];
    if (step) return { code: 'CLP001', clip, backward, step };
  }
  const after = search(true, clip, appliesSource, never)[0];
  if (after) return { code: 'CLP002', clip, step: after, unapplied: true };
  return undefined;
}

const never: Predicate = () => false;

/** The loops around an event (through the helper calls it is inlined by) that also hold a backward or a step. */
function trainingLoopsOf(graph: FlowGraph, event: StepEvent): Range[] {
  const loopsOf = (e: StepEvent) => [...e.via.flatMap((v) => v.loops), ...e.site.loops];
  const training: Range[] = [];
  for (const node of graph.nodes) for (const e of node.events) if (isBackward(e) || isStep(e)) training.push(...loopsOf(e));
  return loopsOf(event).filter((loop) => training.some((t) => sameRange(t, loop)));
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function anyEvent(graph: FlowGraph, predicate: Predicate): boolean {
  for (const node of graph.nodes) for (const event of node.events) if (predicate(event)) return true;
  return false;
}

/**
 * zero_grad on a path backward → zero_grad → step, where no backward can come between the
 * zero_grad and the step: the step (and any clip) sees cleared gradients. A zero_grad followed on
 * some path by a fresh backward (an accumulation loop after it, a backward under a flag) clears
 * only what came before — a debugging pass, the previous iteration — and the step's usual path
 * sees gradients; only its loop's zero-trip or the flag's other branch would not.
 */
function zeroVerdicts(graph: FlowGraph): ZeroVerdict[] {
  const verdicts: ZeroVerdict[] = [];
  for (const zero of allEvents(graph, isZero)) {
    // Steps and zero_grads of other optimizers (an encoder's, then the decoder's) do not end it.
    const mine = (e: StepEvent) => (isStep(e) || isZero(e)) && sameOptimizer(zero.event, e);
    const backward = searchBackward(graph, zero, isBackward, mine).hits[0];
    if (!backward) continue;
    // Only this optimizer's own step or zero_grad ends the window (a second optimizer's zero_grad
    // right after, as GANs and multi-network trainers do, does not).
    if (searchForward(graph, zero, isBackward, mine).hits.length) continue;
    const step = searchForward(graph, zero, (e) => isStep(e) && sameOptimizer(zero.event, e), isBackward).hits[0];
    if (step) verdicts.push({ zero, backward, step });
  }
  return verdicts;
}

/** Steps with a backward before them and no clip on any path between. */
function unclippedSteps(graph: FlowGraph): EventRef[] {
  const steps: EventRef[] = [];
  for (const step of allEvents(graph, isStep)) {
    const back = searchBackward(graph, step, either(isBackward, (e) => e.kind === 'clip'), () => false);
    if (back.hits.length && back.hits.every((h) => h.event.kind === 'backward')) steps.push(step);
  }
  return steps;
}


export { guardAssumptions };

// Loop shapes from the step model: for each loop of a unit that runs a backward and a step (or a
// unit that runs both without a loop, like a `training_step`), the calls of one pass in the order
// the flow graph runs them, which of them run only at an accumulation window's end, the same pass
// with the loop's ordering findings fixed, and the settings the code states. This is what "Show in
// Gradient Lab" replays: the user's order beside the fixed one.
import type { LoopCall, LoopCallName, LoopShape, Range, RuleCode } from './api';
import type { ClipDetails, StepEvent } from './model/events';
import type { FlowGraph, Unit } from './model/graph';
import type { OrderingVerdicts } from './rules/ordering';
import { isEffectiveClip } from './rules/ordering';
import { PassGraph, type PassEvent } from './loop-shape-pass';
import { fixedPass, type OrderingFix, type PassCall } from './loop-shape-fix';
import { emptySettings, positionKey, type StatedNumber, type TrainingSettings } from './loop-shape-settings';
import { rangeContains } from './text';

/** A finding a rule made in this unit, by the origin of the event it is about. */
export interface UnitFinding {
  code: RuleCode;
  origin: { line: number; character: number; kind: string };
}

const ORDERING_CODES = new Set<RuleCode>(['CLP001', 'CLP002', 'CLP003', 'CLP004', 'CLP005']);

const CALL_NAMES: Record<StepEvent['kind'], LoopCallName> = { zero: 'zero_grad', backward: 'backward', unscale: 'unscale', clip: 'clip', step: 'step' };

/** Calls the Lab replays: a clip that only measures (max_norm=inf) or does not exist changes nothing. */
const isTrainingCall = (event: StepEvent) => event.kind !== 'clip' || isEffectiveClip(event);

export function loopShapes(unit: Unit, ordering: OrderingVerdicts, findings: readonly UnitFinding[]): LoopShape[] {
  // Most units (helpers, models, a clip-only function) run no backward or no step: nothing to do.
  let anyBackward = false;
  let anyStep = false;
  for (const node of unit.graph.nodes) {
    for (const event of node.events) {
      if (event.kind === 'backward') anyBackward = true;
      else if (event.kind === 'step') anyStep = true;
    }
  }
  if (!anyBackward || !anyStep) return [];
  const loops = new Map<string, { range: Range; events: Set<StepEvent>; nodes: Set<number>; backward: boolean; step: boolean }>();
  let anyInLoop = false;
  const closureLoops = closureEventLoops(unit);
  for (const node of unit.graph.nodes) {
    for (const event of node.events) {
      if (!isTrainingCall(event)) continue;
      const around = closureLoops.get(event) ?? unitLoops(event);
      anyInLoop ||= around.length > 0 || allLoops(event).length > 0;
      for (const range of around) {
        // Loops of one body never start at the same place.
        const key = positionKey(range.start);
        let loop = loops.get(key);
        if (!loop) loops.set(key, (loop = { range, events: new Set(), nodes: new Set(), backward: false, step: false }));
        loop.events.add(event);
        loop.nodes.add(node.id);
        if (event.kind === 'backward') loop.backward = true;
        else if (event.kind === 'step') loop.step = true;
      }
    }
  }
  const training: Array<{ range: Range; events: Set<StepEvent>; nodes: Set<number> }> = [...loops.values()].filter((loop) => loop.backward && loop.step);
  // Straight-line code (a `training_step` called once per batch) is one pass of the caller's loop.
  if (!training.length && !anyInLoop) {
    const events = new Set<StepEvent>();
    const nodes = new Set<number>();
    for (const node of unit.graph.nodes) {
      for (const event of node.events) {
        if (!isTrainingCall(event)) continue;
        events.add(event);
        nodes.add(node.id);
      }
    }
    training.push({ range: unit.range, events, nodes });
  }
  if (!training.length) return [];
  const graph = new PassGraph(unit.graph, allLoops);
  const settings = unit.facts.settings ?? emptySettings();
  const codesByOrigin = new Map<string, RuleCode[]>();
  for (const f of findings) {
    if (!ORDERING_CODES.has(f.code)) continue;
    const key = `${f.origin.line}:${f.origin.character}:${f.origin.kind}`;
    codesByOrigin.set(key, [...(codesByOrigin.get(key) ?? []), f.code]);
  }
  const fixes = orderingFixes(ordering);
  // A clipped copy no step applies (gradients as values) changes nothing the update uses.
  const unapplied = new Set(ordering.clips.filter((v) => v.unapplied).map((v) => v.clip.event));
  return training.map((loop) => shapeOf(loop, unit.graph, graph, fixes, codesByOrigin, settings, unapplied));
}

function shapeOf(
  { range, events, nodes }: { range: Range; events: Set<StepEvent>; nodes: Set<number> },
  flow: FlowGraph,
  graph: PassGraph,
  fixesByEvent: Map<StepEvent, Array<{ code: RuleCode; fix: OrderingFix }>>,
  codesByOrigin: Map<string, RuleCode[]>,
  settings: TrainingSettings,
  unapplied: ReadonlySet<StepEvent>,
): LoopShape {
  const found = new Set<RuleCode>();
  for (const event of events) for (const code of codesByOrigin.get(event.origin) ?? []) found.add(code);
  const codes = [...found].sort();
  // The pass shown is one where the finding happens: under CLP003, an `unscale_` behind a
  // condition the clip is not under (`if args.log_grads:`) is the arm that hides it.
  const hidden = found.has('CLP003') ? optionalUnscales(events) : new Set<StepEvent>();
  const walked = graph.longestPath(nodes, (e) => events.has(e) && !hidden.has(e));
  const path = walked.events.map((p) => p.event);
  const skip = windowSkip(flow, walked, settings);
  const { pass, innerLoop } = passCalls(range, path, skip?.from);
  const fixes: OrderingFix[] = [];
  for (const event of events) for (const { code, fix } of fixesByEvent.get(event) ?? []) if (found.has(code)) fixes.push(fix);
  // The code's pass runs as if a copy no step applies were not there; the fixed pass applies it.
  const order = pass.filter((call) => !call.event || !unapplied.has(call.event));
  const shape: LoopShape = { range, order: plain(order), fixedOrder: plain(fixedPass(pass, fixes)), codes };

  const clip = path.find(isEffectiveClip)?.clip ?? [...events].find(isEffectiveClip)?.clip;
  if (clip) shape.clip = clipSettings(clip, settings);
  const step = path.find((e) => e.kind === 'step') ?? [...events].find((e) => e.kind === 'step');
  if (step?.optimizer) {
    shape.optimizer = step.optimizer;
    const optimizer = settings.optimizers.get(step.optimizer);
    if (optimizer?.kind) shape.optimizerKind = optimizer.kind;
    if (optimizer?.learningRate) {
      shape.learningRate = optimizer.learningRate.value;
      shape.learningRateText = optimizer.learningRate.text;
    }
    if (optimizer?.momentum) shape.momentum = optimizer.momentum.value;
  }
  const accumulation = accumulationOf(path, innerLoop, settings) ?? skip?.k?.value;
  if (accumulation !== undefined) shape.accumulation = accumulation;
  const scaled = path.find((e) => e.kind === 'backward' && e.scaled);
  if (scaled) {
    const initScale = scaled.scaler ? settings.scalers.get(scaled.scaler)?.initScale : undefined;
    shape.scaler = initScale ? { initScale: initScale.value } : {};
  }
  return shape;
}

/**
 * The pass as calls. Calls under an accumulation guard run at the window's end. Where the loop's
 * backward calls all sit in an inner loop without a step (`for micro_step in range(k):`), one pass
 * of that inner loop is the micro-batch and the rest of the outer pass is the window's end: what
 * runs before the inner loop (a `zero_grad` at the top) ends the previous window, so it goes last.
 */
function passCalls(range: Range, path: StepEvent[], skipFrom?: number): { pass: PassCall[]; innerLoop?: Range } {
  const calls: PassCall[] = path.map((event, i) => ({
    call: CALL_NAMES[event.kind],
    windowEnd: event.guards.some((g) => g.accumulation) || (skipFrom !== undefined && i >= skipFrom) || undefined,
    event,
  }));
  const backwards = path.filter((e) => e.kind === 'backward');
  const inner = backwards.length ? allLoops(backwards[0]).filter((loop) => strictlyInside(loop, range)) : [];
  const innerLoop = inner.find(
    (loop) => backwards.every((b) => allLoops(b).some((l) => sameRange(l, loop))) && !path.some((e) => e.kind === 'step' && allLoops(e).some((l) => sameRange(l, loop))),
  );
  if (!innerLoop) return { pass: calls };
  const inside = (call: PassCall) => !!call.event && allLoops(call.event).some((l) => sameRange(l, innerLoop));
  const first = calls.findIndex(inside);
  const windowEnd = (c: PassCall): PassCall => (inside(c) ? c : { ...c, windowEnd: true });
  return { pass: [...calls.slice(first), ...calls.slice(0, first)].map(windowEnd), innerLoop };
}

/** `unscale_` calls under a condition that no clip of the loop is under. */
function optionalUnscales(events: Set<StepEvent>): Set<StepEvent> {
  const clips = [...events].filter((e) => e.kind === 'clip');
  const out = new Set<StepEvent>();
  for (const e of events) {
    if (e.kind !== 'unscale') continue;
    const own = e.guards.filter((g) => !g.accumulation);
    if (own.length && clips.every((c) => own.some((g) => !c.guards.some((h) => h.key === g.key && h.polarity === g.polarity)))) out.add(e);
  }
  return out;
}

/** What each verdict's fix does to a pass, by the event it moves (the clip, the zero_grad). */
/**
 * `if (i + 1) % k != 0: continue` on the pass: what follows runs only at a window's end. The
 * first call after the branch whose other arm goes straight back to the loop's start, and k.
 */
function windowSkip(flow: FlowGraph, walked: { nodes: number[]; events: PassEvent[] }, settings: TrainingSettings): { from: number; k?: StatedNumber } | undefined {
  for (let i = 0; i < walked.nodes.length - 1; i++) {
    const node = flow.nodes[walked.nodes[i]];
    if (node.next.length < 2) continue;
    for (const edge of node.next) {
      if (edge.to === walked.nodes[i + 1] || edge.back) continue;
      const arm = flow.nodes[edge.to];
      if (arm.events.length || !arm.next.length || !arm.next.every((e) => e.back)) continue;
      const window = (edge.conditions ?? []).find((c) => settings.windowConditions.has(c.key));
      if (!window) continue;
      const after = new Set(walked.nodes.slice(i + 1));
      const from = walked.events.findIndex((e) => after.has(e.node));
      return from < 0 ? undefined : { from, k: settings.accumulation.get(window.key) };
    }
  }
  return undefined;
}

function orderingFixes(ordering: OrderingVerdicts): Map<StepEvent, Array<{ code: RuleCode; fix: OrderingFix }>> {
  const out = new Map<StepEvent, Array<{ code: RuleCode; fix: OrderingFix }>>();
  const add = (event: StepEvent, code: RuleCode, fix: OrderingFix) => out.set(event, [...(out.get(event) ?? []), { code, fix }]);
  for (const verdict of ordering.clips) add(verdict.clip.event, verdict.code, { kind: 'clip-before-step', clip: verdict.clip.event, step: verdict.step?.event });
  for (const scaled of ordering.scaled) add(scaled.clip.event, 'CLP003', { kind: 'unscale-before-clip', clip: scaled.clip.event, lateUnscale: scaled.lateUnscale?.event });
  for (const zero of ordering.zeros) add(zero.zero.event, 'CLP005', { kind: 'zero-after-step', zero: zero.zero.event, step: zero.step.event });
  return out;
}

function clipSettings(clip: ClipDetails, settings: TrainingSettings): NonNullable<LoopShape['clip']> {
  const kind = clip.kind === 'value' || (clip.kind === 'framework' && clip.api.by === 'value') ? 'value' : 'norm';
  const out: NonNullable<LoopShape['clip']> = { kind };
  const threshold = clip.thresholds.find((t) => t.parameter === (kind === 'value' ? 'clip_value' : 'max_norm')) ?? clip.thresholds.find((t) => t.parameter !== 'norm_type');
  const stated = threshold && (threshold.value !== undefined ? { value: threshold.value, text: threshold.text } : settings.thresholds.get(threshold.text));
  if (stated) {
    out.threshold = stated.value;
    out.thresholdText = stated.text;
  }
  const normType = clip.thresholds.find((t) => t.parameter === 'norm_type');
  const norm = clip.normType ?? (normType && !normType.invalid ? settings.thresholds.get(normType.text)?.value : undefined);
  if (kind === 'norm' && norm !== undefined && !Number.isNaN(norm)) out.normType = norm === Infinity ? 'inf' : norm;
  return out;
}

function accumulationOf(path: StepEvent[], innerLoop: Range | undefined, settings: TrainingSettings): number | undefined {
  for (const event of path) {
    for (const guard of event.guards) {
      if (!guard.accumulation) continue;
      const k = settings.accumulation.get(guard.key);
      if (k) return k.value;
    }
  }
  return innerLoop ? settings.iterations.get(positionKey(innerLoop.start))?.value : undefined;
}

function plain(calls: readonly PassCall[]): LoopCall[] {
  return calls.map((c) => (c.windowEnd ? { call: c.call, windowEnd: true } : { call: c.call }));
}

/**
 * A closure handed to `optimizer.step(closure)` runs where the step is: its events (inlined just
 * before the step, written in the closure's own body) are in the step's loops, wherever the
 * closure is defined.
 */
function closureEventLoops(unit: Unit): Map<StepEvent, Range[]> {
  const out = new Map<StepEvent, Range[]>();
  const nodes = unit.graph.nodes;
  for (const node of nodes) {
    node.events.forEach((step, index) => {
      if (step.kind !== 'step' || !step.computesGradients) return;
      const loops = unitLoops(step);
      const inClosure = (e: StepEvent) => e.site.body !== step.site.body && e.via.length === step.via.length;
      // Back from the step over the closure's events (and nodes without events) to where it begins.
      if (!node.events.slice(0, index).every(inClosure)) {
        for (const e of node.events.slice(0, index)) if (inClosure(e)) out.set(e, loops);
        return;
      }
      for (const e of node.events.slice(0, index)) out.set(e, loops);
      const queue = [node.id];
      const seen = new Set(queue);
      while (queue.length && seen.size < 500) {
        for (const edge of nodes[queue.shift()!].prev) {
          if (edge.back || seen.has(edge.to)) continue;
          seen.add(edge.to);
          const events = nodes[edge.to].events;
          if (!events.every(inClosure)) continue;
          for (const e of events) out.set(e, loops);
          queue.push(edge.to);
        }
      }
    });
  }
  return out;
}

/** The loops around an event in the unit's own code (for an inlined event: around the helper call). */
function unitLoops(event: StepEvent): Range[] {
  return event.via.length ? event.via[0].loops : event.site.loops;
}

/** Every loop around an event, the unit's and those inside the helpers it was inlined through. */
function allLoops(event: StepEvent): Range[] {
  if (!event.via.length) return event.site.loops;
  return [...event.via.flatMap((v) => v.loops), ...event.site.loops];
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function strictlyInside(inner: Range, outer: Range): boolean {
  return !sameRange(inner, outer) && rangeContains(outer, inner);
}

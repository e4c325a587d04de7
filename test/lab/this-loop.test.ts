// "This loop": the analyzer's LoopSummary becomes an experiment with the user's order as run A and
// the fixed order as run B, with the loop's settings where the code states them.
import assert from 'node:assert/strict';
import type { LoopSummary } from '../../server/protocol';
import { parseExperiment, type Experiment } from '../../webview/lab/experiment';
import { runToEnd } from '../../webview/lab/runner';
import { runSettings } from '../../webview/lab/run-settings';
import { experimentFromLoop, type LoopInput } from '../../webview/lab/this-loop';

// The webview declares its own copy of LoopSummary; these fail to compile if the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type LoopShapesAssignableBothWays = Assert<Same<LoopSummary, LoopInput>>;
export type LoopShapesHaveTheSameFields = Assert<Same<keyof LoopSummary, keyof LoopInput>>;
export type LoopClipsHaveTheSameFields = Assert<Same<keyof NonNullable<LoopSummary['clip']>, keyof NonNullable<LoopInput['clip']>>>;
export type LoopCallsHaveTheSameFields = Assert<Same<keyof LoopSummary['order'][number], keyof LoopInput['order'][number]>>;

function valid(e: Experiment): Experiment {
  const parsed = parseExperiment(JSON.parse(JSON.stringify(e)));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('\n'));
  return parsed.experiment;
}

const clipAfterStep: LoopSummary = {
  order: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'step' }, { call: 'clip' }],
  fixedOrder: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }],
  codes: ['CLP002'],
  clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
  learningRate: 0.01,
  learningRateText: '1e-2',
  optimizer: 'optimizer',
  optimizerKind: 'adam',
};

describe('Lab: this loop', () => {
  it("replays the loop's order as run A and the fixed order as run B, with a forward before each backward", () => {
    const e = valid(experimentFromLoop(clipAfterStep));
    assert.deepEqual(e.a.calls.map((c) => c.call), ['zero_grad', 'forward', 'backward', 'step', 'clip']);
    assert.deepEqual(e.b.calls.map((c) => c.call), ['zero_grad', 'forward', 'backward', 'clip', 'step']);
    assert.equal(e.a.label, 'your order (CLP002)');
    assert.equal(e.b.label, 'fixed order');
    assert.equal(e.title, 'This loop (CLP002): your order vs the fixed order', 'the title names the order, not the threshold');
    assert.equal(runSettings(e, 'b', { threshold: 1, text: '1.0' })[0], 'clip_grad_norm_(max_norm=1.0)', "the threshold as the code writes it, next to the run");
    assert.deepEqual(e.clip, { mode: 'norm', threshold: 1, normType: 2 });
    assert.equal(e.optimizer.kind, 'adam');
    assert.equal(e.optimizer.lr, 0.01);
    assert.equal(e.accumulation, 1);
    assert.equal(e.scaler, null);
    const { a, b } = runToEnd({ ...e, steps: 30 });
    assert.ok(a.records.some((r) => r.normAfter > 1), 'your order applies unclipped gradients');
    assert.ok(b.records.every((r) => r.normAfter <= 1 + 1e-9));
  });

  it('keeps clip by value, norm type, SGD momentum, a stated accumulation and the scaler', () => {
    const e = valid(
      experimentFromLoop({
        order: [{ call: 'backward' }, { call: 'clip' }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }],
        fixedOrder: [{ call: 'backward' }, { call: 'clip', windowEnd: true }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }],
        codes: ['CLP004'],
        clip: { kind: 'value', threshold: 0.5, thresholdText: '.5', normType: 'inf' },
        optimizerKind: 'sgd',
        momentum: 0.9,
        accumulation: 8,
        scaler: { initScale: 1024 },
      }),
    );
    assert.deepEqual(e.clip, { mode: 'value', threshold: 0.5, normType: 'inf' });
    assert.equal(e.optimizer.momentum, 0.9);
    assert.equal(e.accumulation, 8);
    assert.equal(e.scaler?.initScale, 1024);
    assert.deepEqual(e.b.calls[2], { call: 'clip', windowEnd: true });
    assert.equal(runSettings(e, 'b', { threshold: 0.5, text: '.5' })[0], 'clip_grad_value_(clip_value=.5)');
  });

  it('guesses sensibly where the code is silent: 4 micro-batches under a guard, SGD, max_norm 1 clip by norm, a default scaler for unscale_', () => {
    const e = valid(
      experimentFromLoop({
        order: [{ call: 'backward' }, { call: 'clip' }, { call: 'unscale', windowEnd: true }, { call: 'step', windowEnd: true }],
        fixedOrder: [{ call: 'backward' }, { call: 'unscale', windowEnd: true }, { call: 'clip', windowEnd: true }, { call: 'step', windowEnd: true }],
        codes: ['CLP003', 'CLP004'],
      }),
    );
    assert.equal(e.accumulation, 4);
    assert.equal(e.optimizer.kind, 'sgd');
    assert.deepEqual(e.clip, { mode: 'norm', threshold: 1, normType: 2 });
    assert.equal(e.scaler?.initScale, 65536);
    // The fixed order trains with these guesses (clip once per window, after unscale_).
    const { b } = runToEnd(e);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const loss = b.records.map((r) => r.loss);
    assert.ok(mean(loss.slice(-30)) < 0.5 * mean(loss.slice(0, 10)), `${mean(loss.slice(0, 10))} → ${mean(loss.slice(-30))}`);
  });

  it('always yields a valid experiment, whatever the summary holds', () => {
    const many = Array.from({ length: 100 }, () => ({ call: 'backward' as const }));
    const hostile: LoopInput[] = [
      { order: [], fixedOrder: [], codes: [] },
      { order: [{ call: 'clip' }], fixedOrder: [{ call: 'step' }], codes: ['CLP002'], learningRate: NaN, accumulation: 1e9, clip: { kind: 'norm', threshold: -1 } },
      { order: many, fixedOrder: many, codes: Array(50).fill('CLP001'), clip: { kind: 'norm', threshold: 1e300, thresholdText: 'x\n'.repeat(500), normType: -2 }, learningRate: 1e9 },
      { order: [{ call: 'zero_grad', windowEnd: true }], fixedOrder: [{ call: 'backward', windowEnd: true }], codes: [], accumulation: 2.5, scaler: { initScale: Infinity } },
      { order: [{ call: 'clip' }], fixedOrder: [{ call: 'clip' }], codes: [], clip: { kind: 'value', threshold: 2, thresholdText: 'MAX_\r\nNORM' } },
    ];
    for (const loop of hostile) {
      const e = valid(experimentFromLoop(loop));
      runToEnd({ ...e, steps: 2 });
    }
  });
});

// The call interpreter's semantics: each ordering mistake (CLP001–CLP005) has its effect in
// numbers next to the fixed order, the simulated GradScaler behaves as PyTorch's, and a run that
// diverges ends as a result.
import assert from 'node:assert/strict';
import { clipGradNorm_, div, getTotalNorm, type Tensor } from '../../engine';
import { parseExperiment, type CallSpec, type Experiment } from '../../webview/lab/experiment';
import { buildModel, generateData } from '../../webview/lab/model';
import { presetExperiment } from '../../webview/lab/presets';
import { ruleExperiment } from '../../webview/lab/rule-orders';
import { ExperimentRun, runToEnd, type StepRecord } from '../../webview/lab/runner';

const calls = (...names: (CallSpec['call'] | [CallSpec['call'], 'end'])[]): CallSpec[] =>
  names.map((n) => (Array.isArray(n) ? { call: n[0], windowEnd: true } : { call: n }));

function valid(experiment: Experiment): Experiment {
  const parsed = parseExperiment(JSON.parse(JSON.stringify(experiment)));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('\n'));
  return parsed.experiment;
}

function close(actual: number, expected: number, rtol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= rtol * Math.abs(expected) + 1e-300, `${actual} is not ${expected} (rtol ${rtol})`);
}

const MAX_NORM = 0.05; // the exploding RNN's threshold, which the rule experiments share
const LR = 0.3;

describe('Lab interpreter: ordering mistakes have their effect', () => {
  it('the fixed order: every step applies gradients of norm at most max_norm', () => {
    for (const rule of ['CLP001', 'CLP002', 'CLP003', 'CLP004', 'CLP005'] as const) {
      const result = runToEnd(valid(ruleExperiment(rule, 30)));
      for (const r of result.b.records) {
        if (r.stepSkipped) continue; // the scaler skipped the step: nothing was applied
        assert.ok(r.normAfter <= MAX_NORM * (1 + 1e-9), `${rule} fixed order, step ${r.step}: ${r.normAfter}`);
      }
    }
  });

  it('CLP001 (clip before backward): the clip sees cleared gradients and the step applies the unclipped ones', () => {
    const { a, b } = runToEnd(valid(ruleExperiment('CLP001', 30)));
    // Step 1 starts from the same weights on the same batch, so both runs compute the same gradient.
    assert.equal(a.records[0].normBefore, 0);
    assert.equal(a.records[0].normAfter, b.records[0].normBefore);
    assert.ok(a.records[0].normAfter > 50 * MAX_NORM);
    close(a.records[0].updateSize, LR * a.records[0].normAfter);
    close(b.records[0].updateSize, LR * MAX_NORM, 1e-4);
    assert.ok(a.records.every((r) => r.normBefore === 0 && r.normAfter > MAX_NORM));
  });

  it('CLP002 (clip after step): the update used the unclipped gradients; the clip measures them too late', () => {
    const { a, b } = runToEnd(valid(ruleExperiment('CLP002', 30)));
    assert.equal(a.records[0].normBefore, b.records[0].normBefore);
    assert.equal(a.records[0].normAfter, a.records[0].normBefore);
    close(a.records[0].updateSize, LR * a.records[0].normBefore);
    assert.ok(a.records[0].updateSize > 50 * b.records[0].updateSize);
    assert.ok(a.records.every((r) => r.normAfter > MAX_NORM));
  });

  it('CLP003 (clip under a GradScaler without unscale_): the clip measures norms × 65536 and crushes the gradients', () => {
    const { a, b } = runToEnd(valid(ruleExperiment('CLP003', 30)));
    const [ra, rb] = [a.records[0], b.records[0]];
    assert.equal(ra.lossScale, 65536);
    assert.equal(ra.stepSkipped, false);
    close(ra.normBefore, 65536 * rb.normBefore, 1e-12);
    // clip_coef = max_norm / (scaled norm), then scaler.step divides by 65536 again.
    close(ra.normAfter, MAX_NORM / 65536, 1e-4);
    close(rb.normAfter, MAX_NORM, 1e-4);
    for (const r of a.records.filter((r) => !r.stepSkipped)) assert.ok(r.normAfter <= MAX_NORM / r.lossScale! * (1 + 1e-6), `step ${r.step}`);
  });

  it('CLP004 (clip every micro-batch): partial sums are clipped, not the window gradient', () => {
    const experiment = valid(ruleExperiment('CLP004', 3));
    const { a, b } = runToEnd(experiment);
    // Recompute step 1 by hand: four micro-batches of loss / 4 from the same initial weights.
    const k = experiment.accumulation;
    const batches = generateData(experiment.data, experiment.model, experiment.seed);
    const window = (clipEach: boolean): number => {
      const model = buildModel(experiment.model, experiment.seed);
      let measured = 0;
      for (let i = 0; i < k; i++) {
        div(model.loss(batches[i].x, batches[i].y), k).backward();
        if (clipEach || i === k - 1) measured = clipGradNorm_(model.parameters, MAX_NORM).item();
      }
      return measured;
    };
    close(b.records[0].normBefore, window(false));
    close(a.records[0].normBefore, window(true));
    assert.ok(a.records[0].normBefore < b.records[0].normBefore / 1.5, `${a.records[0].normBefore} vs ${b.records[0].normBefore}`);
    assert.notEqual(a.records[1].loss, b.records[1].loss); // a different update
  });

  it('CLP005 (zero_grad between backward and step): the step sees zeros and nothing trains', () => {
    const experiment = valid(ruleExperiment('CLP005', 20));
    const { a, b } = runToEnd(experiment);
    assert.ok(a.records.every((r) => r.normBefore === 0 && r.normAfter === 0 && r.updateSize === 0));
    assert.ok(b.records.every((r) => r.updateSize > 0));
    // Batch 0 comes back at step 17 (16 batches): the same loss, since the weights never moved.
    assert.equal(a.records[16].loss, a.records[0].loss);
    assert.notEqual(b.records[16].loss, b.records[0].loss);
  });
});

describe('Lab interpreter: runs, settings and the scaler', () => {
  it('runs A and B share the seed, the data and the initial weights', () => {
    const e = presetExperiment('deep-mlp');
    e.steps = 5;
    e.a = { ...e.b, label: 'same as B' };
    const { a, b } = runToEnd(valid(e));
    assert.deepEqual(a.records, b.records);
  });

  it('advance() step by step gives what runToEnd gives, then nothing once finished', () => {
    const e = presetExperiment('pytorch-docs');
    const run = new ExperimentRun(e);
    const seen: { a: StepRecord[]; b: StepRecord[] } = { a: [], b: [] };
    while (!run.finished) {
      const step = run.advance();
      if (step.a) seen.a.push(step.a);
      if (step.b) seen.b.push(step.b);
    }
    assert.deepEqual(run.advance(), {});
    const whole = runToEnd(e);
    assert.deepEqual(seen.a, whole.a.records);
    assert.deepEqual(seen.b, whole.b.records);
    assert.deepEqual(run.status('b'), { done: true });
    assert.deepEqual(run.layerNames, ['linear']);
  });

  it('clip by value bounds every gradient entry; clip by norm honours norm types 1 and inf', () => {
    for (const clip of [
      { mode: 'value', threshold: 0.01, normType: 'inf' },
      { mode: 'norm', threshold: 0.2, normType: 1 },
      { mode: 'norm', threshold: 0.02, normType: 'inf' },
    ] as const) {
      const e = presetExperiment('deep-mlp');
      e.steps = 20;
      e.b.clip = { ...clip };
      const { a, b } = runToEnd(valid(e));
      for (const r of b.records) assert.ok(r.normAfter <= clip.threshold * (1 + 1e-9), `${JSON.stringify(clip)} step ${r.step}: ${r.normAfter}`);
      assert.ok(a.records.some((r) => r.normAfter > clip.threshold));
    }
  });

  it('per-layer norms combine to the total norm', () => {
    const { a, layerNames } = runToEnd(valid({ ...presetExperiment('deep-mlp'), steps: 3 }));
    assert.deepEqual(layerNames, ['fc1', 'fc2', 'fc3', 'fc4', 'fc5', 'fc6', 'out']);
    for (const r of a.records) close(Math.hypot(...r.layerNorms), r.normAfter, 1e-12);
  });

  it('scaler.unscale_ twice in one step stops the run as PyTorch would raise, without throwing', () => {
    const e = ruleExperiment('CLP003', 10);
    e.accumulation = 2;
    e.b.calls = calls('forward', 'backward', 'unscale', 'clip', ['step', 'end'], ['zero_grad', 'end']);
    const { b } = runToEnd(valid(e));
    assert.equal(b.records.length, 0);
    assert.equal(b.status.diverged?.step, 1);
    assert.equal(b.status.diverged?.kind, 'error');
    assert.match(b.status.diverged!.reason, /unscale_\(\) has already been called on this optimizer since the last update\(\)/);
  });

  it('the scaler skips steps on inf gradients and backs off by 0.5; grows by 2 after growthInterval clean steps', () => {
    const e = ruleExperiment('CLP003', 12);
    e.scaler = { initScale: 2 ** 20, growthFactor: 2, backoffFactor: 0.5, growthInterval: 3, float16Overflow: true };
    const { b } = runToEnd(valid(e));
    let expectedScale = 2 ** 20;
    let clean = 0;
    for (const r of b.records) {
      assert.equal(r.lossScale, expectedScale, `step ${r.step}`);
      if (r.stepSkipped) {
        assert.equal(r.updateSize, 0); // nothing applied
        expectedScale /= 2;
        clean = 0;
      } else if (++clean === 3) {
        expectedScale *= 2;
        clean = 0;
      }
    }
    assert.ok(b.records[0].stepSkipped, 'at 2^20 the first backward overflows float16');
    assert.ok(b.records.some((r) => !r.stepSkipped));
    assert.ok(b.records.some((r, i) => i > 0 && r.lossScale! > b.records[i - 1].lossScale!), 'the scale grew at least once');
  });

  it('without float16 overflow the scale never changes the result; unscale without a scaler does nothing', () => {
    const scaled = ruleExperiment('CLP003', 10);
    scaled.scaler!.float16Overflow = false;
    const plain = { ...scaled, scaler: null };
    const s = runToEnd(valid(scaled));
    const p = runToEnd(valid(plain));
    const strip = (rs: StepRecord[]) => rs.map(({ lossScale: _scale, stepSkipped: _skipped, ...rest }) => rest);
    assert.deepEqual(strip(s.b.records), strip(p.b.records));
    // The same loop with unscale and without a scaler is the plain clipped loop (CLP003's A, unscaled).
    assert.deepEqual(strip(p.b.records), strip(p.a.records));
  });

  it('a diverging run ends with diverged: { step, reason }; the other run goes on', () => {
    const e = presetExperiment('deep-mlp');
    const run = new ExperimentRun(valid(e));
    let steps = 0;
    while (!run.finished) {
      run.advance();
      steps++;
    }
    const status = run.status('a');
    assert.equal(status.done, true);
    assert.equal(status.diverged?.kind, 'nonfinite');
    assert.match(status.diverged!.reason, /^the (loss became (inf|NaN)|parameters became inf or NaN)$/);
    assert.equal(run.completed('a'), status.diverged!.step);
    assert.equal(run.completed('b'), e.steps);
    assert.equal(steps, e.steps);
  });

  it('norms the step sees are the gradients after clipping (checked against the engine directly)', () => {
    const e = valid({ ...presetExperiment('pytorch-docs'), steps: 1 });
    const { b } = runToEnd(e);
    const model = buildModel(e.model, e.seed);
    const [batch] = generateData(e.data, e.model, e.seed);
    model.loss(batch.x, batch.y).backward();
    const grads = (ps: Tensor[]) => ps.map((p) => p.grad);
    close(b.records[0].normBefore, getTotalNorm(grads(model.parameters)).item());
    clipGradNorm_(model.parameters, 0.1);
    close(b.records[0].normAfter, getTotalNorm(grads(model.parameters)).item());
  });
});

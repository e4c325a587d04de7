// The presets do what their descriptions promise, in numbers.
import assert from 'node:assert/strict';
import { presetExperiment } from '../../webview/lab/presets';
import { runToEnd, type StepRecord } from '../../webview/lab/runner';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const losses = (rs: StepRecord[]) => rs.map((r) => r.loss);

describe('Lab presets', () => {
  it('exploding RNN: unclipped the gradients explode and the run diverges; clipped by norm it trains', () => {
    const e = presetExperiment('exploding-rnn');
    const { a, b } = runToEnd(e);
    const maxNorm = e.clip.threshold;

    assert.equal(a.status.diverged?.kind, 'nonfinite', 'the unclipped run blows up');
    assert.ok(a.status.diverged!.step < e.steps);
    const finite = a.records.filter((r) => Number.isFinite(r.normBefore)).map((r) => r.normBefore);
    assert.ok(Math.max(...finite) > 1e20, `the unclipped gradient norm reaches ${Math.max(...finite)}`);

    assert.equal(b.status.diverged, undefined);
    assert.equal(b.records.length, e.steps);
    assert.ok(b.records.every((r) => r.normAfter <= maxNorm * (1 + 1e-9)));
    // Both see large gradients early on; only the unclipped run applies them.
    const early = (rs: StepRecord[]) => median(rs.slice(0, 100).map((r) => r.normAfter));
    assert.ok(early(a.records) > 20 * Math.max(...b.records.map((r) => r.normAfter)));
    const start = mean(losses(b.records.slice(0, 10)));
    const end = mean(losses(b.records.slice(-50)));
    assert.ok(end < 0.25 * start, `clipped loss ${start} → ${end}`);
  });

  it('deep MLP at lr 0.5: unclipped it diverges; clipped it fits the data', () => {
    const e = presetExperiment('deep-mlp');
    const { a, b, layerNames } = runToEnd(e);
    assert.equal(layerNames.length, 7);
    assert.equal(a.status.diverged?.kind, 'nonfinite');
    assert.equal(b.status.diverged, undefined);
    assert.ok(b.records.every((r) => r.normAfter <= 1 + 1e-9));
    const start = mean(losses(b.records.slice(0, 10)));
    const end = mean(losses(b.records.slice(-50)));
    assert.ok(end < 0.1 * start, `clipped loss ${start} → ${end}`);
  });

  it('the PyTorch docs example: every norm after clipping is ≤ 0.1, beside the unclipped norms', () => {
    const e = presetExperiment('pytorch-docs');
    assert.deepEqual(e.model, { preset: 'linear', inputs: 2, outputs: 1 });
    assert.deepEqual(e.data, { generator: 'docs-example' });
    assert.equal(e.optimizer.kind, 'sgd');
    assert.equal(e.optimizer.lr, 0.1);
    const { a, b } = runToEnd(e);
    assert.ok(b.records.every((r) => r.normAfter <= 0.1 * (1 + 1e-9)));
    assert.equal(a.records[0].normBefore, b.records[0].normBefore); // the same start
    assert.ok(a.records[0].normAfter > 0.1);
    // Unclipped SGD solves this one-sample problem; clipped to 0.1 per step it is still on its way.
    assert.ok(a.records.at(-1)!.loss < 1e-10);
    assert.ok(b.records.at(-1)!.loss < b.records[0].loss);
    assert.ok(b.records.every((r, i) => i === 0 || r.loss < b.records[i - 1].loss));
  });
});

// The view ↔ host protocol's readers (both sides use them), the controls' mapping onto an
// experiment, the words about A and B, and the page's policy: pure functions, in Node.
import assert from 'node:assert/strict';
import { parseExperiment } from '../../webview/lab/experiment';
import { presetExperiment } from '../../webview/lab/presets';
import { runToEnd } from '../../webview/lab/runner';
import { experimentFromLoop, type LoopInput } from '../../webview/lab/this-loop';
import { contentSecurityPolicy, labPage, makeNonce } from '../../webview/page';
import { readHostMessage, readLoop, readViewMessage } from '../../webview/protocol';
import { applySettings, settingsOf, sliderPosition, sliderValue, THRESHOLD_RANGE } from '../../webview/settings';
import { formatMeasured, summarize } from '../../webview/summary';

const LOOP: LoopInput = {
  order: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'step' }, { call: 'clip' }],
  fixedOrder: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }],
  codes: ['CLP002'],
  clip: { kind: 'norm', threshold: 0.5, thresholdText: '5e-1', normType: 'inf' },
  learningRate: 0.01,
  learningRateText: '1e-2',
  optimizer: 'self.opt',
  optimizerKind: 'adam',
  accumulation: 4,
  scaler: { initScale: 1024 },
};

describe('Gradient Lab protocol and panel logic', () => {
  it('copies a loop summary field by field and drops anything else', () => {
    assert.deepEqual(readLoop(LOOP), LOOP);
    assert.deepEqual(readLoop({ ...LOOP, extra: 'x', clip: { ...LOOP.clip, evil: 1 } }), LOOP);
    for (const bad of [null, [], { ...LOOP, order: 'zero_grad' }, { ...LOOP, order: [{ call: 'exec' }] }, { ...LOOP, codes: [1] }, { ...LOOP, fixedOrder: Array(65).fill({ call: 'step' }) }]) {
      assert.equal(readLoop(bad), undefined, JSON.stringify(bad).slice(0, 80));
    }
  });

  it('reads host and view messages, and nothing that does not fit', () => {
    assert.deepEqual(readHostMessage({ type: 'show-loop', loop: LOOP, file: 'file:///t.py', line: 3, sentAt: 5 }), { type: 'show-loop', loop: LOOP, file: 'file:///t.py', line: 3, sentAt: 5 });
    assert.equal(readHostMessage({ type: 'show-loop', loop: LOOP, file: 'file:///t.py', line: -1, sentAt: 5 }), undefined);
    assert.equal(readHostMessage({ type: 'notice', level: 'debug', message: 'x' }), undefined);
    assert.deepEqual(readViewMessage({ type: 'export-csv', csv: 'a\n', suggestedName: 'run.csv' }), { type: 'export-csv', csv: 'a\n', suggestedName: 'run.csv' });
    for (const name of ['../x.csv', '.bashrc', 'a/b.csv', 'x'.repeat(201)]) assert.equal(readViewMessage({ type: 'export-csv', csv: '', suggestedName: name }), undefined, name);
    assert.equal(readViewMessage({ type: 'export-png', dataUrl: 'data:text/html;base64,PGI+', suggestedName: 'a.png' }), undefined);
    assert.equal(readViewMessage({ type: 'log', level: 'error', message: 'x'.repeat(5000) }), undefined);
    assert.equal(readViewMessage({ type: 'ready' }), undefined);
  });

  it('maps the controls onto the shared settings and keeps the runs’ own overrides', () => {
    const experiment = presetExperiment('exploding-rnn');
    const settings = { ...settingsOf(experiment), clipMode: 'value' as const, threshold: 0.25, normType: 'inf' as const, optimizer: 'sgd-momentum' as const, learningRate: 0.02, steps: 50, seed: 9 };
    const changed = applySettings(experiment, settings);
    assert.deepEqual(changed.clip, { mode: 'value', threshold: 0.25, normType: 'inf' });
    assert.equal(changed.optimizer.kind, 'sgd');
    assert.equal(changed.optimizer.momentum, 0.9);
    assert.equal(changed.optimizer.lr, 0.02);
    assert.equal(changed.steps, 50);
    assert.equal(changed.seed, 9);
    assert.deepEqual(changed.a.clip, experiment.a.clip, "run A's own clipping stays");
    assert.ok(parseExperiment(changed).ok);
    assert.deepEqual(settingsOf(changed), settings);
    assert.equal(experiment.steps, presetExperiment('exploding-rnn').steps, 'the argument is not changed');
  });

  it('puts log sliders on whole positions and reads them back as three-digit values', () => {
    assert.equal(sliderValue(sliderPosition(1, THRESHOLD_RANGE), THRESHOLD_RANGE), 1);
    assert.equal(sliderValue(sliderPosition(0.1, THRESHOLD_RANGE), THRESHOLD_RANGE), 0.1);
    assert.equal(sliderPosition(1e9, THRESHOLD_RANGE), (THRESHOLD_RANGE.maxExponent - THRESHOLD_RANGE.minExponent) * THRESHOLD_RANGE.perDecade);
    assert.equal(sliderValue(sliderPosition(1, THRESHOLD_RANGE) + 1, THRESHOLD_RANGE), 1.12);
  });

  it('says what the loop’s order did, with the threshold as the code writes it', () => {
    const loop: LoopInput = { ...LOOP, optimizerKind: 'sgd', learningRate: 0.3, accumulation: undefined, scaler: undefined, clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' } };
    delete loop.accumulation;
    delete loop.scaler;
    const experiment = experimentFromLoop(loop);
    const result = runToEnd(experiment);
    const lines = summarize(experiment, { kind: 'loop', loop, file: 'file:///t.py', line: 0 }, { records: result.a.records, status: result.a.status }, { records: result.b.records, status: result.b.status });
    assert.equal(lines[0], 'Your order clips after step(): the update has already used the unclipped gradients.');
    const stepsA = result.a.records.length;
    assert.match(lines[1], new RegExp(`^A, your order: no update used clipped gradients \\(the clip runs after step\\(\\)\\); the step used gradients of norm \\S+ \\(median; largest \\S+\\) against max_norm 1\\.0, above it in \\d+ of ${stepsA} steps`));
    assert.match(lines[2], /^B, the fixed order: all 300 updates used clipped gradients; .* against max_norm 1\.0, never above it; final loss \S+\.$/);
    if (result.a.status.diverged) assert.equal(lines[3], `Your order diverged at step ${result.a.status.diverged.step}: ${result.a.status.diverged.reason}.`);
    assert.equal(formatMeasured(48.234), '48');
    assert.equal(formatMeasured(0.000123), '1.2e-4');
    assert.equal(formatMeasured(3.2e7), '3.2e7');
    assert.equal(formatMeasured(0.99999), '1.0', 'two significant digits, trailing zero kept');
    assert.equal(formatMeasured(0.0321), '0.032');
    assert.equal(formatMeasured(123.4), '120');
  });

  it('writes a page whose only scripts carry a fresh nonce', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(nonce, makeNonce());
    const html = labPage({ bundleRoot: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview', cspSource: 'https://*.vscode-cdn.net', nonce });
    const scripts = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 1);
    assert.ok(scripts.every((s) => s.includes(`nonce="${nonce}"`) && s.includes('src=')));
    assert.doesNotMatch(html, /style="/);
    assert.ok(html.includes(contentSecurityPolicy('https://*.vscode-cdn.net', nonce)));
  });
});

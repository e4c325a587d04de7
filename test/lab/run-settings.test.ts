// Labels and titles name the order of calls, never a setting the panel's controls change; the
// settings are said next to each run, from the experiment as it is now (after a slider moved too),
// with a threshold as the user's code writes it only while it is still the code's.
import assert from 'node:assert/strict';
import { type Experiment } from '../../webview/lab/experiment';
import { PRESETS, presetExperiment } from '../../webview/lab/presets';
import { ORDERING_RULES, ruleExperiment } from '../../webview/lab/rule-orders';
import { describeClip, runSettings } from '../../webview/lab/run-settings';
import { experimentFromLoop } from '../../webview/lab/this-loop';
import { applySettings, settingsOf } from '../../webview/settings';

/** A setting's value in words: "max_norm=0.05", "clip_value .5", "lr 0.3", "SGD at lr 0.3". */
const SETTING_VALUE = /\b(max_norm|clip_value|lr|norm_type)\s*[= ]\s*[\d.]/i;

const LOOP = experimentFromLoop({
  order: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'step' }, { call: 'clip' }],
  fixedOrder: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }],
  codes: ['CLP002'],
  clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
  learningRate: 0.3,
  optimizerKind: 'sgd',
});

const EXPERIMENTS: Array<[string, Experiment]> = [
  ...PRESETS.map((p): [string, Experiment] => [p.id, presetExperiment(p.id)]),
  ...ORDERING_RULES.map((rule): [string, Experiment] => [rule, ruleExperiment(rule)]),
  ['this loop', LOOP],
];

describe('Lab: run labels and settings', () => {
  it('names each run by its order of calls, and states no setting in a title, label or description', () => {
    for (const [name, e] of EXPERIMENTS) {
      for (const text of [e.title ?? '', e.a.label, e.b.label]) assert.doesNotMatch(text, SETTING_VALUE, `${name}: "${text}"`);
    }
    for (const p of PRESETS) assert.doesNotMatch(p.description, SETTING_VALUE, `${p.id}'s description`);
    const labels = PRESETS.map((p) => [p.experiment.a.label, p.experiment.b.label]);
    assert.deepEqual(new Set(labels.flat()), new Set(['unclipped', 'clip before step']));
    assert.deepEqual([LOOP.a.label, LOOP.b.label], ['your order (CLP002)', 'fixed order']);
  });

  it("says each run's settings as they are after the controls changed them", () => {
    const before = presetExperiment('exploding-rnn');
    assert.deepEqual(runSettings(before, 'a'), ['no clipping', 'sgd lr 0.3']);
    assert.deepEqual(runSettings(before, 'b'), ['clip_grad_norm_(max_norm=0.05)', 'sgd lr 0.3']);
    const moved = applySettings(before, { ...settingsOf(before), threshold: 0.5, normType: 'inf', optimizer: 'sgd-momentum', learningRate: 0.01 });
    assert.equal(moved.title, before.title);
    assert.equal(moved.b.label, before.b.label);
    assert.deepEqual(runSettings(moved, 'a'), ['no clipping', 'sgd lr 0.01, momentum 0.9'], 'A keeps its own clip: off');
    assert.deepEqual(runSettings(moved, 'b'), ["clip_grad_norm_(max_norm=0.5, norm_type='inf')", 'sgd lr 0.01, momentum 0.9']);
    const byValue = applySettings(before, { ...settingsOf(before), clipMode: 'value', threshold: 0.2, optimizer: 'adam' });
    assert.deepEqual(runSettings(byValue, 'b'), ['clip_grad_value_(clip_value=0.2)', 'adam lr 0.3']);
    const scaled = ruleExperiment('CLP004');
    assert.deepEqual(runSettings({ ...scaled, scaler: { ...ruleExperiment('CLP003').scaler! } }, 'b').slice(2), ['4 micro-batches per step', 'GradScaler from 65536']);
  });

  it("writes the threshold as the loop's code does only while the experiment's threshold is still the code's", () => {
    const written = { threshold: 1, text: '1.0' };
    assert.equal(runSettings(LOOP, 'b', written)[0], 'clip_grad_norm_(max_norm=1.0)');
    const moved = applySettings(LOOP, { ...settingsOf(LOOP), threshold: 2.51 });
    assert.equal(moved.title, LOOP.title);
    assert.equal(runSettings(moved, 'b', written)[0], 'clip_grad_norm_(max_norm=2.51)');
    // The code's spelling is shown on one short line, whatever it holds.
    assert.equal(describeClip({ mode: 'norm', threshold: 1, normType: 2 }, { threshold: 1, text: 'config.max_grad_norm\n  # from the CLI arguments' }), 'clip_grad_norm_(max_norm=config.max_grad_norm #…)');
    assert.equal(describeClip({ mode: 'off', threshold: 1, normType: 2 }, written), 'no clipping');
  });
});

// The experiment document: every preset reads back from its JSON, defaults are filled in, and
// bad documents get one readable problem per mistake instead of a run that hangs or crashes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS, parseExperiment, serializeExperiment, type Experiment } from '../../webview/lab/experiment';
import { PRESETS, presetExperiment } from '../../webview/lab/presets';
import { runToEnd } from '../../webview/lab/runner';
import { formatText, tableFromResult } from '../../webview/lab/table';
import { ROOT } from '../cli/run-cli';

function problemsOf(value: unknown): string[] {
  const parsed = parseExperiment(value);
  assert.equal(parsed.ok, false, 'expected the document to be refused');
  return parsed.ok ? [] : parsed.problems;
}

/** A small valid document written by hand, the way a user would (defaults left out). */
function minimal(): Record<string, unknown> {
  return {
    version: 1,
    model: { preset: 'mlp', inputs: 2, hidden: 8, depth: 2, outputs: 1 },
    data: { generator: 'regression', batchSize: 4, batches: 2 },
    optimizer: { kind: 'sgd', lr: 0.1 },
    clip: { mode: 'norm', threshold: 1 },
    steps: 10,
    a: { calls: ['zero_grad', 'forward', 'backward', 'step'] },
    b: { calls: ['zero_grad', 'forward', 'backward', 'clip', 'step'] },
  };
}

function withChange(change: (doc: Record<string, any>) => void): Record<string, unknown> {
  const doc = minimal() as Record<string, any>;
  change(doc);
  return doc;
}

describe('Lab experiment documents', () => {
  it('every preset survives serialize → JSON.parse → parseExperiment unchanged', () => {
    assert.deepEqual(PRESETS.map((p) => p.id), ['exploding-rnn', 'deep-mlp', 'pytorch-docs']);
    for (const preset of PRESETS) {
      const parsed = parseExperiment(JSON.parse(serializeExperiment(preset.experiment)));
      assert.ok(parsed.ok, parsed.ok ? '' : `${preset.id}: ${parsed.problems.join('; ')}`);
      assert.deepEqual(parsed.experiment, preset.experiment);
    }
  });

  it('fills in the defaults: seed 0, accumulation 1, no scaler, torch.optim defaults, labels A and B', () => {
    const parsed = parseExperiment(minimal());
    assert.ok(parsed.ok);
    const e: Experiment = parsed.experiment;
    assert.equal(e.seed, 0);
    assert.equal(e.accumulation, 1);
    assert.equal(e.scaler, null);
    assert.deepEqual(e.optimizer, { kind: 'sgd', lr: 0.1, momentum: 0, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    assert.deepEqual(e.clip, { mode: 'norm', threshold: 1, normType: 2 });
    assert.deepEqual(e.model, { preset: 'mlp', inputs: 2, hidden: 8, depth: 2, outputs: 1, activation: 'tanh' });
    assert.deepEqual(e.data, { generator: 'regression', batchSize: 4, batches: 2, noise: 0.1 });
    assert.equal(e.a.label, 'A');
    assert.deepEqual(e.b.calls[3], { call: 'clip' });
    const scaled = parseExperiment(withChange((d) => (d.scaler = {})));
    assert.ok(scaled.ok);
    assert.deepEqual(scaled.experiment.scaler, { initScale: 65536, growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000, float16Overflow: true });
    const adamw = parseExperiment(withChange((d) => (d.optimizer = { kind: 'adamw', lr: 1e-3 })));
    assert.ok(adamw.ok);
    assert.equal(adamw.experiment.optimizer.weightDecay, 0.01);
  });

  it('reads window-end calls as objects and bare names as every-micro-batch calls', () => {
    const parsed = parseExperiment(
      withChange((d) => {
        d.accumulation = 4;
        d.b.calls = ['forward', 'backward', { call: 'clip', windowEnd: true }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }];
      }),
    );
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('\n'));
    assert.deepEqual(parsed.experiment.b.calls.slice(1, 3), [{ call: 'backward' }, { call: 'clip', windowEnd: true }]);
  });

  it('refuses what is not an experiment at all', () => {
    assert.deepEqual(problemsOf(null), ['the experiment: must be an object, got null']);
    assert.deepEqual(problemsOf([minimal()]), ['the experiment: must be an object, got a list of 1']);
    assert.deepEqual(problemsOf('{"version": 1}'), ['the experiment: must be an object, got "{\\"version\\": 1}"']);
    assert.ok(problemsOf({ ...minimal(), version: 2 }).includes('version: must be 1, got 2'));
  });

  it('names each mistake: unknown preset, negative or too many steps, unknown call, unknown field', () => {
    assert.deepEqual(
      problemsOf(withChange((d) => (d.model.preset = 'lstm'))),
      ['model.preset: unknown model preset "lstm" (expected linear, mlp, rnn)'],
    );
    assert.deepEqual(problemsOf(withChange((d) => (d.steps = -5))), ['steps: must be a whole number from 1 to 10000, got -5']);
    assert.deepEqual(problemsOf(withChange((d) => (d.steps = 20_000))), ['steps: must be a whole number from 1 to 10000, got 20000']);
    assert.deepEqual(problemsOf(withChange((d) => (d.steps = 2.5))), ['steps: must be a whole number from 1 to 10000, got 2.5']);
    assert.deepEqual(
      problemsOf(withChange((d) => d.a.calls.push('optimize'))),
      ['a.calls[4]: unknown call "optimize" (expected zero_grad, forward, backward, unscale, clip, step)'],
    );
    assert.deepEqual(
      problemsOf(withChange((d) => (d.clip.maxNorm = 1))),
      ['clip.maxNorm: unknown field (expected one of mode, threshold, normType)'],
    );
    assert.deepEqual(problemsOf(withChange((d) => delete d.steps)), ['steps: is missing (a whole number from 1 to 10000)']);
  });

  it('explains calls PyTorch would refuse: a backward without a forward, a pass without a step', () => {
    assert.deepEqual(problemsOf(withChange((d) => (d.a.calls = ['zero_grad', 'forward', 'backward', 'backward', 'step']))), [
      'a.calls[3]: backward has no forward before it (each backward needs the loss of a forward since the previous backward)',
    ]);
    assert.deepEqual(problemsOf(withChange((d) => (d.b.calls = ['forward', 'backward']))), ['b.calls: has no step call']);
    // Under accumulation, a forward that only runs at the window's end leaves the other micro-batches without a loss.
    const guarded = problemsOf(
      withChange((d) => {
        d.accumulation = 2;
        d.a.calls = [{ call: 'forward', windowEnd: true }, 'backward', 'step'];
      }),
    );
    assert.deepEqual(guarded, ['a.calls[1]: backward has no forward before it on a micro-batch before the window ends (each backward needs the loss of a forward since the previous backward)']);
  });

  it('checks settings against what PyTorch accepts and the data against the model', () => {
    const problems = problemsOf(
      withChange((d) => {
        d.optimizer = { kind: 'adam', lr: 0, momentum: 0.9 };
        d.clip = { mode: 'norm', threshold: -1, normType: 'two' };
        d.scaler = { growthFactor: 0.5, backoffFactor: 2 };
        d.data.generator = 'sequence';
      }),
    );
    assert.deepEqual(problems, [
      'data.generator: "sequence" data does not fit the mlp model (sequence data goes with rnn; regression and docs-example with linear and mlp)',
      'optimizer.lr: must be a number above 0 and at most 100, got 0',
      'optimizer.momentum: adam has no momentum setting (it uses betas)',
      'clip.threshold: must be a number above 0 and at most 1000000000000, got -1',
      'clip.normType: must be a number above 0 and at most 1000, got "two"',
      'scaler.growthFactor: must be a number above 1 and at most 1000, got 0.5',
      'scaler.backoffFactor: must be a number above 0 and at most 0.999999, got 2',
    ]);
    assert.deepEqual(
      problemsOf({ ...minimal(), model: { preset: 'linear', inputs: 3, outputs: 1 }, data: { generator: 'docs-example' } }),
      ['data.generator: the docs-example data ([[1, 2]] → [[1]]) needs 2 inputs and 1 output, the model has 3 and 1'],
    );
  });

  it('caps sizes so a hostile document cannot hang the worker', () => {
    const huge = withChange((d) => {
      d.model = { preset: 'rnn', inputs: 64, hidden: 256, outputs: 16, sequenceLength: 200 };
      d.data = { generator: 'sequence', batchSize: 256, batches: 64 };
      d.steps = 10_000;
      d.accumulation = 32;
    });
    const problems = problemsOf(huge);
    assert.deepEqual(
      problems.map((p) => p.split(':')[0]),
      ['data', 'model'],
      problems.join('\n'),
    );
    assert.match(problems[1], /one step needs about .* multiply-adds; the Lab runs at most 1e\+9 per step/);
    // Each step quick, but ten thousand of them too many.
    const long = problemsOf(
      withChange((d) => {
        d.model = { preset: 'mlp', inputs: 64, hidden: 128, depth: 8, outputs: 1 };
        d.data = { generator: 'regression', batchSize: 128, batches: 4 };
        d.steps = 10_000;
      }),
    );
    assert.equal(long.length, 1);
    assert.match(long[0], /^steps: this experiment needs about .* multiply-adds; the Lab runs at most 2e\+10/);
    assert.deepEqual(problemsOf(withChange((d) => (d.model.hidden = 10_000))), [`model.hidden: must be a whole number from 1 to ${LIMITS.hidden}, got 10000`]);
    assert.deepEqual(problemsOf(withChange((d) => (d.a.calls = Array(100).fill('step')))), ['a.calls: must be a list of 1 to 32 calls, got a list of 100']);
    assert.deepEqual(problemsOf(withChange((d) => (d.title = 'two\nlines'))), ['title: must be one line of text (no line breaks or control characters)']);
    assert.match(problemsOf(withChange((d) => (d.a.label = 'x'.repeat(500))))[0], /^a\.label: must be a non-empty string of at most 80 characters, got "x{40}…"$/);
  });

  it('serializes with every default written out, and a copy of a preset is independent of it', () => {
    const e = presetExperiment('pytorch-docs');
    e.steps = 3;
    assert.notEqual(PRESETS[2].experiment.steps, 3);
    const text = serializeExperiment(e);
    assert.match(text, /"normType": 2/);
    assert.ok(text.endsWith('}\n'));
  });

  it("the README's example document is the pytorch-docs preset, and its table is what the Lab prints", () => {
    const readme = readFileSync(join(ROOT, 'webview', 'lab', 'README.md'), 'utf8');
    const json = readme.match(/```json\n([\s\S]*?)```/)![1];
    const parsed = parseExperiment(JSON.parse(json));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('\n'));
    assert.deepEqual(parsed.experiment, presetExperiment('pytorch-docs'));
    const shown = readme.match(/```text\n([\s\S]*?)```/)![1].trimEnd().split('\n');
    const printed = formatText(tableFromResult(parsed.experiment, runToEnd(parsed.experiment))).split('\n');
    assert.deepEqual(shown, printed.slice(0, shown.length));
  });
});

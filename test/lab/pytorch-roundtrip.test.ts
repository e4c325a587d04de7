// The round trip through real PyTorch: for each experiment, the script `clipwise lab
// export-pytorch` writes is run by /usr/bin/python3 with Debian's python3-torch, and its table
// must be the table `clipwise lab run` prints, to float32 tolerance. All scripts run in one Python
// process (importing torch takes seconds).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SCALER, defaultOptimizer, serializeExperiment, type Experiment } from '../../webview/lab/experiment';
import { presetExperiment } from '../../webview/lab/presets';
import { ruleExperiment } from '../../webview/lab/rule-orders';
import { experimentFromLoop } from '../../webview/lab/this-loop';
import { buildOnce, runCli } from '../cli/run-cli';
import { compareTables, compareTextTables } from './compare-tables';
import { requireTorch, runPython } from './python';

function withSteps(e: Experiment, steps: number): Experiment {
  return { ...e, steps };
}

/** Each preset whole; each ordering mistake; clip by value and by norm types; every optimizer; accumulation; the scaler. */
function experiments(): Record<string, Experiment> {
  const out: Record<string, Experiment> = {
    'preset-exploding-rnn': presetExperiment('exploding-rnn'),
    'preset-deep-mlp': presetExperiment('deep-mlp'),
    'preset-pytorch-docs': presetExperiment('pytorch-docs'),
  };
  for (const rule of ['CLP001', 'CLP002', 'CLP003', 'CLP004', 'CLP005'] as const) out[`rule-${rule}`] = ruleExperiment(rule, 40);

  const mlp = withSteps(presetExperiment('deep-mlp'), 60);
  out['clip-value-and-norm-inf'] = {
    ...mlp,
    a: { ...mlp.b, label: 'clip_grad_value_(0.01)', clip: { mode: 'value', threshold: 0.01, normType: 2 } },
    b: { ...mlp.b, label: 'clip_grad_norm_(0.05, inf)', clip: { mode: 'norm', threshold: 0.05, normType: 'inf' } },
  };
  out['adam-and-adamw-norm-1'] = {
    ...mlp,
    clip: { mode: 'norm', threshold: 0.5, normType: 1 },
    a: { ...mlp.b, label: 'Adam', optimizer: defaultOptimizer('adam', 0.01) },
    b: { ...mlp.b, label: 'AdamW', optimizer: { ...defaultOptimizer('adamw', 0.01), betas: [0.8, 0.99], weightDecay: 0.05 } },
  };
  const rnn = withSteps(presetExperiment('exploding-rnn'), 60);
  out['sgd-momentum-and-rmsprop'] = {
    ...rnn,
    a: { ...rnn.b, label: 'SGD momentum 0.9', optimizer: { ...defaultOptimizer('sgd', 0.05), momentum: 0.9, weightDecay: 1e-4 } },
    b: { ...rnn.b, label: 'RMSprop', optimizer: { ...defaultOptimizer('rmsprop', 0.001), momentum: 0.5 } },
  };

  const scaled = ruleExperiment('CLP003', 40);
  out['scaler-backoff-and-growth'] = {
    ...scaled,
    scaler: { ...DEFAULT_SCALER, initScale: 2 ** 20, growthInterval: 4 },
    a: { ...scaled.b, label: 'no float16 overflow', scaler: { ...DEFAULT_SCALER, float16Overflow: false, growthInterval: 3 } },
  };
  const accumulated = ruleExperiment('CLP004', 25);
  out['accumulation-scaler-adam'] = {
    ...accumulated,
    accumulation: 3,
    optimizer: defaultOptimizer('adam', 0.01),
    scaler: { ...DEFAULT_SCALER },
    a: {
      label: 'unscale_ on every micro-batch (raises)',
      calls: [{ call: 'forward' }, { call: 'backward' }, { call: 'unscale' }, { call: 'clip', windowEnd: true }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }],
    },
    b: {
      label: 'unscale_ and clip inside the guard',
      calls: [{ call: 'forward' }, { call: 'backward' }, { call: 'unscale', windowEnd: true }, { call: 'clip', windowEnd: true }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }],
    },
  };
  out['this-loop-CLP003-CLP004'] = withSteps(
    experimentFromLoop({
      order: [{ call: 'backward' }, { call: 'clip' }, { call: 'unscale', windowEnd: true }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }],
      fixedOrder: [{ call: 'backward' }, { call: 'unscale', windowEnd: true }, { call: 'clip', windowEnd: true }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }],
      codes: ['CLP003', 'CLP004'],
      clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
      learningRate: 0.003,
      optimizerKind: 'adamw',
      accumulation: 2,
      scaler: {},
    }),
    40,
  );
  const relu = presetExperiment('deep-mlp');
  out['relu-mlp-seed-7'] = {
    ...relu,
    seed: 7,
    steps: 50,
    model: { preset: 'mlp', inputs: 3, hidden: 12, depth: 3, outputs: 2, activation: 'relu' },
    data: { generator: 'regression', batchSize: 5, batches: 3, noise: 0.3 },
  };
  return out;
}

/** Experiments whose text and CSV tables are compared too (the JSON table of every one is). */
const ALL_FORMATS = new Set(['preset-pytorch-docs', 'scaler-backoff-and-growth', 'accumulation-scaler-adam']);

const DRIVER = `
import contextlib, io, json, runpy, sys, traceback
jobs = json.load(sys.stdin)
out = {}
for key, path, fmt in jobs:
    sys.argv = [path, "--format", fmt]
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            runpy.run_path(path, run_name="__main__")
        out[key] = {"stdout": buffer.getvalue()}
    except BaseException:
        out[key] = {"error": traceback.format_exc()}
json.dump(out, sys.stdout)
`;

describe('Lab round trip through real PyTorch', function () {
  this.timeout(240_000);
  let work: string;
  const torch: { stdout: Record<string, { stdout?: string; error?: string }> } = { stdout: {} };
  const lab: Record<string, string> = {};
  const all = experiments();

  before(() => {
    requireTorch();
    buildOnce();
    work = mkdtempSync(join(tmpdir(), 'clipwise-roundtrip-'));
    const jobs: [string, string, string][] = [];
    for (const [name, experiment] of Object.entries(all)) {
      const file = join(work, `${name}.json`);
      writeFileSync(file, serializeExperiment(experiment));
      const script = runCli(['lab', 'export-pytorch', file]);
      assert.equal(script.status, 0, script.stderr);
      writeFileSync(join(work, `${name}.py`), script.stdout);
      for (const format of ALL_FORMATS.has(name) ? ['json', 'text', 'csv'] : ['json']) {
        const run = runCli(['lab', 'run', file, '--format', format]);
        assert.equal(run.status, 0, run.stderr);
        lab[`${name}.${format}`] = run.stdout;
        jobs.push([`${name}.${format}`, join(work, `${name}.py`), format]);
      }
    }
    torch.stdout = JSON.parse(runPython(DRIVER, JSON.stringify(jobs)));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const name of Object.keys(all)) {
    it(`${name}: PyTorch prints the Lab's table`, () => {
      const formats = ALL_FORMATS.has(name) ? ['json', 'text', 'csv'] : ['json'];
      for (const format of formats) {
        const ran = torch.stdout[`${name}.${format}`];
        assert.ok(ran && ran.stdout !== undefined, `the exported script failed:\n${ran?.error}`);
        const ours = lab[`${name}.${format}`];
        if (format === 'json') compareTables(JSON.parse(ours), JSON.parse(ran.stdout!));
        else compareTextTables(ours, ran.stdout!);
      }
    });
  }

  it('the experiments exercise what they claim: divergence, skipped steps, a raised unscale_, every optimizer', () => {
    const json = (name: string) => JSON.parse(lab[`${name}.json`]);
    assert.equal(json('preset-exploding-rnn').a.diverged.kind, 'nonfinite');
    assert.equal(json('preset-deep-mlp').a.diverged.kind, 'nonfinite');
    assert.equal(json('accumulation-scaler-adam').a.diverged.kind, 'error');
    const scaled = json('scaler-backoff-and-growth');
    const b = scaled.b.steps as { lossScale: number; stepSkipped: boolean }[];
    assert.ok(b.some((s) => s.stepSkipped) && b.some((s) => !s.stepSkipped));
    assert.ok(b.some((s, i) => i > 0 && s.lossScale > b[i - 1].lossScale), 'the scale grows');
    assert.ok(b.some((s, i) => i > 0 && s.lossScale < b[i - 1].lossScale), 'the scale backs off');
  });
});

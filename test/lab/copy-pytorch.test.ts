// "Copy as PyTorch": the correct loop for the settings, in the right order, and runnable as it is
// (executed by real PyTorch on a small model; without CUDA, GradScaler and autocast disable
// themselves with a warning, so the mixed-precision loop runs too).
import assert from 'node:assert/strict';
import { DEFAULT_SCALER, defaultOptimizer, type Experiment } from '../../webview/lab/experiment';
import { copyAsPyTorch } from '../../webview/lab/export-pytorch';
import { presetExperiment } from '../../webview/lab/presets';
import { ruleExperiment } from '../../webview/lab/rule-orders';
import { requireTorch, runPython } from './python';

function snippets(): Record<string, Experiment> {
  const docs = presetExperiment('pytorch-docs');
  const accumulated = ruleExperiment('CLP004');
  return {
    plain: docs,
    scaler: ruleExperiment('CLP003'),
    accumulation: accumulated,
    'accumulation with scaler and adam': { ...accumulated, scaler: { ...DEFAULT_SCALER, initScale: 1024 }, optimizer: defaultOptimizer('adam', 3e-4) },
    'clip by value, sgd momentum': { ...docs, b: { ...docs.b, clip: { mode: 'value', threshold: 0.5, normType: 2 } }, optimizer: { ...defaultOptimizer('sgd', 0.1), momentum: 0.9 } },
    'norm inf, adamw': { ...docs, clip: { mode: 'norm', threshold: 2, normType: 'inf' }, optimizer: defaultOptimizer('adamw', 1e-3) },
    'clipping off': { ...docs, clip: { mode: 'off', threshold: 1, normType: 2 }, b: { ...docs.b, clip: undefined } },
  };
}

const lineOf = (code: string, text: string) => {
  const i = code.split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `no line with ${text} in\n${code}`);
  return i;
};

describe('Lab: Copy as PyTorch', function () {
  this.timeout(60_000);

  it('clips after backward and before the step, with the threshold of the clipped run', () => {
    const code = copyAsPyTorch(presetExperiment('pytorch-docs'));
    assert.ok(lineOf(code, 'loss.backward()') < lineOf(code, 'clip_grad_norm_(model.parameters(), max_norm=0.1)'));
    assert.ok(lineOf(code, 'clip_grad_norm_') < lineOf(code, 'optimizer.step()'));
    assert.ok(lineOf(code, 'optimizer.step()') < lineOf(code, 'optimizer.zero_grad()'));
    assert.match(code, /^optimizer = torch\.optim\.SGD\(model\.parameters\(\), lr=0\.1\)$/m);
  });

  it('unscales before clipping under a GradScaler, and clips inside the step guard under accumulation', () => {
    const code = copyAsPyTorch(snippets()['accumulation with scaler and adam']);
    const guard = lineOf(code, 'if (i + 1) % accumulation_steps == 0:');
    assert.ok(lineOf(code, 'scaler.scale(loss).backward()') < guard);
    assert.ok(guard < lineOf(code, 'scaler.unscale_(optimizer)'));
    assert.ok(lineOf(code, 'scaler.unscale_(optimizer)') < lineOf(code, 'clip_grad_norm_'));
    assert.ok(lineOf(code, 'clip_grad_norm_') < lineOf(code, 'scaler.step(optimizer)'));
    assert.match(code, /^ {8}torch\.nn\.utils\.clip_grad_norm_/m, 'the clip is inside the guard');
    assert.match(code, /^accumulation_steps = 4$/m);
    assert.match(code, /GradScaler\(init_scale=1024\.0, growth_factor=2\.0, backoff_factor=0\.5, growth_interval=2000\)/);
    assert.match(code, /torch\.optim\.Adam\(model\.parameters\(\), lr=0\.0003\)/);
  });

  it('every snippet runs in PyTorch and trains the model', () => {
    requireTorch();
    const cases = snippets();
    const program = `
import json, sys, warnings
import torch
warnings.simplefilter("ignore")
failures = {}
for name, code in json.load(sys.stdin).items():
    torch.manual_seed(0)
    model = torch.nn.Linear(2, 1)
    loss_fn = torch.nn.functional.mse_loss
    loader = [(torch.tensor([[1.0, 2.0]]), torch.tensor([[1.0]]))] * 8
    before = [p.detach().clone() for p in model.parameters()]
    try:
        exec(code, {"torch": torch, "model": model, "loss_fn": loss_fn, "loader": loader})
        if all(torch.equal(a, b) for a, b in zip(before, model.parameters())):
            failures[name] = "the parameters did not change"
    except Exception as error:
        failures[name] = repr(error)
print(json.dumps(failures))
`;
    const input = JSON.stringify(Object.fromEntries(Object.entries(cases).map(([name, e]) => [name, copyAsPyTorch(e)])));
    assert.deepEqual(JSON.parse(runPython(program, input)), {});
  });
});

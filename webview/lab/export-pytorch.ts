// "Export as PyTorch script": a standalone script (torch only) that reproduces an experiment in
// PyTorch exactly: the initial weights and data inline as exact float64 literals, each run's
// calls written out as the training loop they stand for, and the same per-step table as
// `clipwise lab run`. "Copy as PyTorch" (copy-pytorch.ts) gives the correct loop for the settings.
import type { Tensor } from '../../engine';
import { resolveRun, type CallSpec, type ClipSpec, type Experiment, type ModelSpec, type OptimizerSpec, type ResolvedRun, type RunId } from './experiment';
import { buildModel, generateData } from './model';
import { PY_LOG_AND_TABLE, PY_SCALER } from './pytorch-support';

export { copyAsPyTorch } from './copy-pytorch';

/** A float64 as a Python float literal that reads back to exactly the same value. */
export function pyFloat(value: number): string {
  if (Number.isNaN(value)) return 'math.nan';
  if (value === Infinity) return 'math.inf';
  if (value === -Infinity) return '-math.inf';
  const text = String(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

export function pyString(text: string): string {
  // JSON string syntax is valid Python string syntax for everything JSON.stringify emits.
  return JSON.stringify(text);
}

function floatList(values: ArrayLike<number>, indent: string, perLine = 6): string {
  const items = Array.from(values, pyFloat);
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(indent + items.slice(i, i + perLine).join(', ') + ',');
  return `[\n${lines.join('\n')}\n${indent.slice(4)}]`;
}

export function pyNormType(normType: number | 'inf'): string {
  return normType === 'inf' ? 'math.inf' : pyFloat(normType);
}

function modelCode(spec: ModelSpec): string {
  switch (spec.preset) {
    case 'linear':
      return `def make_model():\n    return torch.nn.Linear(${spec.inputs}, ${spec.outputs})\n`;
    case 'mlp': {
      const act = spec.activation === 'tanh' ? 'torch.nn.Tanh()' : 'torch.nn.ReLU()';
      const layers: string[] = [];
      let width = spec.inputs;
      for (let i = 0; i < spec.depth; i++) {
        layers.push(`        torch.nn.Linear(${width}, ${spec.hidden}),`, `        ${act},`);
        width = spec.hidden;
      }
      layers.push(`        torch.nn.Linear(${width}, ${spec.outputs}),`);
      return `def make_model():\n    return torch.nn.Sequential(\n${layers.join('\n')}\n    )\n`;
    }
    case 'rnn':
      return [
        'class RNNModel(torch.nn.Module):',
        `    """A vanilla tanh RNN over the sequence; a Linear head reads its last hidden state."""`,
        '',
        '    def __init__(self):',
        '        super().__init__()',
        `        self.rnn = torch.nn.RNN(${spec.inputs}, ${spec.hidden}, nonlinearity="tanh")`,
        `        self.head = torch.nn.Linear(${spec.hidden}, ${spec.outputs})`,
        '',
        '    def forward(self, x):',
        '        _, hidden = self.rnn(x)  # x: [time, batch, features]',
        '        return self.head(hidden[-1])',
        '',
        '',
        'def make_model():',
        '    return RNNModel()',
        '',
      ].join('\n');
  }
}

function optimizerCode(spec: OptimizerSpec): string {
  const args = [`model.parameters()`, `lr=${pyFloat(spec.lr)}`];
  switch (spec.kind) {
    case 'sgd':
      if (spec.momentum) args.push(`momentum=${pyFloat(spec.momentum)}`);
      if (spec.weightDecay) args.push(`weight_decay=${pyFloat(spec.weightDecay)}`);
      return `torch.optim.SGD(${args.join(', ')})`;
    case 'adam':
    case 'adamw':
      args.push(`betas=(${pyFloat(spec.betas[0])}, ${pyFloat(spec.betas[1])})`, `eps=${pyFloat(spec.eps)}`, `weight_decay=${pyFloat(spec.weightDecay)}`);
      return `torch.optim.${spec.kind === 'adam' ? 'Adam' : 'AdamW'}(${args.join(', ')})`;
    case 'rmsprop':
      args.push(`eps=${pyFloat(spec.eps)}`);
      if (spec.momentum) args.push(`momentum=${pyFloat(spec.momentum)}`);
      if (spec.weightDecay) args.push(`weight_decay=${pyFloat(spec.weightDecay)}`);
      return `torch.optim.RMSprop(${args.join(', ')})`;
  }
}

/** The clip call as the user would write it, wrapped so the log sees the norm it measured. */
export function clipCode(clip: ClipSpec): string[] {
  const norm = clip.normType === 2 ? '' : `, norm_type=${pyNormType(clip.normType)}`;
  if (clip.mode === 'norm') return [`log.clipped(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=${pyFloat(clip.threshold)}${norm}))`];
  if (clip.mode === 'value') {
    return [
      'log.clipped(grad_norm(model.parameters(), norm_type))  # the norm before clamping',
      `torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=${pyFloat(clip.threshold)})`,
    ];
  }
  return ['pass  # clip: clipping is off in this run'];
}

function callCode(c: CallSpec, run: ResolvedRun, accumulation: number): string[] {
  const scaled = run.scaler !== null;
  const divided = accumulation > 1 ? 'loss / ACCUMULATION' : 'loss';
  switch (c.call) {
    case 'zero_grad':
      return ['optimizer.zero_grad(set_to_none=False)'];
    case 'forward':
      return ['loss = torch.nn.functional.mse_loss(model(x), y)', 'log.forward(loss)'];
    case 'backward':
      if (scaled) return [`scaler.scale(${divided}).backward()`];
      return [accumulation > 1 ? `(${divided}).backward()` : 'loss.backward()'];
    case 'unscale':
      return [scaled ? 'scaler.unscale_(optimizer)' : 'pass  # scaler.unscale_(optimizer): this run has no GradScaler'];
    case 'clip':
      return clipCode(run.clip);
    case 'step':
      return scaled ? ['scaler.step(optimizer)', 'scaler.update()', 'log.stepped(scaler)'] : ['optimizer.step()', 'log.stepped()'];
  }
}

/** The calls of one pass as Python lines, window-end calls under `if micro == ACCUMULATION - 1:`. */
function passCode(run: ResolvedRun, accumulation: number): string[] {
  const lines: string[] = [];
  let inGuard = false;
  for (const c of run.calls) {
    const guarded = accumulation > 1 && c.windowEnd === true;
    if (guarded && !inGuard) lines.push('if micro == ACCUMULATION - 1:  # the accumulation window ends');
    inGuard = guarded;
    for (const line of callCode(c, run, accumulation)) lines.push((guarded ? '    ' : '') + line);
  }
  return lines;
}

function runCode(id: RunId, run: ResolvedRun, accumulation: number): string {
  const scaler = run.scaler;
  const out: string[] = [
    `def run_${id}():`,
    `    """Run ${id.toUpperCase()}: ${run.label.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"')}."""`,
    '    model = build_model()',
    `    optimizer = ${optimizerCode(run.optimizer)}`,
  ];
  if (scaler) {
    out.push(
      `    scaler = SimulatedGradScaler(init_scale=${pyFloat(scaler.initScale)}, growth_factor=${pyFloat(scaler.growthFactor)}, ` +
        `backoff_factor=${pyFloat(scaler.backoffFactor)}, growth_interval=${scaler.growthInterval}, float16_overflow=${scaler.float16Overflow ? 'True' : 'False'})`,
      '    scaler.watch(model)',
    );
  }
  out.push(`    norm_type = ${pyNormType(run.clip.normType)}`);
  out.push(`    log = RunLog(${pyString(run.label)}, model, norm_type${scaler ? ', scaler' : ''})`);
  out.push('    for step in range(STEPS):');
  out.push(`        log.begin(step${scaler ? ', scaler' : ''})`);
  const canRaise = scaler !== null && run.calls.some((c) => c.call === 'unscale');
  let body: string[];
  if (accumulation > 1) {
    body = ['for micro in range(ACCUMULATION):', '    x, y = batch(step, micro)', ...passCode(run, accumulation).map((l) => '    ' + l)];
  } else {
    body = ['x, y = batch(step, 0)', ...passCode(run, accumulation)];
  }
  if (canRaise) {
    out.push('        try:', ...body.map((l) => '            ' + l), '        except DoubleUnscaleError:', '            log.stop(DOUBLE_UNSCALE)', '            break');
  } else {
    out.push(...body.map((l) => '        ' + l));
  }
  out.push('        if not log.end():', '            break', '    return log', '');
  return out.join('\n');
}

function weightsCode(experiment: Experiment): { weights: string; layers: string } {
  const model = buildModel(experiment.model, experiment.seed);
  const entries: string[] = [];
  const layers: string[] = [];
  for (const layer of model.layers) {
    layer.parameterNames.forEach((name, i) => entries.push(`    ${pyString(name)}: ${floatList(layer.parameters[i].data, '        ')},`));
    layers.push(`    (${pyString(layer.name)}, [${layer.parameterNames.map(pyString).join(', ')}]),`);
  }
  return { weights: `INITIAL_WEIGHTS = {\n${entries.join('\n')}\n}\n`, layers: `LAYERS = [\n${layers.join('\n')}\n]\n` };
}

function dataCode(experiment: Experiment): string {
  const batches = generateData(experiment.data, experiment.model, experiment.seed);
  const flat = (pick: (b: { x: Tensor; y: Tensor }) => Tensor) => {
    const values: number[] = [];
    for (const b of batches) values.push(...pick(b).data);
    return values;
  };
  const shape = (t: Tensor) => [batches.length, ...t.shape].join(', ');
  return [
    `# ${batches.length} batch${batches.length === 1 ? '' : 'es'}: micro-batch i of the run reads batch i % ${batches.length}.`,
    `X = torch.tensor(${floatList(flat((b) => b.x), '    ', 6)}).reshape(${shape(batches[0].x)})`,
    `Y = torch.tensor(${floatList(flat((b) => b.y), '    ', 6)}).reshape(${shape(batches[0].y)})`,
    '',
    '',
    'def batch(step, micro):',
    '    i = (step * ACCUMULATION + micro) % len(X)',
    '    return X[i], Y[i]',
    '',
  ].join('\n');
}

export function exportPyTorchScript(experiment: Experiment): string {
  const runs = { a: resolveRun(experiment, 'a'), b: resolveRun(experiment, 'b') };
  const scaled = runs.a.scaler !== null || runs.b.scaler !== null;
  const { weights, layers } = weightsCode(experiment);
  const title = experiment.title ?? 'Gradient Lab experiment';
  const header = [
    '#!/usr/bin/env python3',
    `# ${title.replace(/[\r\n]+/g, ' ')}`,
    '#',
    '# Exported from the Clipwise Gradient Lab. This script reproduces `clipwise lab run` of the',
    '# experiment in PyTorch: the same initial weights and data (inline below, exact float64',
    '# values), the same calls in the same order, and the same per-step table:',
    '#',
    '#     python3 this_script.py [--format text|csv|json]',
    '#',
    '# Everything runs in float64 on the CPU, like the Lab.',
    ...(scaled ? ['# torch.cuda.amp.GradScaler needs CUDA, so SimulatedGradScaler below simulates its semantics.'] : []),
    'import argparse',
    'import json',
    'import math',
    '',
    'import torch',
    '',
    'torch.set_default_dtype(torch.float64)',
    '',
    `STEPS = ${experiment.steps}`,
    `ACCUMULATION = ${experiment.accumulation}  # micro-batches per optimizer step`,
    `TITLE = ${experiment.title === undefined ? 'None' : pyString(experiment.title)}`,
    '',
  ].join('\n');
  const build = [
    modelCode(experiment.model),
    '',
    `# The initial weights, drawn by the Lab from seed ${experiment.seed}.`,
    weights,
    '# Layers as the table reports them (per-layer gradient norms).',
    layers,
    '',
    'def build_model():',
    '    model = make_model()',
    '    with torch.no_grad():',
    '        for name, p in model.named_parameters():',
    '            p.copy_(torch.tensor(INITIAL_WEIGHTS[name]).reshape(p.shape))',
    '    return model',
    '',
  ].join('\n');
  const main = [
    'def main():',
    '    parser = argparse.ArgumentParser(description="Reproduces a Gradient Lab experiment in PyTorch and prints its per-step table.")',
    '    parser.add_argument("--format", choices=["text", "csv", "json"], default="text")',
    '    args = parser.parse_args()',
    '    a, b = run_a(), run_b()',
    '    if args.format == "csv":',
    '        print(format_csv(a, b), end="")',
    '    elif args.format == "json":',
    '        print(format_json(TITLE, a, b), end="")',
    '    else:',
    '        print(format_text(TITLE, a, b), end="")',
    '',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '',
  ].join('\n');
  return [
    header,
    PY_LOG_AND_TABLE.trim() + '\n',
    ...(scaled ? [PY_SCALER.trim() + '\n'] : []),
    build,
    dataCode(experiment),
    runCode('a', runs.a, experiment.accumulation),
    runCode('b', runs.b, experiment.accumulation),
    main,
  ].join('\n\n');
}

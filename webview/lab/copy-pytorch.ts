// "Copy as PyTorch": the correct training loop for an experiment's settings, to paste into real
// code: clip after backward (and after scaler.unscale_), directly before the step; under
// accumulation inside the step's guard.
import { resolveRun, type ClipSpec, type Experiment, type OptimizerSpec, type ResolvedRun } from './experiment';

function pyNumber(value: number): string {
  const text = String(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

function optimizerLine(spec: OptimizerSpec): string {
  const args = ['model.parameters()', `lr=${pyNumber(spec.lr)}`];
  const name = { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop' }[spec.kind];
  if ((spec.kind === 'sgd' || spec.kind === 'rmsprop') && spec.momentum) args.push(`momentum=${pyNumber(spec.momentum)}`);
  if (spec.kind === 'adam' || spec.kind === 'adamw') {
    if (spec.betas[0] !== 0.9 || spec.betas[1] !== 0.999) args.push(`betas=(${pyNumber(spec.betas[0])}, ${pyNumber(spec.betas[1])})`);
  }
  const defaultDecay = spec.kind === 'adamw' ? 0.01 : 0;
  if (spec.weightDecay !== defaultDecay) args.push(`weight_decay=${pyNumber(spec.weightDecay)}`);
  return `optimizer = torch.optim.${name}(${args.join(', ')})`;
}

function clipLine(clip: ClipSpec): string {
  if (clip.mode === 'value') return `torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=${pyNumber(clip.threshold)})`;
  const norm = clip.normType === 2 ? '' : `, norm_type=${clip.normType === 'inf' ? "float('inf')" : pyNumber(clip.normType)}`;
  return `torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=${pyNumber(clip.threshold)}${norm})`;
}

/** The run whose settings the snippet shows: the clipped one (B in the presets and for "this loop"). */
function clippedRun(experiment: Experiment): ResolvedRun {
  const b = resolveRun(experiment, 'b');
  if (b.clip.mode !== 'off') return b;
  const a = resolveRun(experiment, 'a');
  return a.clip.mode !== 'off' ? a : { ...b, clip: experiment.clip };
}

export function copyAsPyTorch(experiment: Experiment): string {
  const run = clippedRun(experiment);
  const k = experiment.accumulation;
  const scaler = run.scaler;
  const lines: string[] = [optimizerLine(run.optimizer)];
  if (scaler) {
    const defaults = scaler.initScale === 65536 && scaler.growthFactor === 2 && scaler.backoffFactor === 0.5 && scaler.growthInterval === 2000;
    lines.push(
      defaults
        ? 'scaler = torch.cuda.amp.GradScaler()'
        : `scaler = torch.cuda.amp.GradScaler(init_scale=${pyNumber(scaler.initScale)}, growth_factor=${pyNumber(scaler.growthFactor)}, ` +
            `backoff_factor=${pyNumber(scaler.backoffFactor)}, growth_interval=${scaler.growthInterval})`,
    );
  }
  if (k > 1) lines.push(`accumulation_steps = ${k}`);
  lines.push('');
  lines.push(k > 1 ? 'for i, (x, y) in enumerate(loader):' : 'for x, y in loader:');
  const body: string[] = [];
  if (scaler) {
    body.push('with torch.autocast(device_type="cuda", dtype=torch.float16):', '    loss = loss_fn(model(x), y)');
  } else {
    body.push('loss = loss_fn(model(x), y)');
  }
  if (k > 1) body.push('loss = loss / accumulation_steps  # average over the window');
  body.push(scaler ? 'scaler.scale(loss).backward()' : 'loss.backward()');
  const update: string[] = [];
  if (scaler) update.push('scaler.unscale_(optimizer)  # clip the true gradients, not the scaled ones');
  if (run.clip.mode === 'off') update.push('# (clipping is off in this experiment; a clip would go here)');
  else update.push(clipLine(run.clip) + (scaler ? '' : '  # after backward, before step'));
  update.push(...(scaler ? ['scaler.step(optimizer)', 'scaler.update()'] : ['optimizer.step()']));
  update.push('optimizer.zero_grad()');
  if (k > 1) {
    body.push('if (i + 1) % accumulation_steps == 0:  # clip once per window, on the whole sum', ...update.map((l) => '    ' + l));
  } else {
    body.push(...update);
  }
  lines.push(...body.map((l) => '    ' + l));
  return lines.join('\n') + '\n';
}

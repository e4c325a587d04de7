// Loop shapes: what "Show in Gradient Lab" replays. Each example's buggy loop and its correct twin
// (order of one pass along the flow graph, the fixed order, the settings as the code states them);
// execution order where it differs from source order; accumulation; argparse and constants;
// nested loops; helpers. The fixed order is checked against the real fixes: the fixed file's own
// loop runs the order the shape promised.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer, analyzeText } from '../../analysis/analyzer';
import type { LoopCall, LoopShape } from '../../analysis/api';
import { applyEdits } from '../../analysis/edits';
import { innermostLoop } from '../../server/lsp/codeLens';

const ROOT = join(import.meta.dirname, '..', '..');
const example = (name: string) => readFileSync(join(ROOT, 'examples', name), 'utf8');

const dedent = (s: string) => {
  const lines = s.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
};

/** `backward clip step* zero_grad*`: a star marks a call that runs only at a window's end. */
function calls(text: string): LoopCall[] {
  return text.split(' ').map((word) => (word.endsWith('*') ? { call: word.slice(0, -1) as LoopCall['call'], windowEnd: true } : { call: word as LoopCall['call'] }));
}

/** 0-based line of the first line starting (after indentation) with `needle`. */
function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.trimStart().startsWith(needle));
  assert.ok(line >= 0, `"${needle}" not in text`);
  return line;
}

/** The loop shape a lens on the line starting with `needle` would carry. */
function loopAt(text: string, needle: string): LoopShape {
  const line = lineOf(text, needle);
  const at = { line, character: text.split('\n')[line].length - text.split('\n')[line].trimStart().length };
  const shape = innermostLoop(analyzeText(text).loops, { start: at, end: at });
  assert.ok(shape, `no loop shape around "${needle}"`);
  return shape;
}

/** The shape without its range, for comparing with what a person reads off the code. */
function summary(shape: LoopShape): Omit<LoopShape, 'range'> {
  const { range: _range, ...rest } = shape;
  return rest;
}

const ORDERING = /^CLP00[1-5]$/;

/** Applies the fixes of ordering findings one at a time (each from a fresh analysis), as a user would. */
function applyOrderingFixes(text: string): string {
  for (let round = 0; round < 10; round++) {
    const finding = analyzeText(text).findings.find((f) => ORDERING.test(f.code) && f.fix);
    if (!finding) return text;
    text = applyEdits(text, finding.fix!.edits);
  }
  throw new Error('fixes did not converge');
}

describe('loop shapes: the examples', () => {
  const cases: Array<{ file: string; at: string; expected: Omit<LoopShape, 'range'> }> = [
    {
      file: 'mnist_clip_after_step.py',
      at: 'torch.nn.utils.clip_grad_norm_(',
      expected: {
        order: calls('zero_grad backward step clip'),
        fixedOrder: calls('zero_grad backward clip step'),
        codes: ['CLP002'],
        clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
        optimizer: 'optimizer',
        optimizerKind: 'sgd',
        learningRate: 0.5,
        learningRateText: '0.5',
        momentum: 0.9,
      },
    },
    {
      file: 'rnn_clip_before_backward.py',
      at: 'nn.utils.clip_grad_norm_(',
      expected: {
        order: calls('zero_grad clip backward step'),
        fixedOrder: calls('zero_grad backward clip step'),
        codes: ['CLP001'],
        // `clip=0.25` is the function's keyword default.
        clip: { kind: 'norm', threshold: 0.25, thresholdText: '0.25' },
        optimizer: 'optimizer',
        optimizerKind: 'sgd',
        learningRate: 20,
        learningRateText: '20.0',
      },
    },
    {
      file: 'gpt_amp_no_unscale.py',
      at: 'torch.nn.utils.clip_grad_norm_(',
      expected: {
        order: calls('backward clip step zero_grad'),
        fixedOrder: calls('backward unscale clip step zero_grad'),
        codes: ['CLP003'],
        // `learning_rate, grad_clip = 6e-4, 1.0` at module level.
        clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
        optimizer: 'optimizer',
        optimizerKind: 'adamw',
        learningRate: 6e-4,
        learningRateText: '6e-4',
        scaler: {},
      },
    },
    {
      file: 'finetune_accumulation.py',
      at: 'torch.nn.utils.clip_grad_norm_(',
      expected: {
        order: calls('backward clip step* zero_grad*'),
        fixedOrder: calls('backward clip* step* zero_grad*'),
        codes: ['CLP004'],
        clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
        optimizer: 'optimizer',
        optimizerKind: 'adamw',
        learningRate: 2e-5,
        learningRateText: '2e-5',
        accumulation: 8,
      },
    },
    {
      // CLP011 and CLP009 are not about order: nothing to fix in the order.
      file: 'accelerate_loop.py',
      at: 'torch.nn.utils.clip_grad_norm_(',
      expected: {
        order: calls('backward clip step zero_grad'),
        fixedOrder: calls('backward clip step zero_grad'),
        codes: [],
        clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
        optimizer: 'optimizer',
      },
    },
    {
      file: 'lora_one_shot_params.py',
      at: 'torch.nn.utils.clip_grad_norm_(',
      expected: {
        order: calls('backward clip step zero_grad'),
        fixedOrder: calls('backward clip step zero_grad'),
        codes: [],
        clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
        optimizer: 'optimizer',
        optimizerKind: 'adamw',
        learningRate: 1e-4,
        learningRateText: '1e-4',
      },
    },
    {
      file: 'correct/mnist.py',
      at: 'torch.nn.utils.clip_grad_norm_(',
      expected: {
        order: calls('backward clip step zero_grad'),
        fixedOrder: calls('backward clip step zero_grad'),
        codes: [],
        clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
        optimizer: 'optimizer',
        optimizerKind: 'sgd',
        learningRate: 0.5,
        learningRateText: '0.5',
        momentum: 0.9,
      },
    },
    {
      // nanoGPT's shape: backward in an inner loop of micro-steps, then unscale, clip, step once.
      file: 'correct/gpt_amp.py',
      at: 'torch.nn.utils.clip_grad_norm_(',
      expected: {
        order: calls('backward unscale* clip* step* zero_grad*'),
        fixedOrder: calls('backward unscale* clip* step* zero_grad*'),
        codes: [],
        clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
        optimizer: 'optimizer',
        accumulation: 4,
        scaler: {},
      },
    },
    {
      file: 'correct/accelerate_accumulation.py',
      at: 'accelerator.clip_grad_norm_(',
      expected: {
        order: calls('backward clip* step* zero_grad*'),
        fixedOrder: calls('backward clip* step* zero_grad*'),
        codes: [],
        clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
        optimizer: 'optimizer',
        accumulation: 8,
      },
    },
  ];
  for (const { file, at, expected } of cases) {
    it(`${file}: order, fixed order, codes and settings`, () => {
      assert.deepEqual(summary(loopAt(example(file), at)), expected);
    });
  }

  it('the lens range of each shape is the loop statement (the innermost one around the clip)', () => {
    const text = example('mnist_clip_after_step.py');
    const shape = loopAt(text, 'torch.nn.utils.clip_grad_norm_(');
    assert.equal(shape.range.start.line, lineOf(text, 'for images, labels in loader:'));
    assert.equal(shape.range.end.line, lineOf(text, 'torch.nn.utils.clip_grad_norm_('));
    // The epoch loop around it is a training loop too, with the same pass.
    const epoch = analyzeText(text).loops.find((l) => l.range.start.line === lineOf(text, 'for epoch in range(3):'));
    assert.deepEqual(epoch?.order, shape.order);
  });

  it('a LightningModule under automatic optimization runs no backward or step of its own: no shape', () => {
    assert.deepEqual(analyzeText(example('lightning_module.py')).loops, []);
    assert.deepEqual(analyzeText(example('correct/lightning_module.py')).loops, []);
  });

  for (const file of ['mnist_clip_after_step.py', 'rnn_clip_before_backward.py', 'gpt_amp_no_unscale.py', 'finetune_accumulation.py']) {
    it(`${file}: the fixed order is the order of the fixed file`, () => {
      const text = example(file);
      const before = loopAt(text, 'for ');
      const fixed = applyOrderingFixes(text);
      assert.notEqual(fixed, text);
      const after = analyzeText(fixed).loops.find((l) => l.range.start.line === before.range.start.line && l.range.start.character === before.range.start.character);
      assert.ok(after, 'the fixed file has the same loop');
      assert.deepEqual(after.order, before.fixedOrder);
      assert.deepEqual(after.codes, []);
      assert.deepEqual(after.fixedOrder, after.order);
    });
  }
});

describe('loop shapes: order along the flow graph, not the source', () => {
  it('a helper defined below the loop runs its backward and clip where it is called', () => {
    const text = dedent(`
      import torch

      def train(model, optimizer, loader):
          for batch in loader:
              loss = model(batch)
              backward_and_clip(model, loss)
              optimizer.step()
              optimizer.zero_grad()

      def backward_and_clip(model, loss):
          loss.backward()
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    `);
    const shape = loopAt(text, 'backward_and_clip(model, loss)');
    // In source order this would read step, zero_grad, backward, clip.
    assert.deepEqual(shape.order, calls('backward clip step zero_grad'));
    assert.deepEqual(shape.codes, []);
  });

  it('a clip written below the closure that backpropagates runs before it: the step calls the closure', () => {
    const text = dedent(`
      import torch
      for x, y in loader:
          def closure():
              optimizer.zero_grad()
              loss = loss_fn(model(x), y)
              loss.backward()
              return loss
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          optimizer.step(closure)
    `);
    const shape = loopAt(text, 'torch.nn.utils.clip_grad_norm_(');
    assert.deepEqual(shape.order, calls('clip zero_grad backward step'));
    assert.deepEqual(shape.fixedOrder, calls('zero_grad backward clip step'));
  });

  it('zero_grad at the bottom of the loop comes last; a zero_grad between backward and step is CLP005', () => {
    const text = dedent(`
      import torch
      optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-2, momentum=0.5)
      for batch in loader:
          loss = model(batch)
          loss.backward()
          optimizer.zero_grad()
          torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
          optimizer.step()
    `);
    assert.deepEqual(summary(loopAt(text, 'optimizer.zero_grad()')), {
      order: calls('backward zero_grad clip step'),
      fixedOrder: calls('backward clip step zero_grad'),
      codes: ['CLP005'],
      clip: { kind: 'value', threshold: 0.5, thresholdText: '0.5' },
      optimizer: 'optimizer',
      optimizerKind: 'rmsprop',
      learningRate: 0.01,
      learningRateText: '1e-2',
      momentum: 0.5,
    });
    const fixed = analyzeText(applyOrderingFixes(text)).loops[0];
    assert.deepEqual(fixed.order, calls('backward clip step zero_grad'));
  });

  it('of an if/else on mixed precision, one arm runs in a pass (the first), never both backward calls', () => {
    const text = dedent(`
      import torch

      def train(model, optimizer, loader, use_amp=True):
          scaler = torch.cuda.amp.GradScaler(init_scale=2**12)
          for batch in loader:
              loss = model(batch)
              if use_amp:
                  scaler.scale(loss).backward()
                  scaler.unscale_(optimizer)
              else:
                  loss.backward()
              torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0, norm_type=float("inf"))
              if use_amp:
                  scaler.step(optimizer)
                  scaler.update()
              else:
                  optimizer.step()
              optimizer.zero_grad()
    `);
    const shape = loopAt(text, 'torch.nn.utils.clip_grad_norm_(');
    assert.deepEqual(shape.order, calls('backward unscale clip step zero_grad'));
    assert.deepEqual(shape.clip, { kind: 'norm', threshold: 1, thresholdText: '1.0', normType: 'inf' });
    assert.deepEqual(shape.scaler, { initScale: 4096 });
  });

  it('CLP003 with an unscale_ only under another condition: the pass shown is the one without it', () => {
    const text = dedent(`
      import torch

      def train(model, loader, optimizer, log_grads):
          scaler = torch.cuda.amp.GradScaler()
          for batch in loader:
              scaler.scale(model(batch)).backward()
              if log_grads:
                  scaler.unscale_(optimizer)
              torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
              scaler.step(optimizer)
              scaler.update()
              optimizer.zero_grad()
    `);
    const shape = loopAt(text, 'torch.nn.utils.clip_grad_norm_(');
    assert.deepEqual(shape.codes, ['CLP003']);
    assert.deepEqual(shape.order, calls('backward clip step zero_grad'));
    assert.deepEqual(shape.fixedOrder, calls('backward unscale clip step zero_grad'));
  });

  it('a clip that only measures (max_norm=inf) is not a call the Lab replays', () => {
    const text = dedent(`
      import torch
      for batch in loader:
          model(batch).backward()
          norm = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))
          optimizer.step()
          optimizer.zero_grad()
    `);
    assert.deepEqual(loopAt(text, 'optimizer.step()').order, calls('backward step zero_grad'));
  });
});

describe('loop shapes: accumulation', () => {
  it('clip, step and zero_grad inside `if (i + 1) % k == 0:` run at the window end; k is the literal', () => {
    const text = dedent(`
      import torch
      for i, batch in enumerate(loader):
          (model(batch) / 4).backward()
          if (i + 1) % 4 == 0:
              torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
              optimizer.step()
              optimizer.zero_grad()
    `);
    const shape = loopAt(text, 'optimizer.step()');
    assert.deepEqual(shape.order, calls('backward clip* step* zero_grad*'));
    assert.equal(shape.accumulation, 4);
    assert.deepEqual(shape.codes, []);
  });

  it('nanoGPT under `while True:`: the micro-step loop is the micro-batch, the rest ends the window', () => {
    const text = dedent(`
      import torch

      def nanogpt_style(model, get_batch, optimizer, scaler, grad_clip, gradient_accumulation_steps):
          while True:
              for micro_step in range(gradient_accumulation_steps):
                  loss = model(get_batch()) / gradient_accumulation_steps
                  scaler.scale(loss).backward()
              if grad_clip != 0.0:
                  scaler.unscale_(optimizer)
                  torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
              scaler.step(optimizer)
              scaler.update()
              optimizer.zero_grad(set_to_none=True)
    `);
    const shape = loopAt(text, 'scaler.step(optimizer)');
    assert.equal(shape.range.start.line, lineOf(text, 'while True:'));
    assert.deepEqual(shape.order, calls('backward unscale* clip* step* zero_grad*'));
    // A parameter without a default states no k.
    assert.equal(shape.accumulation, undefined);
    assert.deepEqual(shape.scaler, {});
  });

  it('after `if (i + 1) % k != 0: continue` the rest of the pass ends the window; the fix clips there', () => {
    const text = dedent(`
      import torch
      for i, batch in enumerate(loader):
          (model(batch) / 4).backward()
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          if (i + 1) % 4 != 0:
              continue
          optimizer.step()
          optimizer.zero_grad()
    `);
    const shape = loopAt(text, 'optimizer.step()');
    assert.deepEqual(shape.codes, ['CLP004']);
    assert.deepEqual(shape.order, calls('backward clip step* zero_grad*'));
    assert.deepEqual(shape.fixedOrder, calls('backward clip* step* zero_grad*'));
    assert.equal(shape.accumulation, 4);
    const fixed = analyzeText(applyOrderingFixes(text)).loops[0];
    assert.deepEqual(fixed.order, shape.fixedOrder);
    assert.deepEqual(fixed.codes, []);
  });

  it('a `continue` on a condition that counts nothing (a non-finite norm) is no window end', () => {
    const text = dedent(`
      import torch
      for batch in loader:
          model(batch).backward()
          norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          if not torch.isfinite(norm):
              optimizer.zero_grad()
              continue
          optimizer.step()
          optimizer.zero_grad()
    `);
    assert.deepEqual(loopAt(text, 'optimizer.step()').order, calls('backward clip step zero_grad'));
  });

  it('a window end of Fabric (`if not is_accumulating:`) counts, with no k stated', () => {
    const text = dedent(`
      for i, batch in enumerate(loader):
          is_accumulating = (i + 1) % accumulate != 0
          with fabric.no_backward_sync(model, enabled=is_accumulating):
              fabric.backward(model(batch))
          if not is_accumulating:
              optimizer.step()
              optimizer.zero_grad()
    `);
    const shape = loopAt(text, 'optimizer.step()');
    assert.deepEqual(shape.order, calls('backward step* zero_grad*'));
    assert.equal(shape.accumulation, undefined);
  });
});

describe('loop shapes: settings as the code states them', () => {
  it('argparse defaults (module-level parser), module constants, a GradScaler init_scale', () => {
    const text = dedent(`
      import argparse
      import torch

      parser = argparse.ArgumentParser()
      parser.add_argument("--lr", type=float, default=3e-4)
      parser.add_argument("--max-grad-norm", type=float, default=0.5)
      parser.add_argument("--grad_accum", type=int, default=2)
      args = parser.parse_args()
      MOMENTUM = 0.9

      def main(args):
          optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=MOMENTUM)
          scaler = torch.cuda.amp.GradScaler(init_scale=2**12)
          for i, batch in enumerate(loader):
              loss = model(batch)
              scaler.scale(loss).backward()
              if (i + 1) % args.grad_accum == 0:
                  scaler.unscale_(optimizer)
                  torch.nn.utils.clip_grad_norm_(model.parameters(), args.max_grad_norm)
                  scaler.step(optimizer)
                  scaler.update()
                  optimizer.zero_grad()
    `);
    assert.deepEqual(summary(loopAt(text, 'scaler.step(optimizer)')), {
      order: calls('backward unscale* clip* step* zero_grad*'),
      fixedOrder: calls('backward unscale* clip* step* zero_grad*'),
      codes: [],
      clip: { kind: 'norm', threshold: 0.5, thresholdText: '0.5' },
      optimizer: 'optimizer',
      optimizerKind: 'sgd',
      learningRate: 3e-4,
      learningRateText: '3e-4',
      momentum: 0.9,
      accumulation: 2,
      scaler: { initScale: 4096 },
    });
  });

  it('argparse defaults in a parse_args() function, by the option’s destination (--learning-rate)', () => {
    const text = dedent(`
      import argparse
      import torch

      def parse_args():
          parser = argparse.ArgumentParser()
          parser.add_argument("--learning-rate", type=float, default=1e-3)
          parser.add_argument("--clip", dest="max_norm", type=float, default=5.0)
          return parser.parse_args()

      def train(model, loader):
          args = parse_args()
          optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
          for batch in loader:
              model(batch).backward()
              torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=args.max_norm)
              optimizer.step()
              optimizer.zero_grad()
    `);
    const shape = loopAt(text, 'optimizer.step()');
    assert.equal(shape.optimizerKind, 'adam');
    assert.equal(shape.learningRateText, '1e-3');
    assert.equal(shape.learningRate, 1e-3);
    assert.deepEqual(shape.clip, { kind: 'norm', threshold: 5, thresholdText: '5.0' });
  });

  it('self.optimizer built in __init__ from a keyword default; the accumulation k of a config dict', () => {
    const text = dedent(`
      import torch

      CONFIG = {"accumulation_steps": 2}

      class Trainer:
          def __init__(self, model, lr=5e-4):
              self.model = model
              self.optimizer = torch.optim.AdamW(model.parameters(), lr=lr)

          def fit(self, loader):
              for step, batch in enumerate(loader):
                  self.model(batch).backward()
                  if (step + 1) % CONFIG["accumulation_steps"] == 0:
                      torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                      self.optimizer.step()
                      self.optimizer.zero_grad()
    `);
    const shape = loopAt(text, 'self.optimizer.step()');
    assert.equal(shape.optimizer, 'self.optimizer');
    assert.equal(shape.optimizerKind, 'adamw');
    assert.equal(shape.learningRateText, '5e-4');
    assert.equal(shape.accumulation, 2);
  });

  it('one document edited: a default changed in parse_args() or a module constant reaches the kept loop', () => {
    const text = (lr: string, k: string) => dedent(`
      import argparse
      import torch

      def parse_args():
          parser = argparse.ArgumentParser()
          parser.add_argument("--learning-rate", type=float, default=${lr})
          return parser.parse_args()

      ACCUM = ${k}

      def train(model, loader):
          args = parse_args()
          optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
          for i, batch in enumerate(loader):
              model(batch).backward()
              if (i + 1) % ACCUM == 0:
                  optimizer.step()
                  optimizer.zero_grad()
    `);
    const analyzer = new Analyzer();
    const read = (lr: string, k: string) => {
      const [loop] = analyzer.analyze(text(lr, k)).loops;
      return [loop.learningRateText, loop.accumulation];
    };
    assert.deepEqual(read('1e-3', '2'), ['1e-3', 2]);
    assert.deepEqual(read('5e-4', '2'), ['5e-4', 2]);
    assert.deepEqual(read('5e-4', '8'), ['5e-4', 8]);
  });

  it('what the code does not state is left out: a computed lr, two optimizers, a class of this file named SGD', () => {
    const computed = dedent(`
      import torch
      optimizer = torch.optim.SGD(model.parameters(), lr=base_lr * world_size)
      for batch in loader:
          model(batch).backward()
          optimizer.step()
          optimizer.zero_grad()
    `);
    const a = loopAt(computed, 'optimizer.step()');
    assert.equal(a.optimizerKind, 'sgd');
    assert.equal(a.learningRate, undefined);
    assert.equal(a.learningRateText, undefined);
    assert.equal(a.clip, undefined);

    const either = dedent(`
      import torch
      if use_adam:
          optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
      else:
          optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
      for batch in loader:
          model(batch).backward()
          optimizer.step()
          optimizer.zero_grad()
    `);
    assert.equal(loopAt(either, 'optimizer.step()').optimizerKind, undefined);

    const local = dedent(`
      import torch
      class SGD:
          def __init__(self, params, lr):
              self.params = list(params)
          def step(self):
              pass
      optimizer = SGD(model.parameters(), lr=0.1)
      for batch in loader:
          model(batch).backward()
          optimizer.step()
          optimizer.zero_grad()
    `);
    assert.equal(loopAt(local, 'optimizer.step()').optimizerKind, undefined);
    assert.equal(loopAt(local, 'optimizer.step()').learningRate, undefined);
  });
});

describe('loop shapes: nested loops and helpers', () => {
  it('the innermost training loop around a clip; a loop over param_groups is not one', () => {
    const text = dedent(`
      import torch
      optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
      for epoch in range(10):
          for batch in loader:
              for group in optimizer.param_groups:
                  torch.nn.utils.clip_grad_norm_(group["params"], 1.0)
              loss = model(batch)
              loss.backward()
              optimizer.step()
              optimizer.zero_grad()
    `);
    const loops = analyzeText(text).loops;
    assert.deepEqual(loops.map((l) => l.range.start.line).sort(), [lineOf(text, 'for epoch'), lineOf(text, 'for batch')]);
    const shape = loopAt(text, 'torch.nn.utils.clip_grad_norm_(');
    assert.equal(shape.range.start.line, lineOf(text, 'for batch'));
    assert.deepEqual(shape.order, calls('clip backward step zero_grad'));
    assert.deepEqual(shape.codes, ['CLP001']);
    assert.deepEqual(shape.fixedOrder, calls('backward clip step zero_grad'));
  });

  it('a train_step helper called from the loop: its calls count in the loop; on its own it is one pass', () => {
    const text = dedent(`
      import torch

      def train_step(model, optimizer, batch):
          optimizer.zero_grad()
          loss = model(batch)
          loss.backward()
          optimizer.step()
          torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
          return loss

      def train(model, loader):
          optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
          for batch in loader:
              train_step(model, optimizer, batch)
    `);
    const loop = loopAt(text, 'train_step(model, optimizer, batch)');
    assert.equal(loop.range.start.line, lineOf(text, 'for batch in loader:'));
    assert.deepEqual(loop.order, calls('zero_grad backward step clip'));
    assert.deepEqual(loop.fixedOrder, calls('zero_grad backward clip step'));
    assert.deepEqual(loop.codes, ['CLP002']);
    assert.equal(loop.learningRateText, '0.01');
    // Inside the helper the lens carries the helper's own pass (a unit without a loop).
    const helper = loopAt(text, 'torch.nn.utils.clip_grad_norm_(');
    assert.equal(helper.range.start.line, lineOf(text, 'def train_step'));
    assert.deepEqual(helper.order, calls('zero_grad backward step clip'));
  });
});

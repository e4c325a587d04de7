// The settings a TypeScript/JavaScript loop states, as the Lab's "this loop" gets them: the
// optimizer's kind, learning rate and momentum (the engine's, js-pytorch's, TensorFlow.js's),
// thresholds and accumulation counts written as names, an inner loop's count; nothing that is
// not stated (a parameter, a class of the file that shadows a library's); and re-analysis after an
// edit of a setting outside the loop's function equals a fresh analysis.
import assert from 'node:assert/strict';
import { Analyzer, analyzeText } from '../../analysis/analyzer';
import type { LoopShape } from '../../analysis/api';
import { experimentFromLoop } from '../../webview/lab/this-loop';
import { loopSummary } from '../../server/lsp/codeLens';

function settings(loop: LoopShape): Partial<LoopShape> {
  const { range: _range, order: _order, fixedOrder: _fixed, codes: _codes, ...rest } = loop;
  return rest;
}

function loops(text: string): Array<Partial<LoopShape>> {
  return analyzeText(text, 'typescript').loops.map(settings);
}

const ENGINE = `import { SGD, clipGradNorm_ } from 'clipwise/engine';

const ACCUMULATION = 4;
const MAX_NORM = 0.5;
export const LEARNING_RATE = 0.05;
const optimizer = new SGD(model.parameters(), { lr: LEARNING_RATE, momentum: 0.9 });

for (let i = 0; i < 100; i++) {
  const loss = lossFn(model.forward(x), y);
  loss.backward();
  if ((i + 1) % ACCUMULATION === 0) {
    clipGradNorm_(model.parameters(), MAX_NORM);
    optimizer.step();
    optimizer.zeroGrad();
  }
}
`;

describe('TypeScript loop settings for the Lab', () => {
  it('reads the engine optimizer, a threshold and an accumulation count stated by name', () => {
    assert.deepEqual(loops(ENGINE), [
      { clip: { kind: 'norm', threshold: 0.5, thresholdText: '0.5' }, optimizer: 'optimizer', optimizerKind: 'sgd', learningRate: 0.05, learningRateText: '0.05', momentum: 0.9, accumulation: 4 },
    ]);
  });

  it('reads TensorFlow.js factories through this, js-pytorch positional rates, and an inner loop’s count', () => {
    const text = `import * as tf from '@tensorflow/tfjs';
import { SGD, clipGradNorm_ } from 'clipwise/engine';
const torch = require('js-pytorch');
const LR = 3e-4;

export class Trainer {
  private optimizer: tf.Optimizer;
  constructor(private model: tf.LayersModel) {
    this.optimizer = tf.train.momentum(LR, 0.8);
  }
  step(xs: tf.Tensor, ys: tf.Tensor) {
    const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(ys, this.model.predict(xs) as tf.Tensor) as tf.Scalar);
    const clipped = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.clipByValue(g, -1, 1)]));
    this.optimizer.applyGradients(clipped);
  }
}

export function jsPytorch(model: Model, data: Batch[]) {
  const optimizer = new torch.optim.Adam(model.parameters(), 1e-3);
  for (const [x, y] of data) {
    model.forward(x).sub(y).pow(2).mean().backward();
    optimizer.step();
    optimizer.zero_grad();
  }
}

export function innerLoop(model: Model, data: Batch[]) {
  const MICRO = 8;
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  for (let step = 0; step < 100; step++) {
    for (let j = 0; j < MICRO; j++) model.forward(data[j]).mean().backward();
    clipGradNorm_(model.parameters(), 2 ** 1);
    optimizer.step();
    optimizer.zeroGrad();
  }
}
`;
    assert.deepEqual(loops(text), [
      { clip: { kind: 'value', threshold: 1, thresholdText: '1' }, optimizer: 'this.optimizer', optimizerKind: 'sgd', learningRate: 0.0003, learningRateText: '3e-4', momentum: 0.8 },
      { optimizer: 'optimizer', optimizerKind: 'adam', learningRate: 0.001, learningRateText: '1e-3' },
      { clip: { kind: 'norm', threshold: 2, thresholdText: '2 ** 1' }, optimizer: 'optimizer', optimizerKind: 'sgd', learningRate: 0.1, learningRateText: '0.1', accumulation: 8 },
    ]);
  });

  it('states nothing it cannot see: a parameter, a shadowing parameter, a reassigned name, a class of the file', () => {
    const text = `import { Adam, clipGradNorm_ } from 'clipwise/engine';
const LR = 0.01;
let maxNorm = 1.0;
maxNorm = 2.0;

export function shadowed(model: Model, LR: number, steps: number) {
  const optimizer = new Adam(model.parameters(), { lr: LR });
  for (let i = 0; i < steps; i++) {
    model.loss().backward();
    clipGradNorm_(model.parameters(), maxNorm);
    optimizer.step();
    optimizer.zeroGrad();
  }
}

class SGD { constructor(_p: unknown, _o: unknown) {} step() {} zeroGrad() {} }
export function ownClass(model: Model) {
  const optimizer = new SGD(model.parameters(), { lr: LR });
  for (let i = 0; i < 10; i++) {
    model.loss().backward();
    optimizer.step();
    optimizer.zeroGrad();
  }
}
`;
    assert.deepEqual(loops(text), [
      { clip: { kind: 'norm' }, optimizer: 'optimizer', optimizerKind: 'adam' },
      { optimizer: 'optimizer' },
    ]);
  });

  it('becomes the Lab experiment’s settings', () => {
    const [loop] = analyzeText(ENGINE, 'typescript').loops;
    const experiment = experimentFromLoop(JSON.parse(JSON.stringify(loopSummary(loop))));
    assert.equal(experiment.accumulation, 4);
    assert.equal(experiment.clip.threshold, 0.5);
    assert.equal(experiment.optimizer.lr, 0.05);
  });

  it('follows edits of a setting outside the loop’s function, in a large file: re-analysis equals a fresh one', () => {
    const filler = Array.from({ length: 400 }, (_, i) => `export function helper${i}(a: number): number {\n  return a * ${i} + 1;\n}\n`).join('\n');
    const loop = `export function train(model: Model, data: Batch[]) {
  for (const batch of data) {
    model.loss(batch).backward();
    clipGradNorm_(model.parameters(), MAX_NORM);
    optimizer.step();
    optimizer.zeroGrad();
  }
}
`;
    const head = `import { SGD, clipGradNorm_ } from 'clipwise/engine';\nconst MAX_NORM = 1.0;\nconst optimizer = new SGD(model.parameters(), { lr: 0.05 });\n`;
    const analyzer = new Analyzer('typescript');
    let current = `${head}\n${filler}\n${loop}`;
    const shape = (a: Analyzer, text: string) => a.analyze(text).loops.map(settings);
    assert.equal(shape(analyzer, current)[0].learningRate, 0.05);
    const edits = [
      (t: string) => t.replace('const MAX_NORM = 1.0;', 'const MAX_NORM = 2.5;'),
      (t: string) => t.replace('{ lr: 0.05 }', '{ lr: 0.3 }'),
      (t: string) => t.replace('const MAX_NORM = 2.5;', ''),
      (t: string) => t.replace('{ lr: 0.3 }', '{ lr: 3e-4, momentum: 0.9 }'),
    ];
    const seen: Array<Partial<LoopShape>> = [];
    for (const edit of edits) {
      current = edit(current);
      const incremental = shape(analyzer, current);
      assert.deepEqual(incremental, shape(new Analyzer('typescript'), current));
      seen.push(incremental[0]);
    }
    // A loop in a callback reads the function around it.
    const nested = `${head}\nexport function outer(model: Model, data: Batch[]) {\n  const LR = 0.2;\n  data.forEach((batch) => {\n    const opt = new SGD(model.parameters(), { lr: LR });\n    model.loss(batch).backward();\n    opt.step();\n  });\n}\n`;
    const other = new Analyzer('typescript');
    const closure = (text: string) => shape(other, text).find((l) => l.optimizer === 'opt')?.learningRate;
    assert.equal(closure(nested), 0.2);
    assert.equal(closure(nested.replace('const LR = 0.2;', 'const LR = 0.7;')), 0.7);
    assert.equal(closure(nested.replace('const LR = 0.2;', 'let LR = 0.7; LR++;')), undefined);
    assert.deepEqual(
      seen.map((s) => [s.clip?.threshold, s.learningRate, s.momentum]),
      [[2.5, 0.05, undefined], [2.5, 0.3, undefined], [undefined, 0.3, undefined], [undefined, 0.0003, 0.9]],
    );
  });
});

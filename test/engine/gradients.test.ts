// Every differentiable op against central finite differences, on random float64 shapes.
import assert from 'node:assert/strict';
import * as E from '../../engine';
import { Rng, type Tensor } from '../../engine';
import { gradCheck, randomInput } from './gradcheck';

const TOLERANCE = 1e-6;

/** A few random shapes of the given rank with sizes 1..4. */
function shapes(rng: Rng, rank: number, count = 3): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: rank }, () => 1 + rng.int(4)));
}

function check(name: string, f: (...xs: Tensor[]) => Tensor, make: (rng: Rng) => Tensor[], trials = 3): void {
  it(name, () => {
    const rng = new Rng(name.length * 7919 + 1);
    for (let t = 0; t < trials; t++) {
      const inputs = make(rng);
      const { worst, where } = gradCheck(f, inputs, rng);
      assert.ok(worst < TOLERANCE, `${name}: relative error ${worst} at ${where}`);
    }
  });
}

/** Shapes that broadcast against `shape`: some dims set to 1, some leading dims dropped. */
function broadcastPartner(rng: Rng, shape: number[]): number[] {
  const dropped = shape.slice(rng.int(shape.length + 1));
  return dropped.map((s) => (rng.random() < 0.4 ? 1 : s));
}

describe('gradients match finite differences', () => {
  const binary = { add: E.add, sub: E.sub, mul: E.mul, div: E.div } as const;
  for (const [name, op] of Object.entries(binary)) {
    check(`${name} (same shape)`, op, (rng) => {
      const [s] = shapes(rng, 1 + rng.int(3), 1);
      return [randomInput(rng, s), randomInput(rng, s, { positive: name === 'div' })];
    });
    check(`${name} (broadcast both ways)`, op, (rng) => {
      const [s] = shapes(rng, 2 + rng.int(2), 1);
      const p = broadcastPartner(rng, s);
      const pair = [randomInput(rng, s), randomInput(rng, p, { positive: name === 'div' })];
      return rng.random() < 0.5 ? pair : [randomInput(rng, p), randomInput(rng, s, { positive: name === 'div' })];
    });
    check(`${name} with a number`, (a) => op(a, 1.7), (rng) => [randomInput(rng, shapes(rng, 2, 1)[0], { positive: true })]);
    check(`number ${name} tensor`, (a) => op(1.7, a), (rng) => [randomInput(rng, shapes(rng, 2, 1)[0], { positive: true })]);
  }

  const unary: Record<string, [(a: Tensor) => Tensor, boolean]> = {
    neg: [E.neg, false],
    exp: [E.exp, false],
    log: [E.log, true],
    sqrt: [E.sqrt, true],
    abs: [E.abs, false],
    tanh: [E.tanh, false],
    sigmoid: [E.sigmoid, false],
    relu: [E.relu, false],
    leakyRelu: [(a) => E.leakyRelu(a, 0.2), false],
    gelu: [E.gelu, false],
    softplus: [(a) => E.softplus(a, 2, 3), false],
    'pow 3': [(a) => E.pow(a, 3), false],
    'pow -1.5': [(a) => E.pow(a, -1.5), true],
    'pow 0.5': [(a) => E.pow(a, 0.5), true],
    square: [E.square, false],
  };
  for (const [name, [op, positive]] of Object.entries(unary)) {
    check(name, op, (rng) => [randomInput(rng, shapes(rng, 1 + rng.int(3), 1)[0], { positive, scale: 1.5 })]);
  }

  check('sum over all', (a) => E.sum(a), (rng) => [randomInput(rng, shapes(rng, 3, 1)[0])]);
  check('sum over dims, keepdim', (a) => E.sum(a, [0, -1], true), (rng) => [randomInput(rng, shapes(rng, 3, 1)[0])]);
  check('mean over all', (a) => E.mean(a), (rng) => [randomInput(rng, shapes(rng, 2, 1)[0])]);
  check('mean over dim 1', (a) => E.mean(a, 1), (rng) => [randomInput(rng, shapes(rng, 3, 1)[0])]);
  check('max over dim', (a) => E.max(a, 1, false), (rng) => [randomInput(rng, shapes(rng, 3, 1)[0])]);
  check('max over all', (a) => E.max(a), (rng) => [randomInput(rng, shapes(rng, 2, 1)[0])]);
  check('min over dim, keepdim', (a) => E.min(a, -1, true), (rng) => [randomInput(rng, shapes(rng, 2, 1)[0])]);

  check('matmul 2-D', E.matmul, (rng) => {
    const [m, k, n] = [1 + rng.int(6), 1 + rng.int(6), 1 + rng.int(6)];
    return [randomInput(rng, [m, k]), randomInput(rng, [k, n])];
  });
  check('matmul batched', E.matmul, (rng) => {
    const [b, m, k, n] = [1 + rng.int(3), 1 + rng.int(5), 1 + rng.int(5), 1 + rng.int(5)];
    return [randomInput(rng, [b, m, k]), randomInput(rng, [b, k, n])];
  });
  check('matmul 3-D by 2-D', E.matmul, (rng) => {
    const [b, m, k, n] = [1 + rng.int(3), 1 + rng.int(5), 1 + rng.int(5), 1 + rng.int(5)];
    return [randomInput(rng, [b, m, k]), randomInput(rng, [k, n])];
  });
  check('matmul vector operands', E.matmul, (rng) => {
    const [m, k] = [1 + rng.int(5), 1 + rng.int(5)];
    return rng.random() < 0.5 ? [randomInput(rng, [k]), randomInput(rng, [k, m])] : [randomInput(rng, [m, k]), randomInput(rng, [k])];
  });
  check('linear', E.linear, (rng) => {
    const [b, i, o] = [1 + rng.int(9), 1 + rng.int(9), 1 + rng.int(9)];
    return [randomInput(rng, [b, i]), randomInput(rng, [o, i]), randomInput(rng, [o])];
  });
  check('linear without bias, 3-D input', (x, w) => E.linear(x, w), (rng) => {
    const [t, b, i, o] = [2, 1 + rng.int(3), 1 + rng.int(5), 1 + rng.int(5)];
    return [randomInput(rng, [t, b, i]), randomInput(rng, [o, i])];
  });
  check('rnnTanhCell', (x, h, wih, whh, bih, bhh) => E.rnnTanhCell(x, h, wih, whh, bih, bhh), (rng) => {
    const [b, i, hs] = [1 + rng.int(5), 1 + rng.int(3), 1 + rng.int(6)];
    return [
      randomInput(rng, [b, i]),
      randomInput(rng, [b, hs]),
      randomInput(rng, [hs, i], { scale: 0.5 }),
      randomInput(rng, [hs, hs], { scale: 0.5 }),
      randomInput(rng, [hs]),
      randomInput(rng, [hs]),
    ];
  });

  check('reshape with -1', (a) => E.reshape(a, [-1, 2]), (rng) => [randomInput(rng, [3, 2, 1 + rng.int(3)])]);
  check('flatten', (a) => E.flatten(a, 1), (rng) => [randomInput(rng, shapes(rng, 3, 1)[0])]);
  check('unsqueeze / squeeze', (a) => E.squeeze(E.unsqueeze(a, 1), 1), (rng) => [randomInput(rng, shapes(rng, 2, 1)[0])]);
  check('transpose', (a) => E.transpose(a, 0, -1), (rng) => [randomInput(rng, shapes(rng, 3, 1)[0])]);
  check('permute', (a) => E.permute(a, [2, 0, 1]), (rng) => [randomInput(rng, shapes(rng, 3, 1)[0])]);
  check('cat along dim 1', (a, b) => E.cat([a, b, a], 1), (rng) => {
    const [r, c1, c2] = [1 + rng.int(3), 1 + rng.int(3), 1 + rng.int(3)];
    return [randomInput(rng, [r, c1, 2]), randomInput(rng, [r, c2, 2])];
  });
  check('stack along last dim', (a, b) => E.stack([a, b], -1), (rng) => {
    const s = shapes(rng, 2, 1)[0];
    return [randomInput(rng, s), randomInput(rng, s)];
  });
  check('slice with step and negative start', (a) => E.slice(a, 1, -4, null, 2), (rng) => [randomInput(rng, [2, 5, 2])]);
  check('select', (a) => E.select(a, 1, -1), (rng) => [randomInput(rng, shapes(rng, 3, 1)[0])]);
  check('select along dim 0 (shared storage)', (a) => E.select(a, 0, 0), (rng) => [randomInput(rng, shapes(rng, 3, 1)[0])]);

  check('softmax last dim', (a) => E.softmax(a), (rng) => [randomInput(rng, shapes(rng, 2, 1)[0])]);
  check('softmax middle dim', (a) => E.softmax(a, 1), (rng) => [randomInput(rng, shapes(rng, 3, 1)[0])]);
  check('logSoftmax', (a) => E.logSoftmax(a, 0), (rng) => [randomInput(rng, shapes(rng, 2, 1)[0])]);
  check('crossEntropy mean', (a) => E.crossEntropy(a, [0, 2, 1]), (rng) => [randomInput(rng, [3, 3 + rng.int(3)])]);
  check('crossEntropy none', (a) => E.crossEntropy(a, [1, 0], 'none'), (rng) => [randomInput(rng, [2, 2 + rng.int(3)])]);
  check('crossEntropy sum, one row', (a) => E.crossEntropy(a, [2], 'sum'), (rng) => [randomInput(rng, [3 + rng.int(3)])]);
  check('mseLoss none', (a, b) => E.mseLoss(a, b, 'none'), (rng) => [randomInput(rng, [3, 2]), randomInput(rng, [3, 2])]);
  check('bceWithLogits sum / none', (a) => E.add(E.bceWithLogits(a, E.tensor([0, 1, 1]), 'sum'), E.sum(E.bceWithLogits(a, E.tensor([1, 0, 0.5]), 'none'))), (rng) => [
    randomInput(rng, [3], { scale: 2 }),
  ]);
  check('fused linear + tanh', (x, w, b) => E.linearActivation(x, w, b, 'tanh'), (rng) => {
    const [n, i, o] = [1 + rng.int(9), 1 + rng.int(9), 1 + rng.int(9)];
    return [randomInput(rng, [n, i]), randomInput(rng, [o, i]), randomInput(rng, [o])];
  });
  check('fused linear + relu', (x, w, b) => E.linearActivation(x, w, b, 'relu'), (rng) => {
    const [n, i, o] = [1 + rng.int(9), 1 + rng.int(9), 1 + rng.int(9)];
    return [randomInput(rng, [n, i]), randomInput(rng, [o, i]), randomInput(rng, [o])];
  });
  check('mseLoss (both sides)', (a, b) => E.mseLoss(a, b), (rng) => {
    const s = shapes(rng, 2, 1)[0];
    return [randomInput(rng, s), randomInput(rng, s)];
  });
  check('mseLoss sum, broadcast target', (a, b) => E.mseLoss(a, b, 'sum'), (rng) => [randomInput(rng, [3, 2]), randomInput(rng, [2])]);
  check('bceWithLogits', (a) => E.bceWithLogits(a, E.tensor([[0, 1, 0.3], [1, 0, 0.5]])), (rng) => [randomInput(rng, [2, 3], { scale: 3 })]);
  check('embedding (repeated rows)', (w) => E.embedding(w, E.tensor([[0, 2], [2, 2]])), (rng) => [randomInput(rng, [3, 1 + rng.int(4)])]);
  check('composite: attention', (q, k, v) => E.matmul(E.softmax(E.matmul(q, E.transpose(k, -1, -2))), v), (rng) => [
    randomInput(rng, [2, 3, 4]),
    randomInput(rng, [2, 3, 4]),
    randomInput(rng, [2, 3, 4]),
  ]);
});

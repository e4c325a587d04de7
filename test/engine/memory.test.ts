// A long training loop must reach a steady state: no growth in pooled buffers or in the heap.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { clipGradNorm_, Linear, mseLoss, poolStats, Rng, RNN, Sequential, SGD, Tanh, randn } from '../../engine';

/** global.gc when node runs with --expose-gc, otherwise switched on at runtime. */
function getGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapBytes(gc: () => void): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

describe('memory', function () {
  this.timeout(120_000);

  it('stays flat over 10,000 MLP training steps', () => {
    const gc = getGc();
    const rng = new Rng(7);
    const model = new Sequential(new Linear(2, 16, { rng }), new Tanh(), new Linear(16, 16, { rng }), new Tanh(), new Linear(16, 1, { rng }));
    const x = randn([32, 2], { rng });
    const y = randn([32, 1], { rng });
    const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const step = () => {
      opt.zeroGrad();
      const loss = mseLoss(model.forward(x), y);
      loss.backward();
      clipGradNorm_(model.parameters(), 1);
      opt.step();
      return loss.item();
    };
    for (let i = 0; i < 200; i++) step();
    const createdBefore = poolStats().created;
    const heapBefore = heapBytes(gc);
    let loss = 0;
    for (let i = 0; i < 10_000; i++) loss = step();
    const heapAfter = heapBytes(gc);
    assert.ok(Number.isFinite(loss));
    assert.equal(poolStats().created, createdBefore, 'backward allocated new gradient buffers in the steady state');
    assert.ok(heapAfter - heapBefore < 2_000_000, `heap grew by ${heapAfter - heapBefore} bytes over 10,000 steps`);
  });

  it('stays flat over 2,000 RNN training steps (50 time steps each)', () => {
    const gc = getGc();
    const rng = new Rng(8);
    const rnn = new RNN(1, 16, { rng });
    const head = new Linear(16, 1, { rng });
    const params = [...rnn.parameters(), ...head.parameters()];
    const x = randn([50, 8, 1], { rng });
    const y = randn([8, 1], { rng });
    const opt = new SGD(params, { lr: 0.01 });
    const step = () => {
      opt.zeroGrad();
      mseLoss(head.forward(rnn.forward(x).hidden), y).backward();
      clipGradNorm_(params, 1);
      opt.step();
    };
    for (let i = 0; i < 100; i++) step();
    const createdBefore = poolStats().created;
    const heapBefore = heapBytes(gc);
    for (let i = 0; i < 2_000; i++) step();
    const heapAfter = heapBytes(gc);
    assert.equal(poolStats().created, createdBefore);
    assert.ok(heapAfter - heapBefore < 2_000_000, `heap grew by ${heapAfter - heapBefore} bytes`);
  });
});

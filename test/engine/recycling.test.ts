// Buffers the graph owns are reused after backward; nothing a caller can reach may change.
import assert from 'node:assert/strict';
import { Layer, Linear, mseLoss, poolStats, ReLU, Rng, RNN, randn, Sequential, Tanh, type Tensor } from '../../engine';

class Spy extends Layer {
  seen: Tensor[] = [];
  forward(input: Tensor): Tensor {
    this.seen.push(input);
    return input;
  }
}

describe('buffer recycling', () => {
  it('leaves the outputs a caller holds untouched through later steps', () => {
    const rng = new Rng(4);
    const model = new Sequential(new Linear(3, 8, { rng }), new Tanh(), new Linear(8, 8, { rng }), new ReLU(), new Linear(8, 2, { rng }));
    const x = randn([5, 3], { rng });
    const y = randn([5, 2], { rng });
    const kept: { out: Tensor; values: number[] }[] = [];
    for (let step = 0; step < 5; step++) {
      const out = model.forward(x);
      kept.push({ out, values: out.toArray() });
      mseLoss(out, y).backward();
    }
    for (const { out, values } of kept) assert.deepEqual(out.toArray(), values);
  });

  it('reuses intermediate buffers from one step to the next', () => {
    const rng = new Rng(4);
    const model = new Sequential(new Linear(3, 64, { rng }), new Tanh(), new Linear(64, 64, { rng }), new Tanh(), new Linear(64, 1, { rng }));
    const x = randn([32, 3], { rng });
    const y = randn([32, 1], { rng });
    mseLoss(model.forward(x), y).backward();
    const before = poolStats().reused;
    mseLoss(model.forward(x), y).backward();
    assert.ok(poolStats().reused - before >= 3, 'intermediates and saved values should come from the pool');
  });

  it('never recycles what a custom layer may have kept', () => {
    const rng = new Rng(4);
    const spy = new Spy();
    const model = new Sequential(new Linear(3, 4, { rng }), new Tanh(), spy, new Linear(4, 1, { rng }));
    const x = randn([2, 3], { rng });
    const first = model.forward(x);
    mseLoss(first, randn([2, 1], { rng })).backward();
    const values = spy.seen[0].toArray();
    assert.equal(values.length, 8);
    mseLoss(model.forward(x), randn([2, 1], { rng })).backward();
    assert.deepEqual(spy.seen[0].toArray(), values);
  });

  it('keeps an RNN output sequence intact after backward and later steps', () => {
    const rng = new Rng(6);
    const rnn = new RNN(2, 5, { rng });
    const x = randn([7, 3, 2], { rng });
    const first = rnn.forward(x);
    const output = first.output.toArray();
    const hidden = first.hidden.toArray();
    mseLoss(first.hidden, randn([3, 5], { rng })).backward();
    const second = rnn.forward(x);
    mseLoss(second.output, randn([7, 3, 5], { rng })).backward();
    assert.deepEqual(first.output.toArray(), output);
    assert.deepEqual(first.hidden.toArray(), hidden);
  });
});

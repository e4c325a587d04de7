// Modules, initialisation, optimizers' API, random numbers, tensor basics.
import assert from 'node:assert/strict';
import {
  Adam,
  Linear,
  manualSeed,
  mseLoss,
  orthogonal_,
  ReLU,
  Rng,
  RNN,
  RNNCell,
  Sequential,
  SGD,
  Tanh,
  tensor,
  zeros,
  matmul,
  transpose,
  randn,
} from '../../engine';

describe('tensor basics', () => {
  it('infers shapes from nested arrays and reads values back', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dtype, 'float64');
    assert.deepEqual(t.toNested(), [[1, 2, 3], [4, 5, 6]]);
    assert.equal(tensor(7).item(), 7);
    assert.throws(() => t.item(), /6 elements cannot be converted/);
    assert.throws(() => tensor([[1, 2], [3]]), /ragged/);
  });

  it('stores float32 tensors rounded to float32', () => {
    const t = tensor([0.1], { dtype: 'float32' });
    assert.ok(t.data instanceof Float32Array);
    assert.equal(t.item(), Math.fround(0.1));
  });
});

describe('nn', () => {
  it('parameters() is an array that can be consumed twice', () => {
    const model = new Sequential(new Linear(2, 3), new Tanh(), new Linear(3, 1));
    const first = model.parameters();
    assert.ok(Array.isArray(first));
    assert.equal(first.length, 4);
    assert.deepEqual([...model.parameters()], first);
    assert.deepEqual(
      model.namedParameters().map(([n, p]) => [n, p.shape]),
      [['0.weight', [3, 2]], ['0.bias', [3]], ['2.weight', [1, 3]], ['2.bias', [1]]],
    );
    assert.ok(first.every((p) => p.requiresGrad));
  });

  it('initialises like PyTorch (uniform in ±1/√in) and reproducibly from a seed', () => {
    const a = new Linear(16, 8, { rng: new Rng(42) });
    const b = new Linear(16, 8, { rng: new Rng(42) });
    const c = new Linear(16, 8, { rng: new Rng(43) });
    assert.deepEqual(a.weight.toArray(), b.weight.toArray());
    assert.notDeepEqual(a.weight.toArray(), c.weight.toArray());
    assert.ok(a.weight.toArray().every((v) => Math.abs(v) <= 0.25));
    manualSeed(5);
    const d = new Linear(3, 3);
    manualSeed(5);
    const e = new Linear(3, 3);
    assert.deepEqual(d.weight.toArray(), e.weight.toArray());
  });

  it('runs an RNN over [T, B, I] and matches stepping the cell by hand', () => {
    const rng = new Rng(1);
    const rnn = new RNN(2, 3, { rng });
    const x = randn([5, 4, 2], { rng });
    const { output, hidden } = rnn.forward(x);
    assert.deepEqual(output.shape, [5, 4, 3]);
    assert.deepEqual(hidden.shape, [4, 3]);
    const cell = new RNNCell(2, 3);
    cell.weightIh.data.set(rnn.weightIh.data);
    cell.weightHh.data.set(rnn.weightHh.data);
    cell.biasIh!.data.set(rnn.biasIh!.data);
    cell.biasHh!.data.set(rnn.biasHh!.data);
    let h = null;
    for (let t = 0; t < 5; t++) h = cell.forward(tensor(x.toArray().slice(t * 8, t * 8 + 8), { shape: [4, 2] }), h);
    assert.deepEqual(h!.toArray(), hidden.toArray());
    assert.deepEqual(output.toArray().slice(4 * 12), hidden.toArray());
    assert.deepEqual(rnn.namedParameters().map(([n]) => n), ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
  });

  it('orthogonal_ gives W·Wᵀ = gain²·I', () => {
    const w = orthogonal_(zeros([6, 6]), 3, new Rng(9));
    const product = matmul(w, transpose(w)).toArray();
    product.forEach((v, i) => assert.ok(Math.abs(v - (i % 7 === 0 ? 9 : 0)) < 1e-12, `element ${i} = ${v}`));
  });

  it('trains: a small MLP drives its loss down', () => {
    const rng = new Rng(0);
    const model = new Sequential(new Linear(2, 16, { rng }), new ReLU(), new Linear(16, 1, { rng }));
    const x = randn([64, 2], { rng });
    const target = tensor(Array.from({ length: 64 }, (_, i) => x.data[2 * i] ** 2), { shape: [64, 1] });
    const opt = new Adam(model.parameters(), { lr: 0.01 });
    let first = 0;
    let last = 0;
    for (let step = 0; step < 300; step++) {
      opt.zeroGrad();
      const loss = mseLoss(model.forward(x), target);
      loss.backward();
      opt.step();
      if (step === 0) first = loss.item();
      last = loss.item();
    }
    assert.ok(last < first * 0.2, `loss ${first} -> ${last}`);
  });

  it('zeroGrad zeroes in place by default and drops grads with setToNone', () => {
    const model = new Linear(2, 1);
    mseLoss(model.forward(tensor([[1, 2]])), tensor([[1]])).backward();
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    const grad = model.weight.grad!;
    opt.zeroGrad();
    assert.equal(model.weight.grad, grad);
    assert.deepEqual(grad.toArray(), [0, 0]);
    opt.zeroGrad(true);
    assert.equal(model.weight.grad, null);
  });

  it('rejects invalid hyperparameters', () => {
    const p = [zeros([1], { requiresGrad: true })];
    assert.throws(() => new SGD(p, { lr: -1 }), /Invalid learning rate/);
    assert.throws(() => new SGD(p, { lr: 0.1, nesterov: true }), /Nesterov/);
    assert.throws(() => new Adam(p, { betas: [1, 0.9] }), /Invalid beta/);
  });
});

describe('Rng', () => {
  it('is reproducible and roughly uniform / normal', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const xs = Array.from({ length: 20000 }, () => a.random());
    assert.deepEqual(xs.slice(0, 10), Array.from({ length: 10 }, () => b.random()));
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
    assert.ok(xs.every((v) => v >= 0 && v < 1));
    const zs = Array.from({ length: 20000 }, () => a.normal());
    const m = zs.reduce((s, v) => s + v, 0) / zs.length;
    const sd = Math.sqrt(zs.reduce((s, v) => s + (v - m) ** 2, 0) / zs.length);
    assert.ok(Math.abs(m) < 0.03 && Math.abs(sd - 1) < 0.03, `normal mean ${m} sd ${sd}`);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[a.int(3)]++;
    assert.ok(counts.every((c) => c > 900), counts.join(','));
  });
});

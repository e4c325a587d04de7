// Graph behaviour: accumulation, errors, freeing, noGrad/detach, deep graphs.
import assert from 'node:assert/strict';
import {
  add,
  matmul,
  mul,
  mseLoss,
  noGrad,
  rnnTanhCell,
  Rng,
  sum,
  tanh,
  tensor,
  isGradEnabled,
  randn,
  zeros,
} from '../../engine';

describe('autograd', () => {
  it('accumulates the gradient of a value used several times', () => {
    const a = tensor([2, 3], { requiresGrad: true });
    // y = a·a + a  →  dy/da = 2a + 1
    const y = sum(add(mul(a, a), a));
    y.backward();
    assert.deepEqual(a.grad!.toArray(), [5, 7]);
  });

  it('accumulates into .grad across backward calls until zeroed', () => {
    const a = tensor([1, -1], { requiresGrad: true });
    sum(mul(a, 3)).backward();
    sum(mul(a, 3)).backward();
    assert.deepEqual(a.grad!.toArray(), [6, 6]);
  });

  it('backpropagates a given upstream gradient through a non-scalar output', () => {
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const y = mul(a, a);
    y.backward(tensor([[1, 0], [0.5, 2]]));
    assert.deepEqual(a.grad!.toArray(), [2, 0, 3, 16]);
  });

  it('refuses backward on a non-scalar without a gradient, naming the shape', () => {
    const y = mul(tensor([1, 2, 3], { requiresGrad: true }), 2);
    assert.throws(() => y.backward(), /grad can be implicitly created only for scalar outputs.*\[3\]/);
  });

  it('refuses an upstream gradient of the wrong shape', () => {
    const y = mul(tensor([1, 2, 3], { requiresGrad: true }), 2);
    assert.throws(() => y.backward(tensor([1, 2])), /gradient has shape \[2\] but the tensor has shape \[3\]/);
  });

  it('reports shape mismatches with both shapes', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    assert.throws(() => add(a, tensor([1, 2])), /shapes \[2, 3\] and \[2\] cannot be broadcast together/);
    assert.throws(() => matmul(a, a), /shapes \[2, 3\] and \[2, 3\] cannot be multiplied \(2x3 and 2x3\)/);
    assert.throws(() => mseLoss(a, tensor([1, 2])), /mse_loss: shapes \[2, 3\] and \[2\] cannot be broadcast/);
  });

  it('refuses backward on a tensor that does not require grad', () => {
    assert.throws(() => sum(tensor([1, 2])).backward(), /does not require grad/);
  });

  it('frees the graph after backward, and a second backward says so', () => {
    const a = tensor([0.5], { requiresGrad: true });
    const y = sum(tanh(mul(a, 2)));
    y.backward();
    assert.equal(y.gradFn!.backward, null);
    assert.equal(y.gradFn!.inputs.length, 0);
    assert.throws(() => y.backward(), /backward through the graph a second time/);
  });

  it('keeps the graph with retainGraph', () => {
    const a = tensor([0.5], { requiresGrad: true });
    const y = sum(mul(a, a));
    y.backward(undefined, { retainGraph: true });
    y.backward();
    assert.deepEqual(a.grad!.toArray(), [2]);
  });

  it('records nothing under noGrad, and restores the mode even after a throw', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => mul(a, 2));
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
    assert.throws(() => noGrad(() => { throw new Error('boom'); }), /boom/);
    assert.equal(isGradEnabled(), true);
  });

  it('detach cuts the graph but shares values', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = mul(a, 3);
    const d = b.detach();
    assert.equal(d.requiresGrad, false);
    assert.deepEqual(d.toArray(), [3, 6]);
    const y = sum(add(mul(d, a), b)); // d is a constant: dy/da = d + 3
    y.backward();
    assert.deepEqual(a.grad!.toArray(), [6, 9]);
  });

  it('keeps a non-leaf gradient when asked (retainGrad)', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const h = mul(a, 2).retainGrad();
    sum(mul(h, h)).backward();
    assert.deepEqual(h.grad!.toArray(), [4, 8]);
  });

  it('backpropagates through a 10,000-step unrolled RNN without overflowing the stack', () => {
    const rng = new Rng(3);
    const hidden = 4;
    const wih = randn([hidden, 1], { rng, requiresGrad: true });
    const whh = mul(randn([hidden, hidden], { rng }), 0.1).detach().requiresGrad_();
    const bih = zeros([hidden], { requiresGrad: true });
    const bhh = zeros([hidden], { requiresGrad: true });
    const x = randn([1, 1], { rng });
    let h = null;
    for (let t = 0; t < 10_000; t++) h = rnnTanhCell(x, h, wih, whh, bih, bhh);
    sum(h!).backward();
    assert.ok(whh.grad !== null && whh.grad.toArray().every(Number.isFinite));
    assert.ok(wih.grad!.toArray().some((v) => v !== 0));
  });

  it('handles a 10,000-op chain of elementwise ops', () => {
    const a = tensor([0.1], { requiresGrad: true });
    let y = a;
    for (let i = 0; i < 10_000; i++) y = add(y, 1e-4);
    y.backward();
    assert.deepEqual(a.grad!.toArray(), [1]);
  });
});

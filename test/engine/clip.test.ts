// Clipping: the seed example from the PyTorch docs, checked against the golden file, plus edge cases.
import assert from 'node:assert/strict';
import {
  clipGradNorm_,
  clipGradsWithNorm_,
  clipGradValue_,
  getTotalNorm,
  Linear,
  mseLoss,
  NonFiniteNormError,
  tensor,
  Tensor,
} from '../../engine';
import { decode, decodeAll, loadGolden, type GoldenNumber, type GoldenTensor } from './golden';

interface LinearExample {
  name: string;
  initial_params: Record<string, GoldenTensor>;
  per_step: {
    grads_after_clip: Record<string, GoldenTensor>;
    grad_norm_per_param_after_clip: Record<string, GoldenNumber>;
    grad_norm_before_clip: GoldenNumber;
  }[];
}

function close(a: number, b: number, rtol = 1e-12): boolean {
  return Math.abs(a - b) <= rtol * Math.abs(b) + 1e-15;
}

describe('clipGradNorm_', () => {
  it('the seed example: Linear(2, 1), MSE, clipGradNorm_(params, 0.1) matches PyTorch', () => {
    const golden = loadGolden<LinearExample>('train').cases.find((c) => c.name === 'linear_2_1_clip_norm_0p1')!;
    const model = new Linear(2, 1);
    model.weight.data.set(decodeAll(golden.initial_params.weight.data));
    model.bias!.data.set(decodeAll(golden.initial_params.bias.data));
    const loss = mseLoss(model.forward(tensor([[1, 2]])), tensor([[1]]));
    loss.backward();
    const params = model.parameters();
    const total = clipGradNorm_(params, 0.1);

    const step = golden.per_step[0];
    assert.ok(close(total.item(), decode(step.grad_norm_before_clip)));
    for (const [name, p] of [['weight', model.weight], ['bias', model.bias!]] as const) {
      const norm = getTotalNorm([p.grad]).item();
      assert.ok(norm <= 0.1, `${name} grad norm ${norm} > 0.1`);
      assert.ok(close(norm, decode(step.grad_norm_per_param_after_clip[name])), `${name} norm ${norm}`);
      const expected = decodeAll(step.grads_after_clip[name].data);
      p.grad!.toArray().forEach((v, i) => assert.ok(close(v, expected[i]), `${name}[${i}] = ${v}, PyTorch ${expected[i]}`));
    }
    assert.ok(getTotalNorm(params.map((p) => p.grad)).item() <= 0.1);
  });

  function withGrad(values: number[], dtype: 'float32' | 'float64' = 'float64'): Tensor {
    const p = tensor(values.map(() => 0), { dtype, requiresGrad: true });
    p.grad = tensor(values, { dtype });
    return p;
  }

  it('returns the norm before clipping and scales even when total equals max_norm', () => {
    const p = withGrad([3, 4]);
    const total = clipGradNorm_([p], 5);
    assert.equal(total.item(), 5);
    assert.ok(p.grad!.data[0] < 3, 'PyTorch still multiplies by 5 / (5 + 1e-6)');
  });

  it('supports 1, inf and fractional norm types', () => {
    assert.equal(clipGradNorm_([withGrad([3, -4])], 100, { normType: 1 }).item(), 7);
    assert.equal(clipGradNorm_([withGrad([3, -4]), withGrad([-5])], 100, { normType: 'inf' }).item(), 5);
    assert.equal(clipGradNorm_([withGrad([3, -4])], 100, { normType: Infinity }).item(), 4);
    assert.ok(close(clipGradNorm_([withGrad([1, 4])], 100, { normType: 0.5 }).item(), 9));
  });

  it('skips params without a grad and returns a float32 zero when none has one', () => {
    const none = tensor([1, 2], { requiresGrad: true });
    const total = clipGradNorm_([none], 1);
    assert.equal(total.item(), 0);
    assert.equal(total.dtype, 'float32');
    assert.equal(none.grad, null);
  });

  it('raises on a non-finite norm only when asked, before touching the grads', () => {
    const p = withGrad([Infinity, 1]);
    assert.throws(() => clipGradNorm_([p], 1, { errorIfNonfinite: true }), NonFiniteNormError);
    assert.deepEqual(p.grad!.toArray(), [Infinity, 1]);
    const total = clipGradNorm_([p], 1);
    assert.equal(total.item(), Infinity);
    assert.ok(Number.isNaN(p.grad!.data[0]) && p.grad!.data[1] === 0);
  });

  it('overflows float32 norms like PyTorch (1e30 squared is inf in float32)', () => {
    const p = withGrad([1e30, 1e30], 'float32');
    assert.equal(clipGradNorm_([p], 1).item(), Infinity);
    assert.deepEqual(p.grad!.toArray(), [0, 0]);
    const q = withGrad([1e30, 1e30], 'float64');
    assert.ok(close(clipGradNorm_([q], 1).item(), Math.SQRT2 * 1e30));
  });

  it('clipGradsWithNorm_ applies a precomputed norm', () => {
    const p = withGrad([6, 8]);
    clipGradsWithNorm_([p], 1, 10);
    assert.ok(close(p.grad!.data[0], 0.6 * (10 / (10 + 1e-6))));
  });
});

describe('clipGradValue_', () => {
  it('clamps to ±v, keeps values at ±v, sends ±inf to ±v and keeps NaN', () => {
    const p = tensor([0, 0, 0, 0, 0, 0], { requiresGrad: true });
    p.grad = tensor([0.5, -0.5, 2, -Infinity, NaN, 0.1]);
    clipGradValue_(p, 0.5);
    const g = p.grad.toArray();
    assert.deepEqual(g.slice(0, 4), [0.5, -0.5, 0.5, -0.5]);
    assert.ok(Number.isNaN(g[4]));
    assert.equal(g[5], 0.1);
  });
});

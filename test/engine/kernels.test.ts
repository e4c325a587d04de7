// The fast paths must agree with the plain ones: float32 kernels with float64, fused layers with
// separate ops, and the float32 tanh with Math.tanh.
import assert from 'node:assert/strict';
import {
  linear,
  Linear,
  matmul,
  mseLoss,
  noGrad,
  ReLU,
  relu,
  Rng,
  randn,
  Sequential,
  sum,
  Tanh,
  tanh,
  tensor,
  type Tensor,
} from '../../engine';
import { tanhFloat32 } from '../../engine/math';

function toFloat32(t: Tensor): Tensor {
  return tensor(t.data, { shape: t.shape, dtype: 'float32' });
}

function maxRelativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

describe('kernels', () => {
  it('float32 matmul and linear (with bias) match float64 on awkward shapes', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 40; trial++) {
      const [m, k, n] = [1 + rng.int(13), 1 + rng.int(13), 1 + rng.int(13)];
      const a = randn([m, k], { rng });
      const b = randn([k, n], { rng });
      const bias = randn([n], { rng });
      const w = randn([n, k], { rng });
      const exact = noGrad(() => matmul(a, b));
      const single = noGrad(() => matmul(toFloat32(a), toFloat32(b)));
      assert.equal(single.dtype, 'float32');
      assert.ok(maxRelativeGap(single.data, exact.data) < 1e-5, `matmul ${m}x${k}x${n}`);
      const lin = noGrad(() => linear(a, w, bias));
      const lin32 = noGrad(() => linear(toFloat32(a), toFloat32(w), toFloat32(bias)));
      assert.ok(maxRelativeGap(lin32.data, lin.data) < 1e-5, `linear ${m}x${k}->${n}`);
    }
  });

  it('Sequential fuses Linear+Tanh / Linear+ReLU with exactly the values and gradients of separate ops', () => {
    for (const [Act, act] of [[Tanh, tanh], [ReLU, relu]] as const) {
      for (const dtype of ['float64', 'float32'] as const) {
        const rng = new Rng(5);
        const l1 = new Linear(3, 7, { rng, dtype });
        const l2 = new Linear(7, 2, { rng, dtype });
        const model = new Sequential(l1, new Act(), l2);
        const x = randn([5, 3], { rng, dtype });
        const y = randn([5, 2], { rng, dtype });
        const fused = mseLoss(model.forward(x), y);
        fused.backward();
        const fusedGrads = model.parameters().map((p) => p.grad!.toArray());
        model.zeroGrad(true);
        const separate = mseLoss(linear(act(linear(x, l1.weight, l1.bias)), l2.weight, l2.bias), y);
        separate.backward();
        assert.equal(fused.item(), separate.item());
        model.parameters().forEach((p, i) => assert.deepEqual(p.grad!.toArray(), fusedGrads[i], `${dtype} grad ${i}`));
      }
    }
  });

  it('float32 tanh stays within 1e-9 relative of Math.tanh and saturates to ±1 where float32 does', () => {
    let worst = 0;
    for (let i = -200000; i <= 200000; i++) {
      const x = i * 5e-5;
      const t = Math.tanh(x);
      if (Math.abs(x) <= 9.02) {
        if (t !== 0) worst = Math.max(worst, Math.abs(tanhFloat32(x) - t) / Math.abs(t));
      } else {
        assert.equal(tanhFloat32(x), Math.fround(t), `x = ${x}`);
      }
    }
    assert.ok(worst < 1e-9, `worst relative error ${worst}`);
    assert.equal(tanhFloat32(50), 1);
    assert.equal(tanhFloat32(-50), -1);
    assert.ok(Number.isNaN(tanhFloat32(NaN)));
    const t32 = noGrad(() => tanh(tensor([0.5, -3, 12], { dtype: 'float32' })));
    assert.deepEqual(t32.toArray(), [Math.fround(Math.tanh(0.5)), Math.fround(Math.tanh(-3)), 1]);
  });

  it('gradients reach the bias through the fused backward', () => {
    const rng = new Rng(2);
    const layer = new Linear(4, 3, { rng });
    const model = new Sequential(layer, new Tanh());
    const x = randn([6, 4], { rng });
    sum(model.forward(x)).backward();
    const h = noGrad(() => tanh(linear(x, layer.weight, layer.bias)));
    const expected = [0, 1, 2].map((j) => {
      let s = 0;
      for (let r = 0; r < 6; r++) s += 1 - h.data[r * 3 + j] ** 2;
      return s;
    });
    assert.ok(maxRelativeGap(layer.bias!.grad!.data, expected) < 1e-14);
  });
});

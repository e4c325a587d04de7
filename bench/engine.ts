// Engine benchmarks: training steps per second against TensorFlow.js's CPU backend (same model,
// weights, batch, data and optimizer; both in float32 like tfjs), matmul GFLOP/s against a naive
// loop, the engine's own exp, log, tanh, sin and cos against Math.* (engine-math.ts), and the
// Gradient Lab's presets against tfjs-cpu and tfjs-wasm (engine-lab.ts). The tfjs
// models use plain matMul + add: tf.fused.matMul was tried and trains about 3x slower on this
// backend, so the plain ops are the stronger peer.
import {
  crossEntropy,
  Linear,
  matmul,
  mseLoss,
  noGrad,
  ReLU,
  Rng,
  RNN,
  randint,
  randn,
  Sequential,
  SGD,
  Tanh,
  type DType,
  type Tensor,
} from '../engine';
import { stepsRecord } from './contest';
import { labRecords } from './engine-lab';
import { mathRecords } from './engine-math';
import { higherIsBetter, median, type BenchRecord } from './record';
import { loadTfjs, tfDense, type Tf, type TfScalar, type TfTensor } from './tfjs';

/** A benchmark: our training step and tfjs's, on the same data from the same initial weights. */
interface Contest {
  ours: () => number;
  peer: () => number;
}

function readCost(cost: TfScalar | null): number {
  const v = cost!.dataSync()[0];
  cost!.dispose();
  return v;
}

function oursStep(params: Tensor[], loss: () => Tensor): () => number {
  const opt = new SGD(params, { lr: 0.01 });
  return () => {
    opt.zeroGrad();
    const l = loss();
    l.backward();
    opt.step();
    return l.item();
  };
}

// ---------------------------------------------------------------- MLP 2-16-16-1, tanh, MSE, SGD

function mlpTiny(tf: Tf, dtype: DType, rng: Rng): Contest {
  const layers = [new Linear(2, 16, { rng, dtype }), new Linear(16, 16, { rng, dtype }), new Linear(16, 1, { rng, dtype })];
  const model = new Sequential(layers[0], new Tanh(), layers[1], new Tanh(), layers[2]);
  const x = randn([32, 2], { rng, dtype });
  const y = randn([32, 1], { rng, dtype });

  const [l1, l2, l3] = layers.map((l) => tfDense(tf, l.weight, l.bias!));
  const tx = tf.tensor(x.data.slice(), [32, 2]);
  const ty = tf.tensor(y.data.slice(), [32, 1]);
  const opt = tf.train.sgd(0.01);
  const peerLoss = () => {
    const h1 = tf.tanh(tf.add(tf.matMul(tx, l1.w), l1.b));
    const h2 = tf.tanh(tf.add(tf.matMul(h1, l2.w), l2.b));
    const out = tf.add(tf.matMul(h2, l3.w), l3.b);
    return tf.mean(tf.square(tf.sub(out, ty))) as TfScalar;
  };
  return {
    ours: oursStep(model.parameters(), () => mseLoss(model.forward(x), y)),
    peer: () => readCost(opt.minimize(peerLoss, true)),
  };
}

// ---------------------------------------------------------------- tanh RNN, hidden 32, 50 steps, batch 16

function rnn(tf: Tf, dtype: DType, rng: Rng): Contest {
  const [steps, batch, hidden] = [50, 16, 32];
  const cell = new RNN(1, hidden, { rng, dtype });
  const head = new Linear(hidden, 1, { rng, dtype });
  const x = randn([steps, batch, 1], { rng, dtype });
  const y = randn([batch, 1], { rng, dtype });

  const input = tfDense(tf, cell.weightIh, cell.biasIh!);
  const recurrent = tfDense(tf, cell.weightHh, cell.biasHh!);
  const out = tfDense(tf, head.weight, head.bias!);
  const xs = tf.unstack(tf.tensor(x.data.slice(), [steps, batch, 1])); // the time steps, sliced once up front
  const ty = tf.tensor(y.data.slice(), [batch, 1]);
  const h0 = tf.zeros([batch, hidden]);
  const opt = tf.train.sgd(0.01);
  const peerLoss = () => {
    let h: TfTensor = h0;
    for (const xt of xs) {
      h = tf.tanh(tf.add(tf.add(tf.matMul(xt, input.w), input.b), tf.add(tf.matMul(h, recurrent.w), recurrent.b)));
    }
    const prediction = tf.add(tf.matMul(h, out.w), out.b);
    return tf.mean(tf.square(tf.sub(prediction, ty))) as TfScalar;
  };
  return {
    ours: oursStep([...cell.parameters(), ...head.parameters()], () => mseLoss(head.forward(cell.forward(x).hidden), y)),
    peer: () => readCost(opt.minimize(peerLoss, true)),
  };
}

// ---------------------------------------------------------------- MLP 784-128-10, relu, softmax cross-entropy

function mlp784(tf: Tf, dtype: DType, rng: Rng): Contest {
  const layers = [new Linear(784, 128, { rng, dtype }), new Linear(128, 10, { rng, dtype })];
  const model = new Sequential(layers[0], new ReLU(), layers[1]);
  const x = randn([64, 784], { rng, dtype });
  const labels = randint(0, 10, [64], { rng }).toArray();

  const [l1, l2] = layers.map((l) => tfDense(tf, l.weight, l.bias!));
  const tx = tf.tensor(x.data.slice(), [64, 784]);
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const opt = tf.train.sgd(0.01);
  const peerLoss = () => {
    const h = tf.relu(tf.add(tf.matMul(tx, l1.w), l1.b));
    const logits = tf.add(tf.matMul(h, l2.w), l2.b);
    return tf.losses.softmaxCrossEntropy(oneHot, logits) as TfScalar;
  };
  return {
    ours: oursStep(model.parameters(), () => crossEntropy(model.forward(x), labels)),
    peer: () => readCost(opt.minimize(peerLoss, true)),
  };
}

// ---------------------------------------------------------------- matmul 256×256

function naiveMatmul(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      c[i * n + j] = s;
    }
  }
}

function gflops(run: () => void, n: number, repeats: number): number {
  for (let i = 0; i < 3; i++) run();
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    rates.push((2 * n ** 3) / ((performance.now() - start) * 1e6));
  }
  return median(rates);
}

function matmulRecord(): BenchRecord {
  const n = 256;
  const rng = new Rng(4);
  const a = randn([n, n], { rng });
  const b = randn([n, n], { rng });
  const ours = gflops(() => noGrad(() => matmul(a, b)), n, 15);
  const c = new Float64Array(n * n);
  const peer = gflops(() => naiveMatmul(a.data as Float64Array, b.data as Float64Array, c, n), n, 7);
  return higherIsBetter('engine-matmul-256', 'GFLOP/s', ours, 'naive typed-array loop', peer);
}

export async function run(): Promise<BenchRecord[]> {
  const tfjs = await loadTfjs();
  const { tf } = tfjs;
  await tf.setBackend('cpu');
  const peer = tfjs.cpuName;
  const dtype: DType = 'float32'; // like for like: tfjs's CPU backend computes in float32
  const records: BenchRecord[] = [];
  const rng = new Rng(2024);

  for (const [name, contest] of [
    ['engine-mlp-tiny', mlpTiny],
    ['engine-rnn', rnn],
    ['engine-mlp-784', mlp784],
  ] as const) {
    const { ours, peer: theirs } = contest(tf, dtype, rng);
    // Same model, same weights, same data: the first losses must agree (to float32 precision).
    const [a, b] = [ours(), theirs()];
    if (!(Math.abs(a - b) <= 1e-4 * Math.abs(b) + 1e-6)) throw new Error(`${name}: first loss ${a} vs tfjs ${b}`);
    records.push(stepsRecord(name, peer, ours, theirs));
  }

  records.push(matmulRecord());
  records.push(...mathRecords());
  records.push(...(await labRecords(tfjs)));
  return records;
}

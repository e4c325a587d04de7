// Engine benchmarks: training steps per second against TensorFlow.js's CPU backend (same model,
// batch, data and optimizer; both in float32 like tfjs), and matmul GFLOP/s against a naive loop.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { higherIsBetter, median, type BenchRecord } from './record';

type Tf = typeof import('@tensorflow/tfjs-core');

/**
 * tfjs-core's Node entry point ships without gradient definitions (the @tensorflow/tfjs umbrella
 * package registers them from tfjs-core's ES modules). Bundle exactly that — tfjs-core's ES build,
 * its register_all_gradients and the CPU backend, unmodified — so minimize() works.
 */
async function loadTfjs(): Promise<Tf> {
  const dir = mkdtempSync(join(tmpdir(), 'clipwise-tfjs-'));
  const outfile = join(dir, 'tfjs-cpu.cjs');
  try {
    await build({
      stdin: {
        contents: [
          "export * from '@tensorflow/tfjs-core';",
          "import '@tensorflow/tfjs-core/dist/register_all_gradients';",
          "import '@tensorflow/tfjs-backend-cpu';",
        ].join('\n'),
        resolveDir: process.cwd(),
        loader: 'js',
      },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      mainFields: ['module', 'main'],
      outfile,
      logLevel: 'silent',
    });
    const tf = createRequire(import.meta.url)(outfile) as Tf;
    const { log, warn } = console;
    console.log = console.warn = () => {}; // tfjs greets Node users with a banner about tfjs-node
    try {
      await tf.setBackend('cpu');
      tf.tidy(() => tf.grad((x: import('@tensorflow/tfjs-core').Tensor) => tf.sum(tf.square(x)))(tf.ones([2])).dataSync());
    } finally {
      console.log = log;
      console.warn = warn;
    }
    return tf;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Steps per second of two contenders, measured in alternating windows so that both see the same
 * background load on a shared machine; each side's median window counts.
 */
function compareStepsPerSecond(ours: () => number, peer: () => number, windowMs = 400, windows = 7): [number, number] {
  let checksum = 0;
  const warm = (step: () => number) => {
    const end = performance.now() + 300;
    for (let i = 0; i < 5 || performance.now() < end; i++) checksum += step();
  };
  const window = (step: () => number) => {
    const start = performance.now();
    let n = 0;
    let now = start;
    while (now - start < windowMs || n < 3) {
      checksum += step();
      n++;
      now = performance.now();
    }
    return (n * 1000) / (now - start);
  };
  warm(ours);
  warm(peer);
  const a: number[] = [];
  const b: number[] = [];
  for (let w = 0; w < windows; w++) {
    a.push(window(ours));
    b.push(window(peer));
  }
  if (!Number.isFinite(checksum)) throw new Error('a benchmark diverged');
  return [median(a), median(b)];
}

function stepsRecord(name: string, peerName: string, ours: () => number, peer: () => number): BenchRecord {
  const [o, p] = compareStepsPerSecond(ours, peer);
  return higherIsBetter(name, 'steps/s', o, peerName, p);
}

interface Data {
  x: Float32Array;
  xShape: number[];
  y: Float32Array;
  yShape: number[];
}

function toEngine(values: Float32Array, shape: number[], dtype: DType): Tensor {
  const t = randn(shape, { dtype }); // allocate, then overwrite with the shared data
  t.data.set(values);
  return t;
}

// ---------------------------------------------------------------- MLP 2-16-16-1, tanh, MSE, SGD

function mlpTinyData(rng: Rng): Data {
  const x = randn([32, 2], { rng, dtype: 'float32' });
  const y = randn([32, 1], { rng, dtype: 'float32' });
  return { x: x.data as Float32Array, xShape: [32, 2], y: y.data as Float32Array, yShape: [32, 1] };
}

function oursMlpTiny(d: Data, dtype: DType): () => number {
  const rng = new Rng(1);
  const model = new Sequential(
    new Linear(2, 16, { rng, dtype }),
    new Tanh(),
    new Linear(16, 16, { rng, dtype }),
    new Tanh(),
    new Linear(16, 1, { rng, dtype }),
  );
  const x = toEngine(d.x, d.xShape, dtype);
  const y = toEngine(d.y, d.yShape, dtype);
  const opt = new SGD(model.parameters(), { lr: 0.01 });
  return () => {
    opt.zeroGrad();
    const loss = mseLoss(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

function tfDense(tf: Tf, inputs: number, outputs: number) {
  const bound = 1 / Math.sqrt(inputs);
  return {
    w: tf.variable(tf.randomUniform([inputs, outputs], -bound, bound, 'float32', 1)),
    b: tf.variable(tf.randomUniform([outputs], -bound, bound, 'float32', 2)),
  };
}

function tfMlpTiny(tf: Tf, d: Data): () => number {
  const x = tf.tensor(d.x, d.xShape);
  const y = tf.tensor(d.y, d.yShape);
  const [l1, l2, l3] = [tfDense(tf, 2, 16), tfDense(tf, 16, 16), tfDense(tf, 16, 1)];
  const opt = tf.train.sgd(0.01);
  const loss = () => {
    const h1 = tf.tanh(tf.add(tf.matMul(x, l1.w), l1.b));
    const h2 = tf.tanh(tf.add(tf.matMul(h1, l2.w), l2.b));
    const out = tf.add(tf.matMul(h2, l3.w), l3.b);
    return tf.mean(tf.square(tf.sub(out, y))) as import('@tensorflow/tfjs-core').Scalar;
  };
  return () => readCost(opt.minimize(loss, true));
}

function readCost(cost: import('@tensorflow/tfjs-core').Scalar | null): number {
  const v = cost!.dataSync()[0];
  cost!.dispose();
  return v;
}

// ---------------------------------------------------------------- tanh RNN, hidden 32, 50 steps, batch 16

const RNN_STEPS = 50;
const RNN_BATCH = 16;
const RNN_HIDDEN = 32;

function rnnData(rng: Rng): Data {
  const x = randn([RNN_STEPS, RNN_BATCH, 1], { rng, dtype: 'float32' });
  const y = randn([RNN_BATCH, 1], { rng, dtype: 'float32' });
  return { x: x.data as Float32Array, xShape: [RNN_STEPS, RNN_BATCH, 1], y: y.data as Float32Array, yShape: [RNN_BATCH, 1] };
}

function oursRnn(d: Data, dtype: DType): () => number {
  const rng = new Rng(2);
  const rnn = new RNN(1, RNN_HIDDEN, { rng, dtype });
  const head = new Linear(RNN_HIDDEN, 1, { rng, dtype });
  const x = toEngine(d.x, d.xShape, dtype);
  const y = toEngine(d.y, d.yShape, dtype);
  const opt = new SGD([...rnn.parameters(), ...head.parameters()], { lr: 0.01 });
  return () => {
    opt.zeroGrad();
    const loss = mseLoss(head.forward(rnn.forward(x).hidden), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

function tfRnn(tf: Tf, d: Data): () => number {
  const xs = tf.unstack(tf.tensor(d.x, d.xShape)); // the time steps, sliced once outside the loop
  const y = tf.tensor(d.y, d.yShape);
  const bound = 1 / Math.sqrt(RNN_HIDDEN);
  const u = (shape: number[], seed: number) => tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', seed));
  const wih = u([1, RNN_HIDDEN], 1);
  const whh = u([RNN_HIDDEN, RNN_HIDDEN], 2);
  const bih = u([RNN_HIDDEN], 3);
  const bhh = u([RNN_HIDDEN], 4);
  const head = tfDense(tf, RNN_HIDDEN, 1);
  const h0 = tf.zeros([RNN_BATCH, RNN_HIDDEN]);
  const opt = tf.train.sgd(0.01);
  const loss = () => {
    let h = h0;
    for (const xt of xs) h = tf.tanh(tf.add(tf.add(tf.matMul(xt, wih), bih), tf.add(tf.matMul(h, whh), bhh)));
    const out = tf.add(tf.matMul(h, head.w), head.b);
    return tf.mean(tf.square(tf.sub(out, y))) as import('@tensorflow/tfjs-core').Scalar;
  };
  return () => readCost(opt.minimize(loss, true));
}

// ---------------------------------------------------------------- MLP 784-128-10, relu, softmax cross-entropy

function mlp784Data(rng: Rng): Data {
  const x = randn([64, 784], { rng, dtype: 'float32' });
  const labels = randint(0, 10, [64], { rng, dtype: 'float32' });
  return { x: x.data as Float32Array, xShape: [64, 784], y: labels.data as Float32Array, yShape: [64] };
}

function oursMlp784(d: Data, dtype: DType): () => number {
  const rng = new Rng(3);
  const model = new Sequential(new Linear(784, 128, { rng, dtype }), new ReLU(), new Linear(128, 10, { rng, dtype }));
  const x = toEngine(d.x, d.xShape, dtype);
  const labels = Array.from(d.y);
  const opt = new SGD(model.parameters(), { lr: 0.01 });
  return () => {
    opt.zeroGrad();
    const loss = crossEntropy(model.forward(x), labels);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

function tfMlp784(tf: Tf, d: Data): () => number {
  const x = tf.tensor(d.x, d.xShape);
  const oneHot = tf.oneHot(tf.tensor1d(Array.from(d.y), 'int32'), 10);
  const [l1, l2] = [tfDense(tf, 784, 128), tfDense(tf, 128, 10)];
  const opt = tf.train.sgd(0.01);
  const loss = () => {
    const h = tf.relu(tf.add(tf.matMul(x, l1.w), l1.b));
    const logits = tf.add(tf.matMul(h, l2.w), l2.b);
    return tf.losses.softmaxCrossEntropy(oneHot, logits) as import('@tensorflow/tfjs-core').Scalar;
  };
  return () => readCost(opt.minimize(loss, true));
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
  const tf = await loadTfjs();
  const version = JSON.parse(readFileSync(join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-cpu/package.json'), 'utf8')).version;
  const peer = `tfjs-cpu ${version}`;
  const dtype: DType = 'float32'; // like for like: tfjs's CPU backend computes in float32
  const records: BenchRecord[] = [];
  const rng = new Rng(2024);

  const tiny = mlpTinyData(rng);
  records.push(stepsRecord('engine-mlp-tiny', peer, oursMlpTiny(tiny, dtype), tfMlpTiny(tf, tiny)));
  const seq = rnnData(rng);
  records.push(stepsRecord('engine-rnn', peer, oursRnn(seq, dtype), tfRnn(tf, seq)));
  const mnist = mlp784Data(rng);
  records.push(stepsRecord('engine-mlp-784', peer, oursMlp784(mnist, dtype), tfMlp784(tf, mnist)));

  records.push(matmulRecord());
  return records;
}

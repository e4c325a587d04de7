// The Gradient Lab's presets, one training step of the clipped run (zero_grad, forward, backward,
// clip_grad_norm_, step) per iteration: our engine as the Lab runs it (the Lab's own interpreter,
// float64, with every per-step measurement the table records) against TensorFlow.js doing the
// same step (same weights, same batches in the same order, global-norm clipping, SGD) in float32
// on its CPU backend and on its WebAssembly SIMD backend, in the same run.
import type { Experiment } from '../webview/lab/experiment';
import { LabRun } from '../webview/lab/interpreter';
import { buildModel, generateData, type Batch } from '../webview/lab/model';
import { PRESETS } from '../webview/lab/presets';
import { stepsRecord } from './contest';
import type { BenchRecord } from './record';
import { tfDense, type Tf, type Tfjs, type TfScalar, type TfTensor, type TfVariable } from './tfjs';

/** The clipped run of a preset, for as many steps as the benchmark wants. */
function labStep(experiment: Experiment): () => number {
  const endless = { ...experiment, steps: Number.MAX_SAFE_INTEGER };
  const run = new LabRun(endless, 'b', generateData(experiment.data, experiment.model, experiment.seed));
  return () => run.advance()!.loss;
}

interface Dense {
  w: TfVariable;
  b: TfVariable;
}

/** The preset's model in tfjs ops, from the Lab's initial weights: a function from x to the prediction. */
function tfModel(tf: Tf, experiment: Experiment): { variables: TfVariable[]; predict: (x: TfTensor) => TfTensor } {
  const model = buildModel(experiment.model, experiment.seed);
  const spec = experiment.model;
  const dense = (w: number, b: number): Dense => tfDense(tf, model.parameters[w], model.parameters[b]);
  const apply = (d: Dense, x: TfTensor) => tf.add(tf.matMul(x, d.w), d.b);
  if (spec.preset === 'linear') {
    const d = dense(0, 1);
    return { variables: [d.w, d.b], predict: (x) => apply(d, x) };
  }
  if (spec.preset === 'mlp') {
    const layers = Array.from({ length: spec.depth + 1 }, (_, i) => dense(2 * i, 2 * i + 1));
    const act = spec.activation === 'tanh' ? tf.tanh : tf.relu;
    return {
      variables: layers.flatMap((d) => [d.w, d.b]),
      predict: (x) => layers.reduce((h, d, i) => (i < spec.depth ? act(apply(d, h)) : apply(d, h)), x),
    };
  }
  // RNN parameters: weight_ih, weight_hh, bias_ih, bias_hh, then the head's weight and bias.
  const input = dense(0, 2);
  const recurrent = dense(1, 3);
  const head = dense(4, 5);
  const batch = experiment.data.generator === 'docs-example' ? 1 : experiment.data.batchSize;
  const h0 = tf.zeros([batch, spec.hidden]);
  return {
    variables: [input.w, recurrent.w, input.b, recurrent.b, head.w, head.b],
    predict: (x) => {
      let h: TfTensor = h0;
      for (const xt of tf.unstack(x)) h = tf.tanh(tf.add(apply(input, xt), apply(recurrent, h)));
      return apply(head, h);
    },
  };
}

/** One clipped SGD step in tfjs: clip_grad_norm_'s coefficient min(1, max_norm / (‖g‖ + 1e-6)), computed on the backend. */
function tfStep(tf: Tf, experiment: Experiment, batches: Batch[]): () => number {
  const { variables, predict } = tfModel(tf, experiment);
  const data = batches.map((b) => ({ x: tf.tensor(Float32Array.from(b.x.data), b.x.shape.slice()), y: tf.tensor(Float32Array.from(b.y.data), b.y.shape.slice()) }));
  const lr = experiment.optimizer.lr;
  const maxNorm = experiment.clip.threshold;
  let i = 0;
  return () => {
    const { x, y } = data[i++ % data.length];
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(predict(x), y))) as TfScalar, variables);
      const list = variables.map((v) => grads[v.name]);
      const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
      const coef = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
      variables.forEach((v, j) => v.assign(tf.sub(v, tf.mul(list[j], tf.mul(coef, lr)))));
      return tf.keep(value);
    });
    const v = loss.dataSync()[0];
    loss.dispose();
    return v;
  };
}

export async function labRecords(tfjs: Tfjs): Promise<BenchRecord[]> {
  const { tf } = tfjs;
  const records: BenchRecord[] = [];
  for (const preset of PRESETS) {
    const e = preset.experiment;
    if (e.optimizer.kind !== 'sgd' || e.optimizer.momentum !== 0 || e.clip.mode !== 'norm' || e.clip.normType !== 2) {
      throw new Error(`${preset.id}: the tfjs step implements plain SGD with clip_grad_norm_ (L2) only`);
    }
    const batches = generateData(e.data, e.model, e.seed);
    for (const [backend, peerName] of [
      ['cpu', tfjs.cpuName],
      ['wasm', tfjs.wasmName],
    ] as const) {
      await tf.setBackend(backend);
      const ours = labStep(e);
      const peer = tfStep(tf, e, batches);
      // Same model, weights and batch: the first losses agree (float64 against float32).
      const [a, b] = [ours(), peer()];
      if (!(Math.abs(a - b) <= 1e-4 * Math.abs(a) + 1e-6)) throw new Error(`${preset.id}: first loss ${a} vs ${peerName} ${b}`);
      records.push(stepsRecord(`engine-lab-${preset.id}-vs-tfjs-${backend}`, peerName, ours, peer));
    }
  }
  await tf.setBackend('cpu');
  return records;
}

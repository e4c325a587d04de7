// Train a small TensorFlow.js regression model with clipped gradients. The gradients are clipped
// into a copy, but applyGradients is handed the original map, so the clip changes nothing the
// update uses: `clipwise check` reports CLP002 and offers to pass `clipped` to the step.
import * as tf from '@tensorflow/tfjs';

const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 32, activation: 'relu' }), tf.layers.dense({ units: 1 })] });
const optimizer = tf.train.adam(0.01);
const xs = tf.randomNormal([256, 4]);
const ys = xs.sum(1, true).mul(3);

for (let epoch = 0; epoch < 100; epoch++) {
  const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(ys, model.predict(xs)));
  const clipped = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.clipByValue(g, -1, 1)]));
  optimizer.applyGradients(grads);
  if (epoch % 10 === 0) console.log(`epoch ${epoch}: loss ${value.dataSync()[0].toFixed(4)}`);
  tf.dispose([value, grads, clipped]);
}

// Fit a small MLP with Clipwise's own engine. The clip runs after optimizer.step(), so it never
// affects an update: `clipwise check` reports CLP002 and offers to move it before the step.
import { Linear, ReLU, SGD, Sequential, clipGradNorm_, mseLoss, randn } from '../engine';

const model = new Sequential(new Linear(4, 32), new ReLU(), new Linear(32, 1));
const optimizer = new SGD(model.parameters(), { lr: 0.05 });

for (let epoch = 0; epoch < 100; epoch++) {
  const x = randn([64, 4]);
  const y = randn([64, 1]);
  optimizer.zeroGrad();
  const loss = mseLoss(model.forward(x), y);
  loss.backward();
  optimizer.step();
  clipGradNorm_(model.parameters(), 1.0);
  if (epoch % 10 === 0) console.log(`epoch ${epoch}: loss ${loss.item().toFixed(4)}`);
}

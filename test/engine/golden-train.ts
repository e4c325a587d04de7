// train.json: whole training trajectories (MLP, tanh RNN with four clipping variants, Linear(2,1)).
import {
  clipGradNorm_,
  clipGradValue_,
  getTotalNorm,
  Linear,
  mseLoss,
  noGrad,
  RNN,
  Sequential,
  SGD,
  Tanh,
  type DType,
  type Tensor,
} from '../../engine';
import { compareScalar, compareValues, decodeAll, loadGolden, toTensor, type GoldenNumber, type GoldenTensor, type Tolerance } from './golden';
import type { CaseResult } from './golden-runner';

interface TrainStep {
  step: number;
  loss: GoldenNumber;
  grad_norm_before_clip: GoldenNumber;
  grad_norm_after_clip: GoldenNumber;
  grad_norm_per_param_after_clip: Record<string, GoldenNumber>;
  params_after: Record<string, GoldenTensor>;
  grads_before_clip?: Record<string, GoldenTensor>;
  grads_after_clip?: Record<string, GoldenTensor>;
}

export interface TrainCase {
  name: string;
  dtype: DType;
  model: { type: 'mlp' | 'rnn_tanh' | 'linear'; sizes?: number[]; input_size?: number; hidden_size?: number; in?: number; out?: number };
  param_order: string[];
  initial_params: Record<string, GoldenTensor>;
  data: { x: GoldenTensor; y: GoldenTensor };
  optimizer: { type: 'SGD'; lr: number; momentum: number };
  steps: number;
  clip: null | { fn: 'clip_grad_norm_' | 'clip_grad_value_'; max_norm?: number; clip_value?: number; norm_type?: number; placement: string };
  per_step: TrainStep[];
  final_params: Record<string, GoldenTensor>;
  final_loss: GoldenNumber;
  sensitivity?: { reliable_steps: number };
  suggested_rtol: number;
}

/** What our run produced at one step. */
export interface OurStep {
  loss: number;
  gradNormBefore: number;
  gradNormAfter: number;
  perParamAfter: number[];
  params: Float64Array[];
  gradsBefore: Float64Array[];
  gradsAfter: Float64Array[];
}

interface Model {
  params: Tensor[];
  forward: (x: Tensor) => Tensor;
}

/** Builds the case's model from engine modules and loads the golden initial weights into it. */
function buildModel(c: TrainCase): Model {
  const dtype = c.dtype;
  let named: Record<string, Tensor>;
  let forward: (x: Tensor) => Tensor;
  if (c.model.type === 'mlp') {
    const [nIn, nHidden, nOut] = c.model.sizes!;
    const l1 = new Linear(nIn, nHidden, { dtype });
    const l2 = new Linear(nHidden, nOut, { dtype });
    const net = new Sequential(l1, new Tanh(), l2);
    named = { 'l1.weight': l1.weight, 'l1.bias': l1.bias!, 'l2.weight': l2.weight, 'l2.bias': l2.bias! };
    forward = (x) => net.forward(x);
  } else if (c.model.type === 'rnn_tanh') {
    const rnn = new RNN(c.model.input_size!, c.model.hidden_size!, { dtype });
    const out = new Linear(c.model.hidden_size!, 1, { dtype });
    named = {
      'rnn.weight_ih': rnn.weightIh,
      'rnn.weight_hh': rnn.weightHh,
      'rnn.bias_ih': rnn.biasIh!,
      'rnn.bias_hh': rnn.biasHh!,
      'out.weight': out.weight,
      'out.bias': out.bias!,
    };
    forward = (x) => out.forward(rnn.forward(x).hidden);
  } else {
    const layer = new Linear(c.model.in!, c.model.out!, { dtype });
    named = { weight: layer.weight, bias: layer.bias! };
    forward = (x) => layer.forward(x);
  }
  const params = c.param_order.map((name) => {
    const p = named[name];
    const init = decodeAll(c.initial_params[name].data);
    if (p.size !== init.length) throw new Error(`initial ${name} has ${init.length} values for ${p.size}`);
    p.data.set(init);
    return p;
  });
  return { params, forward };
}

const copy = (a: ArrayLike<number>) => Float64Array.from(a);

/** Runs the case's procedure with the engine: zeroGrad, forward, MSE, backward, clip/step in the stated order. */
export function runTrajectory(c: TrainCase): { steps: OurStep[]; finalLoss: number; params: Tensor[] } {
  const { params, forward } = buildModel(c);
  const x = toTensor(c.data.x);
  const y = toTensor(c.data.y);
  const optimizer = new SGD(params, { lr: c.optimizer.lr, momentum: c.optimizer.momentum });
  const grads = () => params.map((p) => p.grad!);
  const steps: OurStep[] = [];
  for (let s = 0; s < c.steps; s++) {
    optimizer.zeroGrad();
    const loss = mseLoss(forward(x), y);
    loss.backward();
    const gradsBefore = grads().map((g) => copy(g.data));
    const gradNormBefore = getTotalNorm(grads()).item();
    const clip = c.clip;
    if (clip === null) {
      optimizer.step();
    } else if (clip.fn === 'clip_grad_value_') {
      clipGradValue_(params, clip.clip_value!);
      optimizer.step();
    } else if (clip.placement === 'after_step') {
      optimizer.step();
      clipGradNorm_(params, clip.max_norm!, { normType: clip.norm_type ?? 2 });
    } else {
      clipGradNorm_(params, clip.max_norm!, { normType: clip.norm_type ?? 2 });
      optimizer.step();
    }
    steps.push({
      loss: loss.item(),
      gradNormBefore,
      gradNormAfter: getTotalNorm(grads()).item(),
      perParamAfter: grads().map((g) => getTotalNorm(g).item()),
      params: params.map((p) => copy(p.data)),
      gradsBefore,
      gradsAfter: grads().map((g) => copy(g.data)),
    });
  }
  const finalLoss = noGrad(() => mseLoss(forward(x), y).item());
  return { steps, finalLoss, params };
}

function compareStep(c: TrainCase, ours: OurStep, golden: TrainStep, tol: Tolerance): string[] {
  const failures: string[] = [];
  const at = `step ${golden.step}`;
  const check = (what: string, error: string | null) => error && failures.push(`${at} ${what}: ${error}`);
  check('loss', compareScalar(ours.loss, golden.loss, tol));
  check('grad_norm_before_clip', compareScalar(ours.gradNormBefore, golden.grad_norm_before_clip, tol));
  check('grad_norm_after_clip', compareScalar(ours.gradNormAfter, golden.grad_norm_after_clip, tol));
  c.param_order.forEach((name, i) => {
    check(`norm ${name}`, compareScalar(ours.perParamAfter[i], golden.grad_norm_per_param_after_clip[name], tol));
    check(`param ${name}`, compareValues(ours.params[i], decodeAll(golden.params_after[name].data), tol));
    if (golden.grads_before_clip) check(`grad before ${name}`, compareValues(ours.gradsBefore[i], decodeAll(golden.grads_before_clip[name].data), tol));
    if (golden.grads_after_clip) check(`grad after ${name}`, compareValues(ours.gradsAfter[i], decodeAll(golden.grads_after_clip[name].data), tol));
  });
  return failures;
}

/** Properties every step must have whatever the chaos: what clipping does to the norm. */
function checkInvariants(c: TrainCase, steps: OurStep[]): string[] {
  const failures: string[] = [];
  steps.forEach((s, k) => {
    const at = `step ${k + 1} invariant`;
    const pre = s.gradNormBefore;
    if (c.clip === null) {
      if (!Object.is(s.gradNormAfter, pre)) failures.push(`${at}: no clip but norm changed ${pre} -> ${s.gradNormAfter}`);
    } else if (c.clip.fn === 'clip_grad_norm_' && c.clip.placement !== 'after_step') {
      const maxNorm = c.clip.max_norm!;
      const want = Math.min(pre, (pre * maxNorm) / (pre + 1e-6));
      const rtol = c.dtype === 'float32' ? 1e-6 : 1e-9; // float32 rounds max_norm, 1e-6 and the coefficient
      if (Number.isFinite(pre) && !(Math.abs(s.gradNormAfter - want) <= rtol * want + 1e-12)) {
        failures.push(`${at}: after-clip norm ${s.gradNormAfter}, expected min(pre, pre·max/(pre+1e-6)) = ${want}`);
      }
    } else if (c.clip.fn === 'clip_grad_value_') {
      const v = c.clip.clip_value!;
      if (s.gradsAfter.some((g) => g.some((e) => Math.abs(e) > v))) failures.push(`${at}: a gradient exceeds ±${v} after clip_grad_value_`);
    }
  });
  return failures;
}

/** The wrong placement (clip after step) must leave the trajectory exactly equal to no clipping. */
function sameTrajectory(a: OurStep[], b: OurStep[]): string | null {
  for (let k = 0; k < a.length; k++) {
    if (!Object.is(a[k].loss, b[k].loss)) return `step ${k + 1}: loss ${a[k].loss} != ${b[k].loss}`;
    if (!Object.is(a[k].gradNormBefore, b[k].gradNormBefore)) return `step ${k + 1}: grad norm differs`;
    for (let i = 0; i < a[k].params.length; i++) {
      if (a[k].params[i].some((v, j) => !Object.is(v, b[k].params[i][j]))) return `step ${k + 1}: params differ`;
    }
  }
  return null;
}

export function runTrain(): CaseResult[] {
  const file = loadGolden<TrainCase>('train');
  const runs = new Map<string, OurStep[]>();
  const results: CaseResult[] = [];
  for (const c of file.cases) {
    try {
      const { steps, finalLoss } = runTrajectory(c);
      runs.set(c.name, steps);
      const tol: Tolerance = { rtol: c.suggested_rtol, atol: c.dtype === 'float32' ? 1e-6 : 1e-12 };
      const reliable = c.sensitivity?.reliable_steps ?? c.steps;
      const failures: string[] = [];
      for (let k = 0; k < reliable; k++) failures.push(...compareStep(c, steps[k], c.per_step[k], tol));
      if (reliable >= c.steps) {
        c.param_order.forEach((name, i) => {
          const error = compareValues(steps[c.steps - 1].params[i], decodeAll(c.final_params[name].data), tol);
          if (error) failures.push(`final ${name}: ${error}`);
        });
        const error = compareScalar(finalLoss, c.final_loss, tol);
        if (error) failures.push(`final_loss: ${error}`);
      }
      failures.push(...checkInvariants(c, steps));
      if (c.name.endsWith('_clip_norm_1_after_step')) {
        const twin = runs.get(c.name.replace('_clip_norm_1_after_step', '_no_clip'));
        if (twin === undefined) failures.push('no _no_clip twin ran before this case');
        else {
          const error = sameTrajectory(steps, twin);
          if (error) failures.push(`clip-after-step trajectory differs from no-clip: ${error}`);
        }
      }
      results.push({ file: 'train', name: c.name, failures });
    } catch (error) {
      results.push({ file: 'train', name: c.name, failures: [`threw ${(error as Error).stack}`] });
    }
  }
  return results;
}

// optim.json: five steps of SGD / Adam / AdamW / RMSprop on given gradients; params and final state.
import { Adam, AdamW, RMSprop, SGD, Tensor, type AdamState, type FloatArray, type RMSpropState, type SGDState } from '../../engine';
import { compareTensor, compareValues, decodeAll, loadGolden, toTensor, toleranceFor, type GoldenTensor } from './golden';
import type { CaseResult } from './golden-runner';

interface OptimCase {
  name: string;
  dtype: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop';
  hyperparams: Record<string, number | boolean | number[]>;
  params: GoldenTensor[];
  grads: (GoldenTensor | null)[][];
  expected_params: GoldenTensor[][];
  expected_state_final: Record<string, GoldenTensor | number | null>[];
}

type AnyOptimizer = SGD | Adam | AdamW | RMSprop;

function build(c: OptimCase, params: Tensor[]): AnyOptimizer {
  const h = c.hyperparams;
  const n = (k: string) => h[k] as number;
  const b = (k: string) => h[k] as boolean;
  switch (c.optimizer) {
    case 'SGD':
      return new SGD(params, {
        lr: n('lr'),
        momentum: n('momentum'),
        dampening: n('dampening'),
        nesterov: b('nesterov'),
        weightDecay: n('weight_decay'),
        maximize: b('maximize'),
      });
    case 'Adam':
    case 'AdamW': {
      const options = {
        lr: n('lr'),
        betas: h.betas as [number, number],
        eps: n('eps'),
        weightDecay: n('weight_decay'),
        amsgrad: b('amsgrad'),
        maximize: b('maximize'),
      };
      return c.optimizer === 'Adam' ? new Adam(params, options) : new AdamW(params, options);
    }
    case 'RMSprop':
      return new RMSprop(params, {
        lr: n('lr'),
        alpha: n('alpha'),
        eps: n('eps'),
        weightDecay: n('weight_decay'),
        momentum: n('momentum'),
        centered: b('centered'),
      });
  }
}

/** Our state for one parameter, under PyTorch's state-dict names. */
function stateView(optimizer: AnyOptimizer, p: Tensor): Record<string, FloatArray | number | null> {
  if (optimizer instanceof SGD) {
    const s = optimizer.state.get(p) as SGDState | undefined;
    return { momentum_buffer: s?.momentumBuffer ?? null };
  }
  if (optimizer instanceof RMSprop) {
    const s = optimizer.state.get(p) as RMSpropState;
    return { step: s.step, square_avg: s.squareAvg, momentum_buffer: s.momentumBuffer, grad_avg: s.gradAvg };
  }
  const s = optimizer.state.get(p) as AdamState;
  return { step: s.step, exp_avg: s.expAvg, exp_avg_sq: s.expAvgSq, max_exp_avg_sq: s.maxExpAvgSq };
}

function runCase(c: OptimCase): string[] {
  const failures: string[] = [];
  const tol = toleranceFor(c.dtype);
  const params = c.params.map((p) => toTensor(p, true));
  const optimizer = build(c, params);
  c.grads.forEach((stepGrads, k) => {
    stepGrads.forEach((g, i) => {
      params[i].grad = g === null ? null : toTensor(g);
    });
    optimizer.step();
    c.expected_params[k].forEach((expected, i) => {
      const error = compareTensor(params[i], expected, tol);
      if (error) failures.push(`step ${k + 1} param ${i}: ${error}`);
    });
  });
  c.expected_state_final.forEach((expected, i) => {
    const ours = stateView(optimizer, params[i]);
    for (const [key, value] of Object.entries(expected)) {
      const got = ours[key];
      if (value === null) {
        if (got !== null && got !== undefined) failures.push(`state ${i}.${key} should be absent`);
      } else if (typeof value === 'number') {
        if (got !== value) failures.push(`state ${i}.${key}: got ${String(got)}, expected ${value}`);
      } else if (got === null || got === undefined || typeof got === 'number') {
        failures.push(`state ${i}.${key} is missing`);
      } else {
        const error = compareValues(got, decodeAll(value.data), tol);
        if (error) failures.push(`state ${i}.${key}: ${error}`);
      }
    }
  });
  return failures;
}

export function runOptim(): CaseResult[] {
  return loadGolden<OptimCase>('optim').cases.map((c) => {
    try {
      return { file: 'optim', name: c.name, failures: runCase(c) };
    } catch (error) {
      return { file: 'optim', name: c.name, failures: [`threw ${(error as Error).message}`] };
    }
  });
}

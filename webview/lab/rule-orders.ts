// Each ordering rule (CLP001–CLP005) as an experiment: run A makes the mistake, run B is the same
// loop fixed. The panel can show any of them; the tests check that each mistake has its effect.
import { DEFAULT_SCALER, type CallSpec, type Experiment } from './experiment';
import { presetExperiment } from './presets';

export type OrderingRule = 'CLP001' | 'CLP002' | 'CLP003' | 'CLP004' | 'CLP005';

export const ORDERING_RULES: readonly OrderingRule[] = ['CLP001', 'CLP002', 'CLP003', 'CLP004', 'CLP005'];

interface RuleOrder {
  /** What goes wrong, in a few words. */
  effect: string;
  buggy: CallSpec[];
  fixed: CallSpec[];
  accumulation: number;
  scaler: boolean;
}

const c = (call: CallSpec['call'], windowEnd = false): CallSpec => (windowEnd ? { call, windowEnd } : { call });

const FIXED: CallSpec[] = [c('zero_grad'), c('forward'), c('backward'), c('clip'), c('step')];

export const RULE_ORDERS: Record<OrderingRule, RuleOrder> = {
  CLP001: {
    effect: 'clip before backward: the step applies gradients the clip never saw',
    buggy: [c('zero_grad'), c('forward'), c('clip'), c('backward'), c('step')],
    fixed: FIXED,
    accumulation: 1,
    scaler: false,
  },
  CLP002: {
    effect: 'clip after step: too late, the update already used the unclipped gradients',
    buggy: [c('zero_grad'), c('forward'), c('backward'), c('step'), c('clip')],
    fixed: FIXED,
    accumulation: 1,
    scaler: false,
  },
  CLP003: {
    effect: 'clip before unscale_: max_norm is compared with gradients × the loss scale, which crushes them',
    buggy: [c('zero_grad'), c('forward'), c('backward'), c('clip'), c('step')],
    fixed: [c('zero_grad'), c('forward'), c('backward'), c('unscale'), c('clip'), c('step')],
    accumulation: 1,
    scaler: true,
  },
  CLP004: {
    effect: 'clip on every micro-batch: partial sums are clipped, not the gradient the step applies',
    buggy: [c('forward'), c('backward'), c('clip'), c('step', true), c('zero_grad', true)],
    fixed: [c('forward'), c('backward'), c('clip', true), c('step', true), c('zero_grad', true)],
    accumulation: 4,
    scaler: false,
  },
  CLP005: {
    effect: 'zero_grad between backward and step: the clip and the step see zeros',
    buggy: [c('forward'), c('backward'), c('zero_grad'), c('clip'), c('step')],
    fixed: FIXED,
    accumulation: 1,
    scaler: false,
  },
};

/** The rule's mistake (A) beside its fix (B), on the exploding RNN's model, data and settings. */
export function ruleExperiment(rule: OrderingRule, steps = 100): Experiment {
  const order = RULE_ORDERS[rule];
  const base = presetExperiment('exploding-rnn');
  return {
    ...base,
    title: `${rule}: ${order.effect}`,
    scaler: order.scaler ? { ...DEFAULT_SCALER } : null,
    accumulation: order.accumulation,
    steps,
    a: { label: `${rule} order`, calls: order.buggy },
    b: { label: 'fixed order', calls: order.fixed },
  };
}

import type { Rule } from './rule';
import type { ThresholdArgument } from '../model/events';
import { clipCalls } from './clip-calls';

export const badClipThreshold: Rule = {
  code: 'CLP007',
  name: 'bad-clip-threshold',
  severity: 'error',
  summary: 'A clip threshold that cannot be meant: max_norm or clip_value ≤ 0 zeroes or flips every gradient; a norm_type that is not a number raises.',
  check({ unit }) {
    const drafts = [];
    for (const { event, clip } of clipCalls(unit)) {
      // Only where the threshold's meaning is known (torch's clip, and frameworks that pass it on):
      // elsewhere a value ≤ 0 may mean "do not clip".
      for (const threshold of clip.thresholds) {
        if (!clip.api.thresholdMeaningKnown && threshold.parameter !== 'norm_type') continue;
        const message = explain(threshold);
        if (message) drafts.push({ anchor: event, range: event.site.range, statementRange: event.site.statementRange, message, related: [{ range: threshold.range, message: `${threshold.parameter} = ${threshold.text}` }] });
      }
    }
    return drafts;
  },
};

function explain(threshold: ThresholdArgument): string | undefined {
  const { parameter, value, text } = threshold;
  if (parameter === 'norm_type') {
    return threshold.invalid ? `norm_type=${text} is not a number: clip_grad_norm_ calls float(norm_type) and raises. Use 2.0, 1.0 or float('inf').` : undefined;
  }
  if (value === undefined || Number.isNaN(value) || value > 0) return undefined;
  if (parameter === 'max_norm') {
    if (value === 0) return `max_norm=${text} scales every gradient to zero (clip_coef = 0 / (total_norm + 1e-6)): SGD stops learning, and Adam-style optimizers move only by momentum and weight decay. Use a positive max_norm, or remove the clip.`;
    return `max_norm=${text} is negative: clip_coef = max_norm / (total_norm + 1e-6) is negative, so every gradient flips sign and the step climbs the loss. Use a positive max_norm.`;
  }
  if (value === 0) return `clip_value=${text} clamps every gradient to 0: SGD stops learning, and Adam-style optimizers move only by momentum and weight decay. Use a positive clip_value.`;
  return `clip_value=${text} is negative: clamp(min=${-value}, max=${value}) has min > max, so every gradient becomes ${value}. Use a positive clip_value.`;
}

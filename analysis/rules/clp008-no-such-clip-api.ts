import type { Rule } from './rule';
import { clipCalls } from './clip-calls';

export const noSuchClipApi: Rule = {
  code: 'CLP008',
  name: 'no-such-clip-api',
  severity: 'error',
  summary: 'A call to a clipping function that does not exist: it raises AttributeError (or TypeError) when the line runs.',
  check({ unit }) {
    return clipCalls(unit)
      .filter(({ clip }) => clip.kind === 'missing')
      .map(({ event, clip }) => {
        const onOptimizer = clip.resolved.startsWith('torch.optim.Optimizer.');
        const message = onOptimizer
          ? `torch.optim optimizers have no \`${clip.callee.split('.').pop()}\` method: this line raises AttributeError. Clip the model's parameters with \`torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)\`.`
          : clip.resolved === 'torch.nn.utils.clip_grad'
            ? '`torch.nn.utils.clip_grad` is a module, not a function: calling it raises TypeError. Use `torch.nn.utils.clip_grad_norm_(parameters, max_norm)`.'
            : `\`${clip.resolved}\` does not exist: this line raises AttributeError. Use \`torch.nn.utils.clip_grad_norm_(parameters, max_norm)\` (or \`clip_grad_value_\`).`;
        return {
          anchor: event,
          range: event.site.range,
          statementRange: event.site.statementRange,
          message,
          related: [],
          fix: clip.replacement && { title: 'Replace with `torch.nn.utils.clip_grad_norm_`', edits: clip.replacement, safe: false },
        };
      });
  },
};

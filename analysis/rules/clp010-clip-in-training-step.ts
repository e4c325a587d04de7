import type { Rule } from './rule';
import { clipCalls } from './clip-calls';

export const clipInTrainingStep: Rule = {
  code: 'CLP010',
  name: 'clip-in-training-step',
  severity: 'error',
  summary: 'Under automatic optimization Lightning runs backward after training_step returns: a clip inside training_step sees no fresh gradients and does nothing.',
  check({ unit }) {
    if (!unit.facts.lightningAutomaticTrainingStep) return [];
    return clipCalls(unit)
      .filter(({ clip }) => clip.kind !== 'missing' && !clip.measuresOnly)
      .map(({ event }) => ({
        anchor: event,
        range: event.site.range,
        statementRange: event.site.statementRange,
        message:
          'This clip runs inside `training_step`, before Lightning calls backward() on the returned loss: it scales whatever gradients are left from the previous batch, and the gradients this step applies are never clipped. Use `Trainer(gradient_clip_val=…)` or override `configure_gradient_clipping`.',
        related: [],
      }));
  },
};

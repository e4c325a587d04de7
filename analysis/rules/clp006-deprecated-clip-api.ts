import type { Rule } from './rule';
import { clipCalls } from './clip-calls';

export const deprecatedClipApi: Rule = {
  code: 'CLP006',
  name: 'deprecated-clip-api',
  severity: 'warning',
  summary: 'torch.nn.utils.clip_grad_norm (no trailing underscore) is deprecated since PyTorch 0.4 and warns on every call; use clip_grad_norm_.',
  check({ unit }) {
    return clipCalls(unit)
      .filter(({ clip }) => clip.resolved === 'torch.nn.utils.clip_grad_norm')
      .map(({ event, clip }) => ({
        anchor: event,
        range: clip.calleeRange,
        statementRange: event.site.statementRange,
        message: '`clip_grad_norm` is deprecated in favour of `clip_grad_norm_` (same arguments, same result; the trailing underscore marks it as in-place). Rename it to `clip_grad_norm_`.',
        related: [],
        fix: clip.deprecatedRename && { title: 'Rename to `clip_grad_norm_`', edits: clip.deprecatedRename, safe: true },
      }));
  },
};

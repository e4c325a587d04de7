import type { FindingDraft, Rule } from './rule';
import { clipCalls } from './clip-calls';

export const deprecatedClipApi: Rule = {
  code: 'CLP006',
  name: 'deprecated-clip-api',
  severity: 'warning',
  summary: 'torch.nn.utils.clip_grad_norm (no trailing underscore) is deprecated since PyTorch 0.4 and warns on every call; use clip_grad_norm_.',
  check({ unit }) {
    const drafts: FindingDraft[] = [];
    for (const { event, clip } of clipCalls(unit)) {
      const { deprecated } = clip;
      if (!deprecated) continue;
      drafts.push({
        anchor: event,
        range: clip.calleeRange,
        statementRange: event.site.statementRange,
        message: `\`${clip.api.name}\` is deprecated in favour of \`${deprecated.current}\` (${deprecated.note}). Rename it to \`${deprecated.current}\`.`,
        related: [],
        fix: deprecated.rename && { title: `Rename to \`${deprecated.current}\``, edits: deprecated.rename, safe: true },
      });
    }
    return drafts;
  },
};

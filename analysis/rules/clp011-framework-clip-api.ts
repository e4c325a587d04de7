import type { Rule, FindingDraft } from './rule';
import type { Unit } from '../model/graph';
import { clipCalls } from './clip-calls';

export const frameworkClipApi: Rule = {
  code: 'CLP011',
  name: 'framework-clip-api',
  severity: 'warning',
  summary: "Under Accelerate or FSDP1, torch's clip sees gradients that are still scaled or sharded; the framework's own clip unscales or reduces them first.",
  check({ unit }) {
    const drafts: FindingDraft[] = [];
    const accelerator = acceleratorName(unit);
    for (const { event, clip } of clipCalls(unit)) {
      // A library's plain clip utility (not the framework's own, which unscales or reduces first).
      if (!clip.api.plainUtility) continue;
      const fn = clip.api.name;
      const base = { anchor: event, range: event.site.range, statementRange: event.site.statementRange, related: [] };
      // Clamping element by element gives the same result on shards: only norm clipping needs FSDP's own.
      if (clip.parameters?.fsdpModel && clip.api.by === 'norm') {
        const model = clip.parameters.fsdpModel;
        const maxNorm = clip.thresholds.find((t) => t.parameter === 'max_norm');
        const normType = clip.thresholds.find((t) => t.parameter === 'norm_type');
        const args = [maxNorm?.text, normType?.text].filter(Boolean).join(', ');
        drafts.push({
          ...base,
          message: `\`${model}\` is wrapped in FullyShardedDataParallel: \`${fn}\` on its parameters sees only this rank's shards, so the norm is wrong. Use \`${model}.clip_grad_norm_(max_norm)\`, which reduces the norm across ranks.`,
          fix: maxNorm ? { title: `Use \`${model}.clip_grad_norm_(${args})\``, edits: [{ range: event.site.range, newText: `${model}.clip_grad_norm_(${args})` }], safe: false } : undefined,
        });
      } else if (accelerator) {
        drafts.push({
          ...base,
          message: `This code backpropagates with \`${accelerator}.backward\`: use \`${accelerator}.${fn}\`, which unscales mixed-precision gradients and handles DeepSpeed/FSDP before clipping; torch's \`${fn}\` may clip scaled or sharded gradients.`,
          fix: { title: `Use \`${accelerator}.${fn}\``, edits: [{ range: clip.calleeRange, newText: `${accelerator}.${fn}` }], safe: true },
        });
      }
    }
    return drafts;
  },
};

function acceleratorName(unit: Unit): string | undefined {
  for (const node of unit.graph.nodes) for (const event of node.events) if (event.kind === 'backward' && event.accelerator) return event.accelerator;
  return undefined;
}

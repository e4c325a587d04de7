import type { Rule, FindingDraft } from './rule';
import { clipCalls } from './clip-calls';
import { lineLabel } from './source';

export const clipWrongArguments: Rule = {
  code: 'CLP009',
  name: 'clip-wrong-arguments',
  severity: 'error',
  summary: 'The clip is called with arguments that make it fail or clip nothing: a module instead of its parameters, the other function\'s keyword, or a parameters iterator already used up.',
  check({ unit }) {
    const drafts: FindingDraft[] = [];
    for (const { event, clip } of clipCalls(unit)) {
      const base = { anchor: event, range: event.site.range, statementRange: event.site.statementRange };
      const params = clip.parameters;
      if (params?.kind === 'module' && clip.kind !== 'missing') {
        const end = params.range.end;
        drafts.push({
          ...base,
          message: `\`${params.text}\` is a module, not its parameters: clipping iterates its argument, which fails for a module (or walks its submodules). Pass \`${params.text}.parameters()\`.`,
          related: [{ range: params.range, message: 'a module' }],
          fix: { title: `Pass \`${params.text}.parameters()\``, edits: [{ range: { start: end, end }, newText: '.parameters()' }], safe: true },
        });
      }
      if (params?.kind === 'one-shot' && params.oneShot) {
        const { oneShot } = params;
        const why =
          oneShot.consumer === 'optimizer'
            ? `the optimizer${oneShot.consumerRange ? ` (${lineLabel(oneShot.consumerRange)})` : ''} already iterated it`
            : oneShot.consumer === 'loop'
              ? 'the first pass of the loop uses it up'
              : 'an earlier use already iterated it';
        drafts.push({
          ...base,
          message: `\`${params.text}\` is a one-shot iterator (\`${oneShot.bindingText}\`) and ${why}: this clip sees no parameters and clips nothing. Make it a list where it is created.`,
          related: [{ range: oneShot.bindingRange, message: 'a generator/iterator is created here' }, ...(oneShot.consumerRange ? [{ range: oneShot.consumerRange, message: 'this iterates it first' }] : [])],
          fix: { title: `Wrap \`${oneShot.bindingText.length > 40 ? oneShot.bindingText.slice(0, 37) + '…' : oneShot.bindingText}\` in list(…)`, edits: oneShot.makeList, safe: true },
        });
      }
      if (clip.misusedKeyword) {
        const { keyword, intended, rename, range } = clip.misusedKeyword;
        const called = clip.resolved.split('.').pop();
        drafts.push({
          ...base,
          message: `\`${called}\` has no \`${keyword}\` argument: this call raises TypeError. \`${keyword}\` belongs to \`${intended}\`: call \`${intended}\` (or pass \`${keyword === 'max_norm' ? 'clip_value' : 'max_norm'}=\` to \`${called}\`).`,
          related: [{ range, message: `${keyword} is ${intended}'s argument` }],
          fix: rename && { title: `Call \`${intended}\` instead`, edits: rename, safe: true },
        });
      }
    }
    return drafts;
  },
};

import type { Range } from '../api';
import type { ClipDetails, StepEvent } from '../model/events';
import type { Unit } from '../model/graph';
import { guardAssumptions, searchUsesBackward } from '../model/paths';
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
        const consumer = usedUpBefore(unit, event, oneShot);
        if (consumer) {
          const why =
            consumer.kind === 'optimizer'
              ? `the optimizer${consumer.range ? ` (${lineLabel(consumer.range)})` : ''} already iterated it`
              : consumer.kind === 'loop'
                ? 'the first pass of the loop uses it up'
                : consumer.kind === 'every-call'
                  ? `\`${oneShot.createdIn ?? 'another method'}\` makes it once and the first call of this method uses it up, so every later call clips nothing`
                  : 'an earlier use already iterated it';
          drafts.push({
            ...base,
            message: `\`${params.text}\` is a one-shot iterator (\`${oneShot.bindingText}\`) and ${why}: this clip sees no parameters and clips nothing. Make it a list where it is created.`,
            related: [{ range: oneShot.bindingRange, message: 'a generator/iterator is created here' }, ...(consumer.range ? [{ range: consumer.range, message: 'this iterates it first' }] : [])],
            fix: { title: `Wrap \`${oneShot.bindingText.length > 40 ? oneShot.bindingText.slice(0, 37) + '…' : oneShot.bindingText}\` in list(…)`, edits: oneShot.makeList, safe: true },
          });
        }
      }
      if (clip.misusedKeyword) {
        const { keyword, intended, rename, range, ownKeyword } = clip.misusedKeyword;
        const called = clip.api.name;
        drafts.push({
          ...base,
          message: `\`${called}\` has no \`${keyword}\` argument: this call raises TypeError. \`${keyword}\` belongs to \`${intended}\`: call \`${intended}\` (or pass \`${ownKeyword}=\` to \`${called}\`).`,
          related: [{ range, message: `${keyword} is ${intended}'s argument` }],
          fix: rename && { title: `Call \`${intended}\` instead`, edits: rename, safe: true },
        });
      }
    }
    return drafts;
  },
};

type OneShot = NonNullable<NonNullable<ClipDetails['parameters']>['oneShot']>;

/**
 * What uses the clip's one-shot iterable up before it: known from outside the unit (an optimizer
 * built elsewhere, an earlier call of this method), or found on the paths that reach the clip —
 * an optimizer, a `list(…)`, a loop over it, another clip, or this clip on an earlier pass — with
 * no fresh iterable made in between. An exclusive branch is no path.
 */
function usedUpBefore(unit: Unit, clip: StepEvent, oneShot: OneShot): { kind: 'optimizer' | 'earlier-use' | 'loop' | 'every-call'; range?: Range } | undefined {
  if (oneShot.consumer) return { kind: oneShot.consumer, range: oneShot.consumerRange };
  const node = unit.graph.nodes.find((n) => n.events.includes(clip));
  if (!node) return undefined;
  const { hits } = searchUsesBackward(
    unit.graph,
    { node: node.id, assumptions: guardAssumptions(clip) },
    (use) => use.key === oneShot.key && use.kind === 'consume',
    (use) => use.key === oneShot.key && use.kind === 'create',
  );
  // What else used it up says more than "this clip, on an earlier pass".
  const rank = (by: string | undefined) => (by === 'optimizer' ? 0 : by === 'clip' ? 2 : 1);
  const first = hits.map((h) => h.event).sort((a, b) => rank(a.by) - rank(b.by))[0];
  if (!first) return undefined;
  if (first.by === 'clip') return sameRange(first.range, clip.site.range) ? { kind: 'loop' } : { kind: 'earlier-use', range: first.range };
  return { kind: first.by === 'optimizer' ? 'optimizer' : 'earlier-use', range: first.range };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

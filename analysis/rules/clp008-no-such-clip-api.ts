import type { FindingDraft, Rule } from './rule';
import type { ClipDetails, MissingClip } from '../model/events';
import { clipCalls } from './clip-calls';

export const noSuchClipApi: Rule = {
  code: 'CLP008',
  name: 'no-such-clip-api',
  severity: 'error',
  summary: 'A call to a clipping function that does not exist: it raises AttributeError (or TypeError) when the line runs.',
  check({ unit }) {
    const drafts: FindingDraft[] = [];
    for (const { event, clip } of clipCalls(unit)) {
      const { missing } = clip;
      if (clip.kind !== 'missing' || !missing) continue;
      drafts.push({
        anchor: event,
        range: event.site.range,
        statementRange: event.site.statementRange,
        message: explain(clip, missing),
        related: [],
        fix: missing.replacement && { title: `Replace with \`${missing.replacement.api}\``, edits: missing.replacement.edits, safe: false },
      });
    }
    return drafts;
  },
};

function explain(clip: ClipDetails, missing: MissingClip): string {
  const [main, ...others] = missing.use;
  const use = `\`${main}\`${others.map((other) => ` (or \`${other}\`)`).join('')}`;
  switch (missing.why) {
    case 'no-method':
      return `${missing.owner ?? 'These objects'} have no \`${clip.api.name}\` method: this line raises ${missing.raises}. Clip the model's parameters with ${use}.`;
    case 'module':
      return `\`${clip.resolved}\` is a module, not a function: calling it raises ${missing.raises}. Use ${use}.`;
    case 'no-function':
      return `\`${clip.resolved}\` does not exist: this line raises ${missing.raises}. Use ${use}.`;
  }
}

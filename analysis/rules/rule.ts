// What a rule is: a code, a name, a severity, an explanation, and a check that reads one unit's
// step model and returns findings anchored on events. Rules never see a parser's tree.
import type { Fix, Range, RelatedLocation, RuleCode, Severity } from '../api';
import type { StepEvent } from '../model/events';
import type { Unit } from '../model/graph';
import type { SourceLines } from '../text';
import type { OrderingVerdicts } from './ordering';

export interface RuleContext {
  unit: Unit;
  /** Ordering verdicts shared by CLP001–CLP005 (one finding per clip, in precedence order). */
  ordering: OrderingVerdicts;
  source: SourceLines;
}

export interface FindingDraft {
  /** The event the finding is about: its origin identifies it across inlined copies. */
  anchor: StepEvent;
  /** Where the squiggle goes (the call, or the helper call it was inlined through). */
  range: Range;
  statementRange: Range;
  message: string;
  related: RelatedLocation[];
  fix?: Fix;
}

export interface Rule {
  code: RuleCode;
  name: string;
  severity: Severity;
  /** One sentence, shown in hovers and `clipwise rule`. */
  summary: string;
  check(context: RuleContext): FindingDraft[];
}

export const DOCS_BASE = 'https://github.com/clipwise/clipwise/blob/main/docs/rules/';

export function docUrl(code: RuleCode): string {
  return `${DOCS_BASE}${code}.md`;
}

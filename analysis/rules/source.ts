// Small readers over the source text that messages and fixes share.
import type { Range, RelatedLocation } from '../api';
import type { StepEvent } from '../model/events';
import type { SourceLines } from '../text';

export function textOf(source: SourceLines, range: Range): string {
  return source.text.slice(source.offset(range.start), source.offset(range.end));
}

/** A call's text shortened for a message: `optimizer.step()`, `model(…).backward()`, `clip_grad_norm_(…)`. */
export function callLabel(source: SourceLines, range: Range): string {
  const text = textOf(source, range).replace(/\s+/g, ' ');
  // Keep the chain of names, collapse every non-empty argument list or subscript to `…`.
  let out = '';
  let depth = 0;
  let collapsed = false;
  for (const c of text) {
    if (c === '(' || c === '[') {
      if (depth === 0) {
        out += c;
        collapsed = false;
      }
      depth++;
    } else if (c === ')' || c === ']') {
      depth--;
      if (depth === 0) out += (collapsed ? '…' : '') + c;
    } else if (depth === 0) out += c;
    else collapsed = true;
  }
  return out;
}

export function lineLabel(range: Range): string {
  return `line ${range.start.line + 1}`;
}

/**
 * The event itself as a related location, where it sits in another file of the project (a helper
 * there runs it): the finding is at the call in this file, and this says what the call does.
 */
export function elsewhere(event: StepEvent, message: string): RelatedLocation[] {
  return event.site.file !== undefined ? [{ file: event.site.file, range: event.site.range, message }] : [];
}

// Small readers over the source text that messages and fixes share.
import type { Range } from '../api';
import type { SourceLines } from '../text';

export function textOf(source: SourceLines, range: Range): string {
  return source.text.slice(source.offset(range.start), source.offset(range.end));
}

/** A call's text shortened for a message: `optimizer.step()`, `clip_grad_norm_(…)`. */
export function callLabel(source: SourceLines, range: Range): string {
  const text = textOf(source, range).replace(/\s+/g, ' ');
  const open = text.indexOf('(');
  if (open < 0) return text;
  const inner = text.slice(open + 1, -1);
  return inner.length ? `${text.slice(0, open)}(…)` : text;
}

export function lineLabel(range: Range): string {
  return `line ${range.start.line + 1}`;
}

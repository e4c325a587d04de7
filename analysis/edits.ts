// Applying text edits to a string: the CLI's --fix, fix verification and tests share this.
import type { TextEdit } from './api';
import { LineMap } from './text';

/**
 * Applies non-overlapping edits (identical duplicates are applied once). Throws on overlap.
 * `lines`: the text's line table, when the caller has one (applying many fixes to one text).
 */
export function applyEdits(text: string, edits: TextEdit[], lines: LineMap = new LineMap(text)): string {
  const seen = new Set<string>();
  const resolved = [];
  for (const edit of edits) {
    const key = JSON.stringify(edit);
    if (seen.has(key)) continue;
    seen.add(key);
    resolved.push({ start: lines.offset(edit.range.start), end: lines.offset(edit.range.end), text: edit.newText });
  }
  resolved.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < resolved.length; i++) {
    if (resolved[i].start < resolved[i - 1].end) throw new Error('overlapping edits');
  }
  // Pieces joined once: linear in the text however many edits there are.
  const parts: string[] = [];
  let at = 0;
  for (const edit of resolved) {
    parts.push(text.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** True when two edit sets touch overlapping text (so they cannot be applied together). */
export function editsOverlap(text: string, a: TextEdit[], b: TextEdit[]): boolean {
  const lines = new LineMap(text);
  const spans = (edits: TextEdit[]) => edits.map((e) => [lines.offset(e.range.start), lines.offset(e.range.end)] as const);
  for (const [s1, e1] of spans(a)) for (const [s2, e2] of spans(b)) if (s1 < e2 && s2 < e1) return true;
  for (const [s1, e1] of spans(a)) for (const [s2, e2] of spans(b)) if ((s1 === s2 && e1 === s1) || (s1 === s2 && e2 === s2)) return true;
  return false;
}

// What "safe" means, decided once where findings are made: a fix the rule marks safe that also
// keeps every piece of code it removes (it may move a statement or rename a callee, never drop
// code). `--fix`, fix-all, fix-on-save, the JSON `fixable` and the docs all read `fix.safe`.
import type { Fix, Position, Range, TextEdit } from './api';

/**
 * Verdicts by fix object: a unit the analyzer reuses on a keystroke hands over the same fix, for
 * the same code (a unit's key is its code and context), so it is not looked at again.
 */
const decided = new WeakMap<Fix, Fix>();

/** The fix as findings carry it: `safe` only when the rule says so and the edits keep the code. */
export function decideSafety(fix: Fix | undefined, text: string): Fix | undefined {
  if (!fix?.safe) return fix;
  let out = decided.get(fix);
  if (!out) {
    out = keepsCode(text, fix.edits) ? fix : { ...fix, safe: false };
    decided.set(fix, out);
  }
  return out;
}

const DOTTED_NAME = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/**
 * True when every non-blank character the edits remove comes back in what they insert, or the
 * edit replaces one dotted name by another (a callee: the call and its arguments stay).
 */
export function keepsCode(text: string, edits: readonly TextEdit[]): boolean {
  const removed = new Map<string, number>();
  const inserted: string[] = [];
  for (const edit of edits) {
    const old = slice(text, edit.range);
    if (old === undefined) return false;
    if (DOTTED_NAME.test(old) && DOTTED_NAME.test(edit.newText)) continue;
    for (const c of old.replace(/\s+/g, '')) removed.set(c, (removed.get(c) ?? 0) + 1);
    inserted.push(edit.newText);
  }
  for (const newText of inserted) for (const c of newText.replace(/\s+/g, '')) if (removed.has(c)) removed.set(c, removed.get(c)! - 1);
  for (const count of removed.values()) if (count > 0) return false;
  return true;
}

/** The text of a range, found by line breaks from the start (no line table for the whole text). */
function slice(text: string, range: Range): string | undefined {
  const start = offsetOf(text, range.start, 0, 0);
  if (start === undefined) return undefined;
  const end = offsetOf(text, range.end, start - range.start.character, range.start.line);
  return end === undefined || end < start ? undefined : text.slice(start, end);
}

/** Offset of a position, scanning from `lineStart`, the offset of line `line` (\n, \r\n or \r end a line). */
function offsetOf(text: string, position: Position, lineStart: number, line: number): number | undefined {
  let at = lineStart;
  let lf = -2;
  let cr = -2;
  for (; line < position.line; line++) {
    if (lf !== -1 && lf < at) lf = text.indexOf('\n', at);
    if (cr !== -1 && cr < at) cr = text.indexOf('\r', at);
    const next = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (next < 0) return undefined;
    at = next === cr && text.charCodeAt(next + 1) === 10 ? next + 2 : next + 1;
  }
  return Math.min(at + position.character, text.length);
}

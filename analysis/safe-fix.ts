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

/**
 * Line starts of the last text looked at, found only as far as a fix needed: one scan per text
 * however many fixes it has (a scan from the start per fix was quadratic on a file of thousands
 * of findings), and no table of the whole file when a keystroke's new fixes sit near its top.
 */
let lines = { text: '', starts: [0], lf: -2, cr: -2 };

function lineStart(text: string, line: number): number | undefined {
  if (lines.text !== text) lines = { text, starts: [0], lf: -2, cr: -2 };
  const { starts } = lines;
  while (starts.length <= line) {
    const at = starts[starts.length - 1];
    // The next \n and \r found are kept: searching again for a character the text lacks would
    // scan to its end once per line.
    if (lines.lf !== -1 && lines.lf < at) lines.lf = text.indexOf('\n', at);
    if (lines.cr !== -1 && lines.cr < at) lines.cr = text.indexOf('\r', at);
    const { lf, cr } = lines;
    const next = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (next < 0) return undefined;
    starts.push(next === cr && text.charCodeAt(next + 1) === 10 ? next + 2 : next + 1);
  }
  return starts[line];
}

/** The text of a range (\n, \r\n or \r end a line). */
function slice(text: string, range: Range): string | undefined {
  const start = offsetOf(text, range.start);
  const end = offsetOf(text, range.end);
  return start === undefined || end === undefined || end < start ? undefined : text.slice(start, end);
}

function offsetOf(text: string, position: Position): number | undefined {
  const at = lineStart(text, position.line);
  return at === undefined ? undefined : Math.min(at + position.character, text.length);
}

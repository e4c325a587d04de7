// What "safe" means, decided once where findings are made: a fix the rule marks safe that also
// keeps every piece of code it removes (it may move a statement or rename a callee, never drop
// code). `--fix`, fix-all, fix-on-save, the JSON `fixable` and the docs all read `fix.safe`.
import type { Fix, TextEdit } from './api';
import { LineMap, type SourceLines } from './text';

/** A text's line table built on first use (most analyses have no safe fix to check). */
export function lazyLines(text: string): () => SourceLines {
  let lines: LineMap | undefined;
  return () => (lines ??= new LineMap(text));
}

/** The fix as findings carry it: `safe` only when the rule says so and the edits keep the code. */
export function decideSafety(fix: Fix | undefined, source: () => SourceLines): Fix | undefined {
  if (!fix?.safe || keepsCode(source(), fix.edits)) return fix;
  return { ...fix, safe: false };
}

const DOTTED_NAME = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/**
 * True when every non-blank character the edits remove comes back in what they insert, or the
 * edit replaces one dotted name by another (a callee: the call and its arguments stay).
 */
export function keepsCode(source: SourceLines, edits: readonly TextEdit[]): boolean {
  const removed = new Map<string, number>();
  const inserted: string[] = [];
  for (const edit of edits) {
    const old = source.text.slice(source.offset(edit.range.start), source.offset(edit.range.end));
    if (DOTTED_NAME.test(old) && DOTTED_NAME.test(edit.newText)) continue;
    for (const c of old.replace(/\s+/g, '')) removed.set(c, (removed.get(c) ?? 0) + 1);
    inserted.push(edit.newText);
  }
  for (const text of inserted) for (const c of text.replace(/\s+/g, '')) if (removed.has(c)) removed.set(c, removed.get(c)! - 1);
  for (const count of removed.values()) if (count > 0) return false;
  return true;
}

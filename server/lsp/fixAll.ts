// Fix-all as edits (not a command), so `editor.codeActionsOnSave` can apply it: the safe fixes
// of the current analysis that verify, do not overlap, and keep every piece of code they remove
// (a fix may move a statement, never drop one). One round per request; saving again picks up
// fixes that only appear after the first ones.
import { type CodeAction, type TextEdit } from 'vscode-languageserver';
import { editsOverlap } from '../../analysis/edits';
import { FIX_ALL_KIND } from '../protocol';
import type { FileView, ViewFinding } from './fileView';

export function fixAllEdits(view: FileView): TextEdit[] {
  const chosen: ViewFinding[] = [];
  const text = view.lines.text;
  const candidates = view.findings.filter((f) => f.fix?.safe && keepsCode(view, f.fix.edits));
  const verdicts = view.verifyFixes(candidates);
  for (const [i, finding] of candidates.entries()) {
    if (!verdicts[i] || chosen.some((c) => editsOverlap(text, c.fix!.edits, finding.fix!.edits))) continue;
    chosen.push(finding);
  }
  return chosen.flatMap((f) => f.fix!.edits);
}

export function fixAllAction(view: FileView): CodeAction | undefined {
  const edits = fixAllEdits(view);
  if (!edits.length) return undefined;
  return { title: 'Fix all Clipwise problems', kind: FIX_ALL_KIND, edit: { changes: { [view.uri]: edits } } };
}

/**
 * True when every non-blank character the edits remove comes back in what they insert, so a fix
 * applied on save can reorder code but never delete it.
 */
export function keepsCode(view: FileView, edits: TextEdit[]): boolean {
  const removed = new Map<string, number>();
  for (const edit of edits) {
    const start = view.lines.offset(edit.range.start);
    const end = view.lines.offset(edit.range.end);
    for (const c of view.lines.text.slice(start, end).replace(/\s+/g, '')) removed.set(c, (removed.get(c) ?? 0) + 1);
  }
  for (const edit of edits) for (const c of edit.newText.replace(/\s+/g, '')) if (removed.has(c)) removed.set(c, removed.get(c)! - 1);
  for (const count of removed.values()) if (count > 0) return false;
  return true;
}

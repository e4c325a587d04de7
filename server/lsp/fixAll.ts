// Fix-all as edits (not a command), so `editor.codeActionsOnSave` can apply it: the safe fixes
// of the current analysis (`fix.safe`, decided in analysis/safe-fix.ts for every path) that
// verify and do not overlap. One round per request; saving again picks up
// fixes that only appear after the first ones.
import { type CodeAction, type TextEdit } from 'vscode-languageserver';
import { editsOverlap } from '../../analysis/edits';
import { FIX_ALL_KIND } from '../protocol';
import type { FileView, ViewFinding } from './fileView';
import { withLineEnding } from '../workspace/line-endings';

export function fixAllEdits(view: FileView): TextEdit[] {
  const chosen: ViewFinding[] = [];
  const text = view.lines.text;
  const candidates = view.findings.filter((f) => f.fix?.safe);
  const verdicts = view.verifyFixes(candidates);
  for (const [i, finding] of candidates.entries()) {
    if (!verdicts[i] || chosen.some((c) => editsOverlap(text, c.fix!.edits, finding.fix!.edits))) continue;
    chosen.push(finding);
  }
  // In the document's own line ending, as `--fix` writes them.
  return withLineEnding(chosen.flatMap((f) => f.fix!.edits), view.eol);
}

export function fixAllAction(view: FileView): CodeAction | undefined {
  const edits = fixAllEdits(view);
  if (!edits.length) return undefined;
  return { title: 'Fix all Clipwise problems', kind: FIX_ALL_KIND, edit: { changes: { [view.uri]: edits } } };
}

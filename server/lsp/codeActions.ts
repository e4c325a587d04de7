// Code actions read what the diagnostics computed: the rule's fix (preferred, offered only when
// it verifies), "Disable CLPxxx for this line", "Add gradient clipping before this step" on an
// optimizer step with none, and fix-all as edits for codeActionsOnSave.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import { FIX_ALL_KIND, SOURCE } from '../protocol';
import { isDiagnosticData } from './diagnostics';
import { overlaps, sameRange, type FileView } from './fileView';
import type { Range } from '../../analysis/api';
import { fixAllAction } from './fixAll';
import { suppressionEdit } from '../../analysis/suppression';
import { withLineEnding } from '../workspace/line-endings';

export const ADD_CLIP_KIND = `${CodeActionKind.QuickFix}.clipwise.addClip`;

export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, FIX_ALL_KIND];

export function codeActions(view: FileView, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics) actions.push(...diagnosticActions(view, diagnostic));
    actions.push(...addClipActions(view, params));
  }
  // Fix-all verifies every safe fix of the file: only when a client asks for it by kind
  // (codeActionsOnSave, "Fix All"), never for the lightbulb's request without `only`.
  if (only && wants(FIX_ALL_KIND)) {
    const fixAll = fixAllAction(view);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

/**
 * The diagnostic only names a finding (code, range, version); the edits come from the server's own
 * analysis of the current text, never from `diagnostic.data`, which a client can send altered.
 */
function diagnosticActions(view: FileView, diagnostic: Diagnostic): CodeAction[] {
  if (diagnostic.source !== SOURCE || !isDiagnosticData(diagnostic.data) || diagnostic.data.version !== view.version) return [];
  const finding = view.findings.find((f) => f.code === diagnostic.code && sameRange(f.range, diagnostic.range));
  if (!finding) return [];
  const actions: CodeAction[] = [];
  if (finding.fix && view.verifyFix(finding)) {
    actions.push({
      title: finding.fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [view.uri]: withLineEnding(finding.fix.edits, view.eol) } },
    });
  }
  actions.push({
    title: `Disable ${finding.code} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [view.uri]: withLineEnding([suppressionEdit(view.lines, finding, view.language)], view.eol) } },
  });
  return actions;
}

function addClipActions(view: FileView, params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  // A step that a finding points at has a clip already, in the wrong place: the finding's fix moves it.
  const explained = view.findings.flatMap((f) => f.related.filter((r) => !r.uri || r.uri === view.uri).map((r) => r.range));
  for (const step of view.unclippedSteps) {
    if (!onSameLines(step.range, params.range) || explained.some((r) => overlaps(r, step.range))) continue;
    const edits: TextEdit[] = step.insertClip;
    const underScaler = edits.some((e) => e.newText.includes('unscale_('));
    actions.push({
      title: underScaler ? 'Add gradient clipping (with unscale_) before this step' : 'Add gradient clipping before this step',
      kind: ADD_CLIP_KIND,
      edit: { changes: { [view.uri]: withLineEnding(edits, view.eol) } },
    });
  }
  return actions;
}

/** Lines in common: the cursor anywhere on the step's line offers the action. */
function onSameLines(a: Range, b: Range): boolean {
  return a.start.line <= b.end.line && b.start.line <= a.end.line;
}

// Findings as LSP diagnostics. Each diagnostic carries what its code actions need in `data`
// (the rule's fix and the "disable for this line" edit), so a code action is a lookup.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { Fix, Severity, TextEdit } from '../../analysis/api';
import { suppressionEdit } from '../../analysis/suppression';
import { SOURCE } from '../protocol';
import type { FileView, ViewFinding } from './fileView';

/** What a Clipwise diagnostic carries in `data`. */
export interface DiagnosticData {
  /** The analysed version the edits apply to; code actions drop data from any other version. */
  version: number;
  fix?: Fix;
  suppression: TextEdit;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function diagnosticSeverity(severity: Severity): DiagnosticSeverity {
  return SEVERITY[severity];
}

export function toDiagnostics(view: FileView): Diagnostic[] {
  return view.findings.map((finding) => toDiagnostic(view, finding));
}

function toDiagnostic(view: FileView, finding: ViewFinding): Diagnostic {
  const data: DiagnosticData = {
    version: view.version,
    fix: finding.fix,
    suppression: suppressionEdit(view.lines, finding, view.language),
  };
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: SOURCE,
    code: finding.code,
    codeDescription: { href: finding.docUrl },
    message: finding.message,
    data,
  };
  if (finding.related.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri: r.uri ?? view.uri, range: r.range }, message: r.message }));
  }
  // The deprecated spelling still works: shown struck through, as editors do for deprecated APIs.
  if (finding.code === 'CLP006') diagnostic.tags = [DiagnosticTag.Deprecated];
  return diagnostic;
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  const data = value as DiagnosticData | null;
  return !!data && typeof data === 'object' && typeof data.version === 'number' && !!data.suppression && typeof data.suppression.newText === 'string';
}

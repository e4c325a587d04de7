// Findings as LSP diagnostics. A diagnostic's `data` names only the analysed version: code
// actions find the finding by code and range in the server's own analysis of that version and take
// its edits from there (never from `data`, which a client sends back as it likes), so no edits
// travel with diagnostics.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { Severity } from '../../analysis/api';
import { SOURCE } from '../protocol';
import type { FileView, ViewFinding } from './fileView';

/** What a Clipwise diagnostic carries in `data`. */
export interface DiagnosticData {
  /** The analysed version the diagnostic belongs to; code actions ignore diagnostics of any other version. */
  version: number;
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
  const data: DiagnosticData = { version: view.version };
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
  return !!data && typeof data === 'object' && typeof data.version === 'number';
}

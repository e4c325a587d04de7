// "Clipwise: Check Workspace": every training script on disk, not only the open files, into the
// Problems panel, with progress and cancel. Open files keep their live analysis. Notebooks that
// are not open are reported on the .ipynb file, each finding naming its cell.
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, Diagnostic, WorkspaceFolder } from 'vscode-languageserver';
import { checkFile, type FileFinding } from '../workspace/check-file';
import { settingNameOfPath } from './languages';
import { collectFiles } from '../workspace/files';
import { localPath } from '../workspace/project-host';
import { SOURCE } from '../protocol';
import { diagnosticSeverity } from './diagnostics';
import type { OpenFiles } from './documents';
import type { Guard } from './guard';
import { analyzerOptions, type SettingsCache } from './settings';
import type { ServerStatus } from './status';

export interface CheckSummary {
  files: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
}

export class WorkspaceCheck {
  /** Files this check published diagnostics for, so a re-check or a close can refresh them. */
  private readonly published = new Set<string>();
  private running = false;

  constructor(
    private readonly connection: Connection,
    private readonly openFiles: OpenFiles,
    private readonly settings: SettingsCache,
    private readonly status: ServerStatus,
    private readonly guard: Guard,
  ) {
    // A checked file that is closed again shows what is on disk, not nothing.
    openFiles.onClosed((uri) => {
      if (this.published.has(uri)) void this.guard.handler('re-check closed file', undefined, () => this.checkOne(uri))();
    });
  }

  async run(folders: WorkspaceFolder[]): Promise<CheckSummary> {
    const summary: CheckSummary = { files: 0, findings: 0, skipped: 0, cancelled: false };
    const onDisk = folders.filter((f) => f.uri.startsWith('file:'));
    if (!onDisk.length) {
      void this.connection.window.showWarningMessage('Clipwise: Check Workspace reads files from disk, and this workspace has no folder on disk.');
      return summary;
    }
    if (this.running) return summary;
    this.running = true;
    this.status.checkingWorkspace(true);
    const progress = await this.connection.window.createWorkDoneProgress();
    try {
      progress.begin('Clipwise: checking workspace', 0, 'finding training scripts', true);
      const { files } = collectFiles(onDisk.map((f) => fileURLToPath(f.uri)));
      const stale = new Set(this.published);
      const skippedReasons: string[] = [];
      for (let i = 0; i < files.length; i++) {
        if (progress.token.isCancellationRequested) {
          summary.cancelled = true;
          break;
        }
        progress.report(Math.round((i / files.length) * 100), `${i + 1}/${files.length} ${files[i].split('/').pop()}`);
        const uri = pathToFileURL(files[i]).href;
        stale.delete(uri);
        const outcome = await this.checkOne(uri);
        // A file of a language `clipwise.languages` leaves out (or with Clipwise off) was not checked.
        if (!outcome.checked) continue;
        summary.files++;
        summary.findings += outcome.findings;
        if (outcome.skipped) skippedReasons.push(`${files[i]}: ${outcome.skipped}`);
        // Let edits, cancellation and other requests through between files.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Files that are gone or no longer scripts lose what an earlier check said about them.
      if (!summary.cancelled) for (const uri of stale) this.clear(uri);
      summary.skipped = skippedReasons.length;
      this.status.checked(summary.files, summary.findings, skippedReasons.length);
    } finally {
      progress.done();
      this.running = false;
      this.status.checkingWorkspace(false);
    }
    const what = `${summary.files} file${summary.files === 1 ? '' : 's'}, ${summary.findings} problem${summary.findings === 1 ? '' : 's'}`;
    void this.connection.window.showInformationMessage(summary.cancelled ? `Clipwise: check cancelled after ${what}.` : `Clipwise: checked ${what}.`);
    return summary;
  }

  /** Checks a file on disk; an open file counts with the findings its live analysis shows. */
  private async checkOne(uri: string): Promise<{ checked: boolean; findings: number; skipped?: string }> {
    const settings = await this.settings.get(uri);
    const isNotebook = uri.endsWith('.ipynb');
    if (!settings.enable || !settings.languages.includes(settingNameOfPath(uri)) || (isNotebook && !settings.notebooks)) {
      this.clear(uri);
      return { checked: false, findings: 0 };
    }
    const open = this.openFiles.openFindings(uri);
    if (open !== undefined) return { checked: true, findings: open };
    const report = checkFile(fileURLToPath(uri), this.openFiles.projectOptions(uri, analyzerOptions(settings)));
    const diagnostics = report.findings.map((f) => fileDiagnostic(uri, f));
    this.published.add(uri);
    await this.connection.sendDiagnostics({ uri, diagnostics });
    return { checked: true, findings: diagnostics.length, skipped: report.skipped };
  }

  private clear(uri: string): void {
    if (!this.published.delete(uri) || this.openFiles.isOpen(uri)) return;
    this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }
}

function fileDiagnostic(uri: string, finding: FileFinding): Diagnostic {
  const inCell = finding.cell !== undefined;
  const at = { line: 0, character: 0 };
  return {
    // A closed notebook's positions are cell-local; the message names the cell and line instead.
    range: inCell ? { start: at, end: at } : finding.range,
    severity: diagnosticSeverity(finding.severity),
    source: SOURCE,
    code: finding.code,
    codeDescription: { href: finding.docUrl },
    message: inCell ? `cell ${finding.cell! + 1}, line ${finding.range.start.line + 1}: ${finding.message}` : finding.message,
    relatedInformation: inCell ? undefined : finding.related.map((r) => ({ location: { uri: r.file ? pathToFileURL(localPath(r.file)).href : uri, range: r.range }, message: r.message })),
  };
}

// The language status item: how long the latest analysis took, how many files were analysed,
// how many errors there were; a click shows the output with the server's trace.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, STATUS_NOTIFICATION, type StatusParams } from '../server/protocol';

export class ServerStatusItem implements vscode.Disposable {
  latest: StatusParams | undefined;
  private readonly item: vscode.LanguageStatusItem;
  private readonly subscription: vscode.Disposable;

  constructor(client: LanguageClient) {
    this.item = vscode.languages.createLanguageStatusItem('clipwise.status', [{ language: 'python' }, { language: 'typescript' }]);
    this.item.name = 'Clipwise';
    this.item.text = 'Clipwise';
    this.item.detail = 'starting';
    this.item.command = { title: 'Show Output', command: Commands.showOutput };
    this.subscription = client.onNotification(STATUS_NOTIFICATION, (status: StatusParams) => this.update(status));
  }

  private update(status: StatusParams): void {
    this.latest = status;
    const time = status.lastAnalysisMs === undefined ? '' : `${status.lastAnalysisMs} ms`;
    this.item.text = status.checkingWorkspace ? '$(sync~spin) Clipwise' : `Clipwise${time ? ` ${time}` : ''}`;
    const files = `${status.filesAnalysed} file${status.filesAnalysed === 1 ? '' : 's'} analysed`;
    const errors = `${status.errors} error${status.errors === 1 ? '' : 's'}`;
    this.item.detail = status.checkingWorkspace ? 'checking workspace' : `${files}, ${errors}`;
    this.item.severity = status.errors ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.busy = !!status.checkingWorkspace;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

// The language status items. "Clipwise: this file": the active document's state (checked, its
// findings and time; or "not checked" and why). "Clipwise server": the server's health apart from
// it (its own failures, the latest Check Workspace totals). A click shows the output.
import * as vscode from 'vscode';
import { LANGUAGE_IDS } from '../analysis/languages';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, STATUS_NOTIFICATION, type StatusParams } from '../server/protocol';

/** What the two items say (for tests: the text users read). */
export interface StatusTexts {
  file: { text: string; detail: string };
  server: { text: string; detail: string };
}

const SELECTOR = LANGUAGE_IDS.map((language) => ({ language }));
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export class ServerStatusItem implements vscode.Disposable {
  latest: StatusParams | undefined;
  private readonly file: vscode.LanguageStatusItem;
  private readonly server: vscode.LanguageStatusItem;
  private readonly subscriptions: vscode.Disposable[];

  constructor(client: LanguageClient) {
    this.file = vscode.languages.createLanguageStatusItem('clipwise.file', SELECTOR);
    this.file.name = 'Clipwise: this file';
    this.file.text = 'Clipwise';
    this.file.detail = 'starting';
    this.server = vscode.languages.createLanguageStatusItem('clipwise.status', SELECTOR);
    this.server.name = 'Clipwise server';
    this.server.text = 'Clipwise server';
    this.server.detail = 'starting';
    for (const item of [this.file, this.server]) item.command = { title: 'Show Output', command: Commands.showOutput };
    this.subscriptions = [
      client.onNotification(STATUS_NOTIFICATION, (status: StatusParams) => {
        this.latest = status;
        this.update();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    ];
  }

  texts(): StatusTexts {
    return { file: { text: this.file.text, detail: this.file.detail ?? '' }, server: { text: this.server.text, detail: this.server.detail ?? '' } };
  }

  private update(): void {
    const status = this.latest;
    if (!status) return;
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const state = uri ? status.documents[uri] : undefined;
    if (!state) {
      this.file.text = 'Clipwise';
      this.file.detail = uri ? 'not checked yet' : 'no file';
      this.file.severity = vscode.LanguageStatusSeverity.Information;
    } else if (state.checked) {
      this.file.text = `Clipwise: ${state.findings ? plural(state.findings, 'finding') : 'no findings'}`;
      this.file.detail = `checked in ${state.ms} ms${state.partlyNotChecked ? `; part not checked: ${state.partlyNotChecked}` : ''}`;
      this.file.severity = state.partlyNotChecked ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    } else {
      this.file.text = 'Clipwise: not checked';
      this.file.detail = state.reason;
      this.file.severity = vscode.LanguageStatusSeverity.Warning;
    }
    const health = status.errors ? `${plural(status.errors, 'error')} (latest: ${status.lastError ?? 'unknown'})` : 'running, no errors';
    const workspace = status.workspace
      ? `; Check Workspace: ${plural(status.workspace.files, 'file')}, ${plural(status.workspace.findings, 'finding')}${status.workspace.notChecked ? `, ${status.workspace.notChecked} not checked` : ''}`
      : '';
    this.server.text = status.checkingWorkspace ? '$(sync~spin) Clipwise server' : 'Clipwise server';
    this.server.detail = status.checkingWorkspace ? 'checking workspace' : health + workspace;
    this.server.severity = status.errors ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.server.busy = !!status.checkingWorkspace;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.file.dispose();
    this.server.dispose();
  }
}

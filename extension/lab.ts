// The Gradient Lab view (its own activity-bar container): the webview's page and CSP, the
// messages both ways (every message from the view is read with the protocol's reader; unknown or
// malformed ones are logged and dropped), "Show in Gradient Lab" (the lens's loop, or the presets),
// and the experiment record kept in workspace state so a view that lost its own state comes back.
import * as vscode from 'vscode';
import type { ShowInLabArgs } from '../server/protocol';
import { describeValue } from '../webview/guards';
import { parseExperiment } from '../webview/lab/experiment';
import { labPage, makeNonce } from '../webview/page';
import { readLoop, readSource, readViewMessage, type HostMessage, type LabReport, type LabSource, type ViewMessage } from '../webview/protocol';
import { checked, copyLoop, exportCsv, exportPng, exportScript, openExperiment, saveExperiment } from './lab-files';

export const LAB_VIEW_ID = 'clipwise.lab';
const RECORD_KEY = 'clipwise.lab.record';

/** What the view last reported, and when the command that opened it ran (Date.now()). */
export interface LabObservation {
  report: LabReport;
  receivedAt: number;
  /** The "Show in Gradient Lab" call the view's experiment came from, if any. */
  commandAt?: number;
  /** When the view's page last said it was up. */
  readyAt?: number;
}

export class LabView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private pending: HostMessage | undefined;
  private observation: LabObservation | undefined;
  private commandAt: number | undefined;
  private readyAt: number | undefined;
  private recorded = '';
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: (line: string) => void,
  ) {
    this.disposables.push(vscode.window.registerWebviewViewProvider(LAB_VIEW_ID, this));
  }

  /** The view's latest report (tests read the view's state through this). */
  get latest(): LabObservation | undefined {
    return this.observation;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const bundle = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [bundle] };
    view.webview.html = labPage({ bundleRoot: view.webview.asWebviewUri(bundle).toString(), cspSource: view.webview.cspSource, nonce: makeNonce() });
    const subscriptions = [
      view.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.ready = false;
        }
        for (const s of subscriptions) s.dispose();
      }),
    ];
  }

  /** "Show in Gradient Lab": reveals the view with the lens's loop, or on the presets without one. */
  async show(args?: unknown): Promise<boolean> {
    const target = isLabArgs(args) ? args : await lensAtCursor();
    const loop = target?.loop === undefined ? undefined : readLoop(target.loop);
    const sentAt = Date.now();
    this.commandAt = sentAt;
    if (target && loop) {
      const message: HostMessage = { type: 'show-loop', loop, file: target.uri, line: target.position.line, sentAt };
      if (target.code) message.code = target.code;
      this.pending = message;
    } else {
      if (target?.loop !== undefined) this.log(`Gradient Lab: the lens sent a loop summary it could not read; showing the presets`);
      this.pending = { type: 'show-presets', sentAt };
    }
    await vscode.commands.executeCommand(`${LAB_VIEW_ID}.focus`);
    this.flush();
    return !!loop;
  }

  private flush(): void {
    if (!this.view || !this.ready || !this.pending) return;
    const message = this.pending;
    this.pending = undefined;
    void this.view.webview.postMessage(message);
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }

  private notice(level: 'info' | 'error', message: string): void {
    this.post({ type: 'notice', level, message });
    if (level === 'error') void vscode.window.showErrorMessage(`Gradient Lab: ${message}`);
  }

  private async receive(value: unknown): Promise<void> {
    const message = readViewMessage(value);
    if (!message) {
      this.log(`Gradient Lab: ignored ${describeValue(value)} from the view`);
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      this.notice('error', (error as Error).message);
    }
  }

  private async handle(message: ViewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.readyAt = Date.now();
        // A page without a state of its own waits to be told what to show.
        if (!this.pending && !message.restored) this.pending = this.fromRecord() ?? { type: 'show-presets', sentAt: Date.now() };
        this.flush();
        return;
      case 'report':
        this.observation = {
          report: message.report,
          receivedAt: Date.now(),
          ...(this.commandAt !== undefined ? { commandAt: this.commandAt } : {}),
          ...(this.readyAt !== undefined ? { readyAt: this.readyAt } : {}),
        };
        return this.keepRecord(message.experiment, message.source);
      case 'log':
        this.log(`Gradient Lab view (${message.level}): ${message.message}`);
        return;
      case 'open-experiment': {
        const opened = await openExperiment();
        if (!opened) return;
        if ('problem' in opened) return this.notice('error', opened.problem);
        this.post({ type: 'show-experiment', experiment: opened.experiment, source: { kind: 'file', name: opened.name }, sentAt: Date.now() });
        return;
      }
      case 'export-csv':
        return this.saved(await exportCsv(message.csv, message.suggestedName));
      case 'export-png':
        return this.saved(await exportPng(message.dataUrl, message.suggestedName));
      case 'save-experiment':
      case 'export-pytorch':
      case 'copy-pytorch': {
        const valid = checked(message.experiment);
        if ('problem' in valid) return this.notice('error', valid.problem);
        if (message.type === 'copy-pytorch') {
          await copyLoop(valid.experiment);
          this.notice('info', 'Copied the training loop for these settings as PyTorch.');
          return;
        }
        const save = message.type === 'save-experiment' ? saveExperiment : exportScript;
        return this.saved(await save(valid.experiment, message.suggestedName));
      }
    }
  }

  private saved(uri: vscode.Uri | undefined): void {
    if (uri) this.notice('info', `Saved ${vscode.workspace.asRelativePath(uri)}.`);
  }

  /** The experiment record: what the view showed last, kept per workspace. */
  private async keepRecord(experiment: unknown, source: LabSource): Promise<void> {
    const parsed = parseExperiment(experiment);
    if (!parsed.ok) return;
    const record = JSON.stringify({ experiment: parsed.experiment, source });
    if (record === this.recorded) return;
    this.recorded = record;
    await this.context.workspaceState.update(RECORD_KEY, record);
  }

  private fromRecord(): HostMessage | undefined {
    const stored = this.context.workspaceState.get<string>(RECORD_KEY);
    if (!stored) return undefined;
    try {
      const value = JSON.parse(stored) as { experiment?: unknown; source?: unknown };
      const parsed = parseExperiment(value.experiment);
      const source = readSource(value.source);
      if (parsed.ok && source) return { type: 'show-experiment', experiment: parsed.experiment, source, sentAt: Date.now() };
    } catch {
      // A damaged record is dropped: the view opens on the presets.
    }
    return undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function isLabArgs(value: unknown): value is ShowInLabArgs {
  const args = value as ShowInLabArgs | undefined;
  return !!args && typeof args.uri === 'string' && typeof args.position?.line === 'number' && typeof args.position.character === 'number';
}

/** From the command palette: the "Show in Gradient Lab" lens on the cursor's line, if there is one. */
async function lensAtCursor(): Promise<ShowInLabArgs | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? [];
  const line = editor.selection.active.line;
  const lens = lenses.find((l) => l.range.start.line === line && l.command?.command === 'clipwise.showInLab' && isLabArgs(l.command.arguments?.[0]));
  return lens?.command?.arguments?.[0] as ShowInLabArgs | undefined;
}

// The Clipwise client: starts the language server over IPC, hands it Python, TypeScript and
// JavaScript files and notebook cells, and adds the few commands a server cannot own.
// Everything else (diagnostics, fixes, hovers, lenses, Check Workspace) comes from the server.
// Loaded by extension.ts (the entry point) through V8's code cache.
import { LANGUAGE_IDS } from '../analysis/languages';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, FIX_ALL_KIND, type StatusParams } from '../server/protocol';
import { LabView, type LabObservation } from './lab';
import { ServerStatusItem, type StatusTexts } from './status';

/** What the extension returns from activate(): enough for tests to observe it. */
export interface ClipwiseApi {
  /**
   * The extension's own share of activation, in ms: evaluating its modules plus running activate()
   * (the time VS Code spends between loading the entry module and calling activate() excluded).
   */
  activationMs: number;
  /** The newest status the server reported. */
  status(): StatusParams | undefined;
  /** What the two language status items say now. */
  statusTexts(): StatusTexts;
  /** How many times the server was restarted after stopping unexpectedly. */
  restarts(): number;
  /** What the Gradient Lab view last reported. */
  lab(): LabObservation | undefined;
}

let client: LanguageClient | undefined;

/**
 * `since`: when activation began, as the entry point counts it (VS Code's call of activate(),
 * moved back by the time the entry module took to load).
 */
export function activate(context: vscode.ExtensionContext, since: number): ClipwiseApi {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const crashes = new CrashPolicy();
  const clientOptions: LanguageClientOptions = {
    // No scheme: files, untitled buffers, virtual workspaces and notebook cells alike. The server
    // decides per resource which languages it analyses (`clipwise.languages`).
    documentSelector: LANGUAGE_IDS.map((language) => ({ language })),
    errorHandler: { error: () => ({ action: ErrorAction.Continue }), closed: () => crashes.closed() },
  };
  client = new LanguageClient('clipwise', 'Clipwise', serverOptions, clientOptions);
  const status = new ServerStatusItem(client);
  const lab = new LabView(context, (line) => client?.outputChannel.appendLine(line));
  context.subscriptions.push(
    status,
    lab,
    vscode.commands.registerCommand(Commands.showOutput, () => client?.outputChannel.show(true)),
    vscode.commands.registerCommand(Commands.restartServer, () => client?.restart()),
    vscode.commands.registerCommand(Commands.fixAll, fixAllInActiveEditor),
    vscode.commands.registerCommand(Commands.showInLab, (args?: unknown) => lab.show(args)),
  );
  void client.start().catch((error: unknown) => client?.error('Clipwise server failed to start', error, 'force'));
  return { activationMs: performance.now() - since, status: () => status.latest, statusTexts: () => status.texts(), restarts: () => crashes.restarts, lab: () => lab.latest };
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}

/** Restart a server that stopped unexpectedly and say so; give up after five stops in three minutes. */
class CrashPolicy {
  restarts = 0;
  private readonly recent: number[] = [];

  closed() {
    const now = Date.now();
    this.recent.push(now);
    while (this.recent.length && this.recent[0] < now - 180_000) this.recent.shift();
    if (this.recent.length >= 5) {
      void vscode.window.showErrorMessage('The Clipwise server stopped 5 times in 3 minutes and will not be restarted. "Clipwise: Show Output" has the details.');
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.restarts++;
    void vscode.window.showWarningMessage('The Clipwise server stopped unexpectedly and was restarted.');
    return { action: CloseAction.Restart, handled: true };
  }
}

/** Applies the server's fix-all edits (the same ones codeActionsOnSave uses) to the active file. */
async function fixAllInActiveEditor(): Promise<boolean> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) return false;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, whole, FIX_ALL_KIND)) ?? [];
  const fixAll = actions.find((a) => a.kind?.value === FIX_ALL_KIND && a.edit);
  if (!fixAll?.edit) {
    void vscode.window.setStatusBarMessage('Clipwise: nothing to fix', 3000);
    return false;
  }
  return vscode.workspace.applyEdit(fixAll.edit);
}

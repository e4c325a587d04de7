// "Show in Gradient Lab" until the Lab view exists: the explanation of the finding or clip call
// under the lens (the hover's text, with the rule's page) in a read-only Markdown preview.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXPLAIN_REQUEST, type ExplainParams, type ShowInLabArgs } from '../server/protocol';

const SCHEME = 'clipwise-explanation';

export class LabStandIn implements vscode.Disposable, vscode.TextDocumentContentProvider {
  private readonly pages = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: LanguageClient) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.pages.get(uri.toString()) ?? '';
  }

  /** Returns the URI of the page it opened, or undefined when there was nothing to explain. */
  async show(args?: unknown): Promise<vscode.Uri | undefined> {
    const target = isLabArgs(args) ? args : fromActiveEditor();
    if (!target) {
      void vscode.window.showInformationMessage('Clipwise: put the cursor on a clip call or a finding, or use the lens above it.');
      return undefined;
    }
    const params: ExplainParams = { uri: target.uri, position: target.position, code: target.code };
    const markdown = await this.client.sendRequest<string | null>(EXPLAIN_REQUEST, params);
    if (!markdown) {
      void vscode.window.showInformationMessage('Clipwise: nothing to explain here.');
      return undefined;
    }
    const name = target.code ?? 'clip';
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}.md`, query: `${target.uri}#${target.position.line}` });
    this.pages.set(uri.toString(), markdown + loopNote(target));
    this.changed.fire(uri);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

function loopNote(args: ShowInLabArgs): string {
  if (!args.loop) return '';
  const facts = [`calls in this loop: ${args.loop.order.map((c) => `\`${c.call}\``).join(' → ')}`];
  const clip = args.loop.clip;
  const threshold = clip?.thresholdText ?? clip?.threshold;
  if (clip && threshold !== undefined) facts.push(`${clip.kind === 'value' ? 'clip_value' : 'max_norm'} ${threshold}`);
  if (args.loop.optimizer) facts.push(`optimizer \`${args.loop.optimizer}\``);
  return `\n\n---\n\n*This loop:* ${facts.join('; ')}.`;
}

function fromActiveEditor(): ShowInLabArgs | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { line, character } = editor.selection.active;
  return { uri: editor.document.uri.toString(), position: { line, character } };
}

function isLabArgs(value: unknown): value is ShowInLabArgs {
  const args = value as ShowInLabArgs | undefined;
  return !!args && typeof args.uri === 'string' && typeof args.position?.line === 'number' && typeof args.position.character === 'number';
}

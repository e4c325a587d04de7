// What a person sees. Python (docs/images/editor.png): a squiggle under a clip after the step,
// the Problems panel, and the quick-fix menu open on it. TypeScript
// (docs/images/editor-typescript.png): the same mistake in a .ts loop on Clipwise's engine, its
// lens, and the language status popup ("Clipwise: this file", "Clipwise server"). The launcher
// takes the pictures when asked; a launcher that cannot take pictures leaves
// CLIPWISE_SCREENSHOT_DIR unset and these are skipped.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { clipwise, closeAllEditors, diagnosticsWhen, open, waitFor } from './helpers';

/** Editor settings for the pictures only: a line tall enough that a squiggle does not hide underscores. */
const LEGIBLE: Record<string, unknown> = { 'editor.fontSize': 14, 'editor.lineHeight': 24, 'editor.renderLineHighlight': 'none', 'window.commandCenter': false, 'window.title': '${activeEditorShort} — ${rootName}' };

async function setAll(values: Record<string, unknown> | undefined): Promise<void> {
  for (const key of Object.keys(LEGIBLE)) {
    const dot = key.lastIndexOf('.');
    await vscode.workspace.getConfiguration(key.slice(0, dot)).update(key.slice(dot + 1), values?.[key], vscode.ConfigurationTarget.Workspace);
  }
}

/** Shows a file from its first line, the cursor on its first finding, with the Problems panel open. */
async function showFinding(path: string, cursorOnFinding = true): Promise<{ editor: vscode.TextEditor; diagnostic: vscode.Diagnostic }> {
  await closeAllEditors();
  const editor = await open(path);
  const [diagnostic] = await diagnosticsWhen(editor.document.uri, (d) => d.length > 0);
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await vscode.window.showTextDocument(editor.document);
  const cursor = cursorOnFinding ? diagnostic.range.start.translate(0, 4) : new vscode.Position(0, 0);
  editor.selection = new vscode.Selection(cursor, cursor);
  // The lens appears a moment after the squiggle and shifts the lines below it: scroll once it is there.
  await waitFor('the lens', async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? []).length > 0);
  await new Promise((resolve) => setTimeout(resolve, 500));
  editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
  return { editor, diagnostic };
}

/** Asks the launcher for the picture and waits until it is taken. */
async function picture(name: string, folder: string, extra = ''): Promise<void> {
  // Menus and hovers render asynchronously and the API cannot see them: give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const done = join(folder, `${name}.done`);
  console.log(`[clipwise-screenshot] ${name}${extra}`);
  await waitFor(`the launcher to take the screenshot ${name}`, () => existsSync(done), 20000);
  assert.ok(existsSync(done));
}

describe('editor: screenshot', () => {
  const folder = process.env.CLIPWISE_SCREENSHOT_DIR;
  before(async function () {
    if (!folder) this.skip();
    await clipwise();
    await setAll(LEGIBLE);
  });
  after(async () => {
    if (!folder) return;
    await setAll(undefined);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await closeAllEditors();
  });

  it('shows the squiggle, the Problems panel and the quick-fix menu', async () => {
    await showFinding('train.py');
    await vscode.commands.executeCommand('editor.action.quickFix');
    await picture('editor', folder!);
    await vscode.commands.executeCommand('hideCodeActionWidget');
  });

  it('shows a TypeScript loop’s squiggle, its lens and the language status', async () => {
    await showFinding('typescript/train.ts', false);
    // The Problems panel shows this file only (the Python file above is still open to VS Code).
    await vscode.commands.executeCommand('workbench.actions.workbench.panel.markers.view.toggleActiveFile');
    await vscode.window.showTextDocument(vscode.window.activeTextEditor!.document);
    await picture('editor-typescript', folder!, ' language-status');
    await vscode.commands.executeCommand('workbench.actions.workbench.panel.markers.view.toggleActiveFile');
  });
});

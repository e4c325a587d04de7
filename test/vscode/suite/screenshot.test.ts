// What a person sees: a squiggle under a clip after the step, the Problems panel, and the
// quick-fix menu open on it. The launcher takes the picture (docs/images/editor.png) when asked;
// a launcher that cannot take pictures leaves CLIPWISE_SCREENSHOT_DIR unset and this is skipped.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { clipwise, closeAllEditors, diagnosticsWhen, open, waitFor } from './helpers';

describe('editor: screenshot', () => {
  it('shows the squiggle, the Problems panel and the quick-fix menu', async function () {
    const folder = process.env.CLIPWISE_SCREENSHOT_DIR;
    if (!folder) this.skip();
    await clipwise();
    const editor = await open('train.py');
    const [diagnostic] = await diagnosticsWhen(editor.document.uri, (d) => d.length > 0);
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(editor.document);
    editor.selection = new vscode.Selection(diagnostic.range.start.translate(0, 4), diagnostic.range.start.translate(0, 4));
    editor.revealRange(diagnostic.range, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('editor.action.quickFix');
    // The menu renders asynchronously and the API cannot see it: give it a moment, then ask.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const done = join(folder!, 'editor.done');
    console.log('[clipwise-screenshot] editor');
    await waitFor('the launcher to take the screenshot', () => existsSync(done), 20000);
    assert.ok(existsSync(done));
    await vscode.commands.executeCommand('hideCodeActionWidget');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await closeAllEditors();
  });
});

// The language status items in real VS Code: "this file" says the active file's own state (its
// findings and time, or "not checked" and why) and the server item its health, with no running
// count of analyses ("95 files analysed" in a 14-file folder).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { clipwise, closeAllEditors, diagnosticsWhen, open, waitFor } from './helpers';

/** Closes the untitled documents a test made without the "save changes?" dialog closing them would ask. */
async function discardUntitled(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

describe('editor: language status', function () {
  this.timeout(60_000);
  after(async () => {
    await discardUntitled();
    await closeAllEditors();
  });

  it('says this file\'s findings, and "not checked" with the reason for a file it did not check', async () => {
    const api = await clipwise();
    const editor = await open('train.py');
    const found = await diagnosticsWhen(editor.document.uri, (d) => d.length > 0);
    // A few edits: analyses are not files, and no count of them appears anywhere.
    for (let i = 0; i < 3; i++) await editor.edit((b) => b.insert(new vscode.Position(0, 0), '\n'));
    await diagnosticsWhen(editor.document.uri, (d) => d.length === found.length && d[0].range.start.line === found[0].range.start.line + 3);
    const texts = await waitFor('the file item to show the findings', () => {
      const t = api.statusTexts();
      return t.file.text === `Clipwise: ${found.length} finding${found.length === 1 ? '' : 's'}` ? t : undefined;
    });
    assert.match(texts.file.detail, /^checked in [\d.]+ ms$/);
    assert.doesNotMatch(texts.server.detail, /analysed/);
    assert.match(texts.server.detail, /no errors/);
    await vscode.commands.executeCommand('workbench.action.files.revert');

    const binary = await vscode.workspace.openTextDocument({ language: 'python', content: 'import torch\u0000\u0001\u0002\n' });
    await vscode.window.showTextDocument(binary);
    const skipped = await waitFor('the file item to say not checked', () => (api.statusTexts().file.text === 'Clipwise: not checked' ? api.statusTexts() : undefined));
    assert.match(skipped.file.detail, /binary/);
    assert.match(skipped.server.detail, /^running, no errors/, 'a file not checked is not a server error');

    const deep = await vscode.workspace.openTextDocument({ language: 'python', content: Array.from({ length: 260 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n') + '\n' + ' '.repeat(260) + 'pass\n' });
    await vscode.window.showTextDocument(deep);
    const partly = await waitFor('the file item to say part was not checked', () => (/part not checked/.test(api.statusTexts().file.detail) ? api.statusTexts() : undefined), 30000);
    assert.match(partly.file.detail, /deep/);

    // Back to train.py: the item follows the active editor.
    await vscode.window.showTextDocument(editor.document);
    await waitFor('the file item to follow the editor', () => api.statusTexts().file.text === `Clipwise: ${found.length} finding${found.length === 1 ? '' : 's'}`);
  });
});

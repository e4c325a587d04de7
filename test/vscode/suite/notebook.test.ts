// A notebook whose clip (cell 4) comes after the step (cell 3): the cells are one program.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticsWhen, workspaceUri } from './helpers';

describe('editor: notebooks', () => {
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('reports the clip after a step in another cell, on the clip cell, related to the step cell', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(workspaceUri('notebook.ipynb'));
    await vscode.window.showNotebookDocument(notebook);
    const clipCell = notebook.cellAt(3).document;
    const stepCell = notebook.cellAt(2).document;
    const [diagnostic] = await diagnosticsWhen(clipCell.uri, (d) => d.length === 1);
    assert.equal(codeOf(diagnostic), 'CLP002');
    assert.equal(diagnostic.range.start.line, 0);
    assert.equal(diagnostic.relatedInformation?.[0].location.uri.toString(), stepCell.uri.toString());
    assert.equal(diagnostic.relatedInformation?.[0].location.range.start.line, 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', clipCell.uri, new vscode.Position(0, 10));
    assert.match(hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n'), /clip_coef = 0\.5/);
  });
});

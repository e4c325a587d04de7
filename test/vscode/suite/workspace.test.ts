// "Clipwise: Check Workspace" fills the Problems panel for files that were never opened.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticsWhen, workspaceUri } from './helpers';

describe('editor: check workspace', () => {
  it('reports findings in a file that is not open', async () => {
    const uri = workspaceUri('scripts/not_open.py');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()));
    const summary = await vscode.commands.executeCommand<{ files: number; findings: number }>('clipwise.checkWorkspace');
    assert.ok(summary && summary.files >= 5, `checked ${JSON.stringify(summary)}`);
    const diagnostics = await diagnosticsWhen(uri, (d) => d.length === 2);
    assert.deepEqual(diagnostics.map(codeOf).sort(), ['CLP003', 'CLP006']);
  });
});

// The server dying is not the end: the client restarts it, says so, and diagnostics come back.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { clipwise, closeAllEditors, diagnosticsWhen, open, waitFor } from './helpers';

describe('editor: server restarts', () => {
  after(closeAllEditors);

  it('restarts a server that was killed and analyses again', async () => {
    const api = await clipwise();
    const editor = await open('train.py');
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 1);
    const before = await waitFor('a status with the server pid', () => api.status());
    process.kill(before.pid, 'SIGKILL');
    await waitFor('the restart', () => api.restarts() === 1);
    await waitFor('a status from the new server', () => api.status()?.pid !== before.pid);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '\n'));
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 1 && d[0].range.start.line === 15, 'diagnostics from the new server');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('"Clipwise: Restart Server" restarts on request, without counting a crash', async () => {
    const api = await clipwise();
    const before = api.status()!.pid;
    await vscode.commands.executeCommand('clipwise.restartServer');
    const editor = await open('train.py');
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '\n'));
    await waitFor('a status from the restarted server', () => api.status()?.pid !== before);
    assert.equal(api.restarts(), 1);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});

// Diagnostics, hovers and lenses through the real VS Code API.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ShowInLabArgs } from '../../../server/protocol';
import { clipwise, closeAllEditors, codeOf, diagnosticsWhen, lineOf, open, waitFor } from './helpers';

describe('editor: diagnostics, hovers, lenses', () => {
  after(closeAllEditors);

  it('activates on a Python file quickly and reports its status', async () => {
    const editor = await open('train.py');
    const api = await clipwise();
    console.log(`[clipwise] activation (module evaluation + activate(), in the extension host): ${api.activationMs.toFixed(1)} ms`);
    assert.ok(api.activationMs < 500, `activation took ${api.activationMs} ms`);
    await diagnosticsWhen(editor.document.uri, (d) => d.length > 0);
    // The first activation of this version writes the code cache the next window starts from.
    const cacheFile = api.codeCache.file;
    assert.ok(cacheFile, 'the code cache has a place in global storage');
    await waitFor('the code cache to be written', () => existsSync(cacheFile) && statSync(cacheFile).size > 10_000);
    const status = await waitFor('a status from the server', () => api.status());
    assert.ok(status.filesAnalysed >= 1);
    assert.equal(typeof status.lastAnalysisMs, 'number');
  });

  it('contributes its commands, and the output opens', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['clipwise.checkWorkspace', 'clipwise.fixAll', 'clipwise.showInLab', 'clipwise.showOutput', 'clipwise.restartServer']) {
      assert.ok(commands.includes(command), command);
    }
    await vscode.commands.executeCommand('clipwise.showOutput');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('squiggles the clip after the step, with rule code, link and the step as related information', async () => {
    const editor = await open('train.py');
    const [diagnostic] = await diagnosticsWhen(editor.document.uri, (d) => d.length === 1);
    assert.equal(codeOf(diagnostic), 'CLP002');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assert.match(code.target.toString(), /CLP002/);
    assert.equal(diagnostic.range.start.line, lineOf(editor.document, 'torch.nn.utils.clip_grad_norm_('));
    assert.equal(diagnostic.relatedInformation?.[0].location.range.start.line, lineOf(editor.document, 'optimizer.step()'));
  });

  it('hovers over the clip call with what PyTorch computes', async () => {
    const editor = await open('train.py');
    await diagnosticsWhen(editor.document.uri, (d) => d.length > 0);
    const position = new vscode.Position(lineOf(editor.document, 'torch.nn.utils.clip_grad_norm_('), 20);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /clip_coef = 1\.0 \/ \(total_norm \+ 1e-6\)/);
    assert.match(text, /CLP002/);
  });

  it('puts "Show in Gradient Lab" over the clip, with the loop it sits in', async () => {
    const editor = await open('train.py');
    await diagnosticsWhen(editor.document.uri, (d) => d.length > 0);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const lens = lenses.find((l) => l.command?.command === 'clipwise.showInLab');
    assert.ok(lens?.command, 'a lens');
    assert.equal(lens.command.title, 'Show in Gradient Lab');
    // What the command does with the loop is lab.test.ts's part.
    const args = lens.command.arguments?.[0] as ShowInLabArgs | undefined;
    assert.deepEqual(args?.loop?.order.map((c) => c.call), ['zero_grad', 'backward', 'step', 'clip']);
  });
});

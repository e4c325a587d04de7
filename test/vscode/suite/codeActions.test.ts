// Quick fixes, "disable for this line", "add clipping", the fix-all command, and fix-all on save,
// all through the real API and applied with workspace.applyEdit.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, codeActions, codeOf, diagnosticsWhen, lineOf, open } from './helpers';

async function revert(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

describe('editor: code actions', () => {
  after(closeAllEditors);

  it('applies the preferred quick fix and the diagnostic goes away', async () => {
    const editor = await open('train.py');
    const [diagnostic] = await diagnosticsWhen(editor.document.uri, (d) => d.length === 1);
    const actions = await codeActions(editor.document.uri, diagnostic.range);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix?.edit, `a preferred fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(actions.some((a) => a.title === 'Disable CLP002 for this line'));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 0, 'no diagnostics');
    assert.ok(editor.document.getText().indexOf('clip_grad_norm_(') < editor.document.getText().indexOf('        optimizer.step()'));
    await revert(editor.document);
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 1, 'the finding again after revert');
  });

  it('disables a rule for one line by merging into the existing comment', async () => {
    const editor = await open('amp.py');
    const diagnostics = await diagnosticsWhen(editor.document.uri, (d) => d.length === 2);
    const clp003 = diagnostics.find((d) => codeOf(d) === 'CLP003')!;
    const disable = (await codeActions(editor.document.uri, clp003.range)).find((a) => a.title === 'Disable CLP003 for this line');
    assert.ok(disable?.edit);
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    assert.match(editor.document.lineAt(clp003.range.start.line).text, /# noqa: E501, CLP003$/);
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 1 && codeOf(d[0]) === 'CLP006', 'only CLP006 left');
    await revert(editor.document);
  });

  it('adds clipping (and unscale_ under a GradScaler) before a step that has none', async () => {
    const editor = await open('unclipped.py');
    const line = lineOf(editor.document, 'scaler.step(optimizer)');
    const actions = await codeActions(editor.document.uri, new vscode.Range(line, 8, line, 8));
    const add = actions.find((a) => a.title.startsWith('Add gradient clipping'));
    assert.ok(add?.edit, 'the add-clipping action');
    assert.ok(await vscode.workspace.applyEdit(add.edit));
    assert.equal(editor.document.lineAt(line).text.trim(), 'scaler.unscale_(optimizer)');
    assert.match(editor.document.lineAt(line + 1).text, /clip_grad_norm_\(.*max_norm=1\.0\)/);
    await revert(editor.document);
  });

  it('"Clipwise: Fix All Problems in This File" applies the safe fixes', async () => {
    const editor = await open('amp.py');
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 2);
    assert.equal(await vscode.commands.executeCommand('clipwise.fixAll'), true);
    assert.match(editor.document.getText(), /scaler\.unscale_\(optimizer\)\n\s+torch\.nn\.utils\.clip_grad_norm_\(/);
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 0, 'no diagnostics after fix-all');
    await revert(editor.document);
  });

  it('fixes on save through editor.codeActionsOnSave, without deleting code', async () => {
    const editor = await open('save_me.py');
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 1);
    const before = editor.document.getText();
    // A real edit, so the save is not a no-op.
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# edited\n'));
    assert.ok(await editor.document.save());
    const after = editor.document.getText();
    assert.ok(after.indexOf('clip_grad_norm_(') < after.indexOf('        optimizer.step()'), 'the clip moved before the step');
    for (const line of before.split('\n')) assert.ok(after.includes(line), `kept: ${line}`);
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 0, 'no diagnostics after save');
  });
});

// Analysis across files in a real editor: a training script's finding comes from a helper in
// another module, and editing that helper (unsaved, in its own editor) changes the finding.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, diagnosticsWhen, lineOf, open, workspaceUri } from './helpers';

describe('editor: analysis across files', () => {
  after(closeAllEditors);

  it('editing the helper module changes the finding in the script that imports it', async () => {
    const script = await open('project/train_with_helper.py');
    const scriptUri = script.document.uri;
    const callLine = lineOf(script.document, 'clip_model(model)');
    const [finding] = await diagnosticsWhen(scriptUri, (d) => d.length === 1, 'the helper call after the step');
    assert.equal(codeOf(finding), 'CLP002');
    assert.equal(finding.range.start.line, callLine);
    const helperUri = workspaceUri('project/clipping.py');
    assert.ok(finding.relatedInformation?.some((r) => r.location.uri.toString() === helperUri.toString()), 'related information points into the helper');

    // The helper stops clipping (not saved): the script has nothing left to report.
    const helper = await open('project/clipping.py');
    const clipLine = lineOf(helper.document, 'torch.nn.utils.clip_grad_norm_(');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(helperUri, helper.document.lineAt(clipLine).range, '    print(model, max_norm)');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await diagnosticsWhen(scriptUri, (d) => d.length === 0, 'no finding once the helper does not clip');

    // Back as it was: the finding returns.
    await vscode.commands.executeCommand('undo');
    await diagnosticsWhen(scriptUri, (d) => d.length === 1 && codeOf(d[0]) === 'CLP002', 'the finding back after undo');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});

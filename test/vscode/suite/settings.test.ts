// Settings changes apply without a restart: a rule turned off, a rule's severity changed.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, diagnosticsWhen, open } from './helpers';

describe('editor: settings', () => {
  const rules = () => vscode.workspace.getConfiguration('clipwise');
  after(async () => {
    await rules().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
  });

  it('turns a rule off and changes its severity, live', async () => {
    const editor = await open('train.py');
    const uri = editor.document.uri;
    await diagnosticsWhen(uri, (d) => d.length === 1 && d[0].severity === vscode.DiagnosticSeverity.Error);
    await rules().update('rules', { CLP002: 'off' }, vscode.ConfigurationTarget.Workspace);
    await diagnosticsWhen(uri, (d) => d.length === 0, 'CLP002 off');
    await rules().update('rules', { CLP002: 'warning' }, vscode.ConfigurationTarget.Workspace);
    const [warning] = await diagnosticsWhen(uri, (d) => d.length === 1, 'CLP002 back');
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
  });
});

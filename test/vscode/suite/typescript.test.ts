// TypeScript and JavaScript in the real editor, on copies of examples/engine_clip_after_step.ts
// (the launcher puts them in typescript/): the squiggle with its code, range, message and related
// step; the hover and the lens; the lightbulb's preferred fix; fix-all on save; and the
// "Clipwise: this file" item following the file. The .js copy is the same loop as JavaScript.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShowInLabArgs } from '../../../server/protocol';
import { clipwise, closeAllEditors, codeActions, codeOf, diagnosticsWhen, lineOf, open, waitFor } from './helpers';

const CLIP = 'clipGradNorm_(model.parameters(), 1.0)';

async function revert(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

/** The one CLP002 of the example, checked against the document's own text. */
async function clipAfterStep(document: vscode.TextDocument): Promise<vscode.Diagnostic> {
  const [diagnostic] = await diagnosticsWhen(document.uri, (d) => d.length === 1, 'the clip after the step');
  const clipLine = lineOf(document, 'clipGradNorm_(');
  const stepLine = lineOf(document, 'optimizer.step();');
  assert.equal(codeOf(diagnostic), 'CLP002');
  assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
  assert.match((diagnostic.code as { target: vscode.Uri }).target.toString(), /CLP002/);
  // The call itself, without its semicolon.
  assert.equal(diagnostic.range.start.line, clipLine);
  assert.equal(document.getText(diagnostic.range), CLIP);
  assert.match(diagnostic.message, new RegExp(`^Gradients are clipped after \`optimizer\\.step\\(\\)\` \\(line ${stepLine + 1}\\): the update already used the unclipped gradients`));
  assert.equal(diagnostic.relatedInformation?.[0].location.range.start.line, stepLine);
  return diagnostic;
}

/** The step comes right after the clip, and nothing else moved. */
function assertClipBeforeStep(document: vscode.TextDocument, before: string): void {
  const clipLine = lineOf(document, 'clipGradNorm_(');
  assert.equal(document.lineAt(clipLine + 1).text, '  optimizer.step();');
  assert.equal(document.lineAt(clipLine).text, `  ${CLIP};`);
  assert.deepEqual(document.getText().split('\n').sort(), before.split('\n').sort(), 'the same lines, one moved');
}

const fileItem = (expected: string) => async () => {
  const api = await clipwise();
  return waitFor(`"Clipwise: this file" to say ${expected}`, () => (api.statusTexts().file.text === expected ? api.statusTexts().file : undefined));
};

describe('editor: TypeScript and JavaScript', function () {
  this.timeout(60_000);
  after(closeAllEditors);

  it('squiggles the clip after the step in a .ts file; hover, lens and the file item say so', async () => {
    const editor = await open('typescript/train.ts');
    assert.equal(editor.document.languageId, 'typescript');
    const diagnostic = await clipAfterStep(editor.document);
    const item = await fileItem('Clipwise: 1 finding')();
    assert.match(item.detail, /^checked in [\d.]+ ms$/);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, diagnostic.range.start.translate(0, 3));
    const hover = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hover, /CLP002 · clip-after-step/);
    assert.match(hover, /`clipGradNorm_` scales all gradients together/);
    assert.match(hover, /const clipCoef = Math\.min\(1\.0 \/ \(totalNorm \+ 1e-6\), 1\.0\);/);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const lens = lenses.find((l) => l.command?.command === 'clipwise.showInLab');
    assert.equal(lens?.range.start.line, diagnostic.range.start.line);
    const args = lens?.command?.arguments?.[0] as ShowInLabArgs | undefined;
    assert.deepEqual(args?.loop?.order.map((c) => c.call), ['zero_grad', 'backward', 'step', 'clip']);
  });

  it('the lightbulb’s preferred fix moves the clip before the step', async () => {
    const editor = await open('typescript/train.ts');
    const diagnostic = await clipAfterStep(editor.document);
    const before = editor.document.getText();
    const titles = (await codeActions(editor.document.uri, diagnostic.range)).map((a) => a.title);
    assert.ok(titles.includes('Disable CLP002 for this line'), titles.join(', '));
    // What choosing the lightbulb's preferred quick fix does, through the editor's own command.
    editor.selection = new vscode.Selection(diagnostic.range.start.translate(0, 3), diagnostic.range.start.translate(0, 3));
    await vscode.commands.executeCommand('editor.action.codeAction', { kind: vscode.CodeActionKind.QuickFix.value, preferred: true, apply: 'first' });
    await waitFor('the fix to be applied', () => editor.document.getText() !== before);
    assertClipBeforeStep(editor.document, before);
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 0, 'no diagnostics after the fix');
    await fileItem('Clipwise: no findings')();
    await revert(editor.document);
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 1, 'the finding again after revert');
  });

  it('fixes on save with source.fixAll.clipwise, and the file item follows', async () => {
    const editor = await open('typescript/save_me.ts');
    await clipAfterStep(editor.document);
    await fileItem('Clipwise: 1 finding')();
    // A real edit, so the save is not a no-op.
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// edited\n'));
    const before = editor.document.getText();
    assert.ok(await editor.document.save());
    assertClipBeforeStep(editor.document, before);
    assert.ok(!editor.document.isDirty, 'the fixed text is what was saved');
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 0, 'no diagnostics after save');
    await fileItem('Clipwise: no findings')();
  });

  it('checks a .js file as JavaScript, with the same finding and fix', async () => {
    const editor = await open('typescript/train.js');
    assert.equal(editor.document.languageId, 'javascript');
    const diagnostic = await clipAfterStep(editor.document);
    await fileItem('Clipwise: 1 finding')();
    const before = editor.document.getText();
    const fix = (await codeActions(editor.document.uri, diagnostic.range)).find((a) => a.isPreferred);
    assert.ok(fix?.edit, 'a preferred fix');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assertClipBeforeStep(editor.document, before);
    await diagnosticsWhen(editor.document.uri, (d) => d.length === 0, 'no diagnostics after the fix');
    await revert(editor.document);
  });
});

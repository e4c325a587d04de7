// The server across files: an open training script's findings follow its helpers in other
// modules; editing the helper (open in the editor, or on disk) checks the importer again; related
// information points into the helper's file.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, ExecuteCommandRequest, FileChangeType, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { ensureServerBuilt, LspClient, ROOT } from './lspClient';

const codesAt = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`).sort();

describe('protocol: analysis across files', function () {
  let client: LspClient;
  let dir: string;
  const uriOf = (name: string) => pathToFileURL(join(dir, name)).href;

  before(async function () {
    this.timeout(60000);
    ensureServerBuilt();
    dir = mkdtempSync(join(tmpdir(), 'clipwise-lsp-project-'));
    cpSync(join(ROOT, 'test', 'fixtures', 'projects', 'helpers'), dir, { recursive: true });
    client = await LspClient.start({ workspaceFolder: dir });
  });
  after(async () => {
    await client?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Check Workspace follows imports of files that are not open, with related locations into the helper', async () => {
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'clipwise.checkWorkspace' });
    const published = await client.diagnostics(uriOf('train.py'));
    assert.deepEqual(codesAt(published), ['11:CLP002', '26:CLP002']);
    const clipAll = published.diagnostics.find((d) => d.range.start.line === 10)!;
    assert.ok(clipAll.relatedInformation?.some((r) => r.location.uri === uriOf('utils.py')), JSON.stringify(clipAll.relatedInformation));
  });

  it('reports the misplaced call of a helper from another module, related to the clip in that module', async () => {
    const text = readFileSync(join(dir, 'train.py'), 'utf8');
    const since = client.published.length;
    await client.open(uriOf('train.py'), text);
    const published = await client.diagnostics(uriOf('train.py'), () => true, since);
    assert.deepEqual(codesAt(published), ['11:CLP002', '26:CLP002']);
    const clipAll = published.diagnostics.find((d) => d.range.start.line === 10)!;
    const inside = clipAll.relatedInformation?.find((r) => r.location.uri === uriOf('utils.py'));
    assert.ok(inside, JSON.stringify(clipAll.relatedInformation));
    assert.equal(inside.location.range.start.line, 4);
  });

  it('editing the open helper checks the importer again with the unsaved text, and closing it brings the disk back', async () => {
    const utils = readFileSync(join(dir, 'utils.py'), 'utf8');
    await client.open(uriOf('utils.py'), utils);
    await client.diagnostics(uriOf('utils.py'));
    let since = client.published.length;
    await client.replace(uriOf('utils.py'), 2, utils.replace('    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n\n\ndef bad_step', '    print(model)\n\n\ndef bad_step'));
    const rechecked = await client.diagnostics(uriOf('train.py'), () => true, since);
    assert.deepEqual(codesAt(rechecked), ['26:CLP002']);
    since = client.published.length;
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf('utils.py') } });
    const restored = await client.diagnostics(uriOf('train.py'), (p) => p.diagnostics.length === 2, since);
    assert.deepEqual(codesAt(restored), ['11:CLP002', '26:CLP002']);
  });

  it('a helper changed on disk (a watched file) checks the open importer again', async () => {
    const path = join(dir, 'utils.py');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace('    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n\n\ndef bad_step', '    print(model)\n\n\ndef bad_step'));
    const since = client.published.length;
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf('utils.py'), type: FileChangeType.Changed }] });
    const rechecked = await client.diagnostics(uriOf('train.py'), () => true, since);
    assert.deepEqual(codesAt(rechecked), ['26:CLP002']);
    writeFileSync(path, original);
  });
});

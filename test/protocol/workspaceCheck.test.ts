// "Check Workspace" fills the Problems panel for every training script on disk, with progress,
// skipping dependency folders and leaving open files to their live analysis.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExecuteCommandRequest, WorkDoneProgressCancelNotification } from 'vscode-languageserver-protocol/node';
import { ensureServerBuilt, LspClient, ROOT } from './lspClient';

const NOTEBOOK = {
  cells: [
    { cell_type: 'code', source: ['import torch\n', 'model = torch.nn.Linear(2, 1)\n', 'optimizer = torch.optim.SGD(model.parameters(), lr=0.1)'] },
    { cell_type: 'code', source: ['for x in data:\n', '    optimizer.zero_grad()\n', '    model(x).sum().backward()\n', '    optimizer.step()'] },
    { cell_type: 'code', source: ['torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)'] },
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
};

describe('protocol: check workspace', function () {
  let client: LspClient;
  let folder: string;
  const uri = (path: string) => pathToFileURL(join(folder, path)).href;

  before(async function () {
    this.timeout(60000);
    ensureServerBuilt();
    folder = mkdtempSync(join(tmpdir(), 'clipwise-ws-'));
    const fixtures = join(ROOT, 'test', 'protocol', 'fixtures');
    cpSync(join(fixtures, 'clip_after_step.py'), join(folder, 'train.py'));
    mkdirSync(join(folder, 'nested'));
    cpSync(join(fixtures, 'mixed_precision.py'), join(folder, 'nested', 'amp.py'));
    cpSync(join(fixtures, 'correct.py'), join(folder, 'nested', 'correct.py'));
    mkdirSync(join(folder, 'node_modules'));
    cpSync(join(fixtures, 'clip_after_step.py'), join(folder, 'node_modules', 'vendored.py'));
    writeFileSync(join(folder, 'explore.ipynb'), JSON.stringify(NOTEBOOK));
    writeFileSync(join(folder, 'broken.ipynb'), '{"cells": [');
    client = await LspClient.start({ workspaceFolder: folder });
  });
  after(async () => {
    await client?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('reports every script in the folder, with progress, and leaves open files alone', async () => {
    const open = join(folder, 'nested', 'correct.py');
    await client.open(pathToFileURL(open).href, 'import torch\n');
    const summary = (await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'clipwise.checkWorkspace' })) as { files: number; findings: number; skipped: number; cancelled: boolean };
    assert.deepEqual(summary, { files: 5, findings: 4, skipped: 1, cancelled: false });
    assert.deepEqual((await client.diagnostics(uri('train.py'))).diagnostics.map((d) => d.code), ['CLP002']);
    assert.deepEqual((await client.diagnostics(uri('nested/amp.py'))).diagnostics.map((d) => d.code).sort(), ['CLP003', 'CLP006']);
    const notebook = (await client.diagnostics(uri('explore.ipynb'))).diagnostics;
    assert.deepEqual(notebook.map((d) => d.code), ['CLP002']);
    assert.match(String(notebook[0].message), /^cell 3, line 1: /);
    assert.ok(!client.published.some((p) => p.uri.includes('node_modules')));
    assert.equal(client.progress[0].kind, 'begin');
    assert.equal(client.progress[0].cancellable, true);
    assert.equal(client.progress.at(-1)?.kind, 'end');
  });

  it('clears what an earlier check said about a file that was fixed on disk', async () => {
    cpSync(join(ROOT, 'test', 'protocol', 'fixtures', 'correct.py'), join(folder, 'train.py'));
    const since = client.published.length;
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'clipwise.checkWorkspace' });
    assert.deepEqual((await client.diagnostics(uri('train.py'), () => true, since)).diagnostics, []);
  });

  it('checks TypeScript and JavaScript files, counts only what it checked, and counts open files’ findings', async () => {
    const example = join(ROOT, 'examples', 'engine_clip_after_step.ts');
    mkdirSync(join(folder, 'ts'));
    cpSync(example, join(folder, 'ts', 'loop.ts'));
    cpSync(example, join(folder, 'ts', 'loop.js'));
    const check = async () => (await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'clipwise.checkWorkspace' })) as { files: number; findings: number };
    // train.py is correct now; amp.py has 2 findings, the notebook 1, each TypeScript copy 1.
    assert.deepEqual(await check(), { files: 7, findings: 5, skipped: 1, cancelled: false });
    const line = (await client.diagnostics(uri('ts/loop.ts'))).diagnostics.map((d) => [d.code, d.range.start.line]);
    assert.deepEqual(line, [['CLP002', 14]]);
    assert.deepEqual((await client.diagnostics(uri('ts/loop.js'))).diagnostics.map((d) => d.code), ['CLP002']);

    // JavaScript turned off: loop.js is neither reported nor counted as checked.
    await client.changeSettings({ languages: ['python', 'typescript'] });
    const since = client.published.length;
    assert.deepEqual(await check(), { files: 6, findings: 4, skipped: 1, cancelled: false });
    assert.deepEqual((await client.diagnostics(uri('ts/loop.js'), () => true, since)).diagnostics, []);

    // An open file counts with the findings the editor shows for it.
    await client.open(uri('ts/loop.ts'), readFileSync(example, 'utf8'), 'typescript');
    await client.diagnostics(uri('ts/loop.ts'), (p) => p.version === 1);
    assert.deepEqual(await check(), { files: 6, findings: 4, skipped: 1, cancelled: false });
    await client.changeSettings({});
  });

  it('stops when the progress is cancelled, keeping what it found so far', async () => {
    const many = join(folder, 'many');
    mkdirSync(many);
    for (let i = 0; i < 400; i++) cpSync(join(ROOT, 'test', 'protocol', 'fixtures', 'clip_after_step.py'), join(many, `script_${String(i).padStart(3, '0')}.py`));
    const reports = client.progress.length;
    const running = client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'clipwise.checkWorkspace' });
    // Cancel as soon as the check reports its first file, as the Cancel button would.
    const deadline = Date.now() + 5000;
    while (!client.progress.slice(reports).some((p) => p.kind === 'report') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    await client.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token: client.progressTokens.at(-1)! });
    const summary = (await running) as { files: number; cancelled: boolean };
    assert.equal(summary.cancelled, true);
    assert.ok(summary.files > 0 && summary.files < 405, `stopped after ${summary.files} files`);
    assert.equal(client.progress.at(-1)?.kind, 'end');
  });
});

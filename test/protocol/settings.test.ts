// Settings are pulled per resource and apply without a restart: per-rule severity and off,
// enable, languages, and running on save instead of on type.
import assert from 'node:assert/strict';
import { DiagnosticSeverity, DidSaveTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { LspClient, serverForSuite } from './lspClient';
import { fixture } from './fixtures';

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

describe('protocol: settings', function () {
  let client: LspClient;
  serverForSuite((started) => (client = started));

  it('applies per-rule severity, off, enable and languages as soon as they change', async () => {
    const { uri, text } = fixture('clip_after_step.py');
    await client.open(uri, text);
    assert.equal((await client.diagnostics(uri)).diagnostics[0].severity, DiagnosticSeverity.Error);

    let since = client.published.length;
    await client.changeSettings({ rules: { CLP002: 'info', clp001: 'nonsense' } });
    const info = await client.diagnostics(uri, () => true, since);
    assert.equal(info.diagnostics[0].severity, DiagnosticSeverity.Information);

    since = client.published.length;
    await client.changeSettings({ rules: { CLP002: 'off' } });
    assert.deepEqual((await client.diagnostics(uri, () => true, since)).diagnostics, []);

    since = client.published.length;
    await client.changeSettings({});
    assert.equal((await client.diagnostics(uri, () => true, since)).diagnostics.length, 1);

    since = client.published.length;
    await client.changeSettings({ enable: false });
    assert.deepEqual((await client.diagnostics(uri, () => true, since)).diagnostics, []);

    since = client.published.length;
    await client.changeSettings({ languages: ['typescript'] });
    await settle();
    assert.ok(client.published.slice(since).every((p) => p.diagnostics.length === 0));

    since = client.published.length;
    await client.changeSettings({ enable: 'yes please', languages: 'python' });
    assert.equal((await client.diagnostics(uri, () => true, since)).diagnostics.length, 1, 'malformed settings fall back to defaults');
  });

  it('with run: onSave, analyses on open and save but not while typing', async () => {
    await client.changeSettings({ run: 'onSave' });
    const { uri, text } = fixture('correct.py');
    await client.open(uri, text);
    assert.deepEqual((await client.diagnostics(uri)).diagnostics, []);
    const broken = text.replace(/(\s+)(torch\.nn\.utils\.clip_grad_norm_\(.*\))\n(\s+optimizer\.step\(\))/, '$1__STEP__\n$1$2').replace('__STEP__', 'optimizer.step()');
    assert.notEqual(broken, text);
    const since = client.published.length;
    await client.replace(uri, 2, broken);
    await settle();
    assert.equal(client.published.slice(since).filter((p) => p.uri === uri).length, 0, 'no analysis while typing');
    await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
    const saved = await client.diagnostics(uri, () => true, since);
    assert.equal(saved.version, 2);
    assert.deepEqual(saved.diagnostics.map((d) => d.code), ['CLP002']);
    await client.changeSettings({});
  });
});

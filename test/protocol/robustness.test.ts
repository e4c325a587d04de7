// The server never dies from bad input, and shows only the newest result: binary text, huge and
// deeply nested files, malformed JSON-RPC, bad parameters, and ten edits in a burst.
import assert from 'node:assert/strict';
import { HoverRequest, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { LspClient, serverForSuite } from './lspClient';
import { fixture } from './fixtures';

async function alive(client: LspClient): Promise<void> {
  assert.equal(client.child.exitCode, null, 'server process still running');
  const { uri, text } = fixture('clip_after_step.py');
  await client.open(uri, text);
  assert.equal((await client.diagnostics(uri)).diagnostics.length, 1, 'and still analysing');
}

describe('protocol: robustness', function () {
  let client: LspClient;
  serverForSuite((started) => (client = started), { debounceMs: 150 });

  it('publishes only the last of ten rapid edits', async () => {
    const { uri, text } = fixture('correct.py');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const since = client.published.length;
    for (let version = 2; version <= 11; version++) {
      // Each edit moves the clip one way or the other; only the last text (clip after step) counts.
      const edited = version % 2 ? text.replace(/( +)(torch\.nn\.utils\.clip_grad_norm_\(.*\))\n( +optimizer\.step\(\))/, '$3\n$1$2') : text;
      await client.replace(uri, version, edited + '\n'.repeat(version));
    }
    const last = await client.diagnostics(uri, (p) => p.version === 11, since);
    await new Promise((r) => setTimeout(r, 400));
    const forUri: PublishDiagnosticsParams[] = client.published.slice(since).filter((p) => p.uri === uri);
    assert.deepEqual(forUri.map((p) => p.version), [11]);
    assert.deepEqual(last.diagnostics.map((d) => d.code), ['CLP002']);
  });

  it('survives binary, non-UTF-8, huge, deeply nested and half-typed files', async () => {
    const inputs = [
      '\u0000\u0001\u0002binary\u0000'.repeat(1000),
      '\uFFFD\uFFFD\uD800 not text \uDFFF'.repeat(500),
      'for x in y:\n    loss.backward(\n    optimizer.step(\n    torch.nn.utils.clip_grad_norm_(',
      Array.from({ length: 300 }, (_, i) => ' '.repeat(i) + 'if x:').join('\n'),
      '(' .repeat(50000),
      'x = 1\n'.repeat(100000),
      '"""'.repeat(3) + "'''\n" + '\\'.repeat(1000),
    ];
    for (const [i, text] of inputs.entries()) {
      const uri = `file:///virtual/garbage-${i}.py`;
      await client.open(uri, text);
      await client.diagnostics(uri, () => true, 0, 15000);
    }
    await alive(client);
  });

  it('survives malformed JSON-RPC, bad parameters and unknown methods', async () => {
    const stdin = client.child.stdin!;
    const raw = (body: string) => stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    raw('{this is not json');
    raw(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: null } }));
    raw(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: 'file:///never-opened.py', version: 3 }, contentChanges: [{ text: 'x' }] } }));
    raw(JSON.stringify({ jsonrpc: '2.0', method: 'notebookDocument/didChange', params: { notebookDocument: { uri: 'file:///none.ipynb', version: 2 }, change: {} } }));
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///never-opened.py' }, position: { line: -5, character: 1e9 } });
    assert.equal(hover, null);
    await assert.rejects(client.connection.sendRequest('clipwise/noSuchMethod', {}));
    const actions = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: 42 }, range: null, context: null });
    assert.deepEqual(actions, []);
    await alive(client);
  });
});

// The server as any LSP editor sees it: diagnostics with code, link, severity and related
// information; hovers that explain the clip; lenses that open the Lab.
import assert from 'node:assert/strict';
import { DiagnosticSeverity, HoverRequest, CodeLensRequest, type Hover, type CodeLens } from 'vscode-languageserver-protocol/node';
import { LspClient, serverForSuite } from './lspClient';
import { fixture, lineOf } from './fixtures';
import type { ShowInLabArgs } from '../../server/protocol';

describe('protocol: diagnostics, hovers, lenses', function () {
  let client: LspClient;
  serverForSuite((started) => (client = started));

  it('initializes with what it offers: sync for files and notebooks, code actions, hovers, lenses, a command', () => {
    const result = client.initializeResult!;
    assert.equal(result.serverInfo?.name, 'clipwise');
    const capabilities = result.capabilities;
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.clipwise'] });
    assert.equal(capabilities.hoverProvider, true);
    assert.ok(capabilities.codeLensProvider);
    assert.ok(capabilities.notebookDocumentSync);
    assert.deepEqual(capabilities.executeCommandProvider?.commands, ['clipwise.checkWorkspace']);
  });

  it('publishes a finding with code, documentation link, severity and related step', async () => {
    const { uri, text } = fixture('clip_after_step.py');
    await client.open(uri, text);
    const published = await client.diagnostics(uri);
    assert.equal(published.version, 1);
    assert.equal(published.diagnostics.length, 1);
    const [d] = published.diagnostics;
    assert.equal(d.source, 'clipwise');
    assert.equal(d.code, 'CLP002');
    assert.match(d.codeDescription!.href, /CLP002/);
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, lineOf(text, 'torch.nn.utils.clip_grad_norm_('));
    assert.equal(d.relatedInformation?.length, 1);
    assert.equal(d.relatedInformation![0].location.uri, uri);
    assert.equal(d.relatedInformation![0].location.range.start.line, lineOf(text, 'optimizer.step()'));
    // No edits travel with a diagnostic (code actions take them from the server's analysis): data names the version.
    assert.deepEqual(d.data, { version: 1 });
  });

  it('publishes nothing for correct code, nor for TypeScript without known training calls', async () => {
    const correct = fixture('correct.py');
    await client.open(correct.uri, correct.text);
    assert.deepEqual((await client.diagnostics(correct.uri)).diagnostics, []);
    // Not an import of a clip, and no optimizer: nothing to report.
    const ts = { uri: 'file:///virtual/untyped.ts', text: 'env.step();\nclipGradNorm_(params, 1.0);\n' };
    await client.open(ts.uri, ts.text, 'typescript');
    assert.deepEqual((await client.diagnostics(ts.uri)).diagnostics, []);
  });

  it('explains a clip call on hover: what PyTorch computes and the finding', async () => {
    const { uri, text } = fixture('clip_after_step.py');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const line = lineOf(text, 'torch.nn.utils.clip_grad_norm_(');
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 30 } })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /CLP002/);
    assert.match(value, /clip_coef = 1\.0 \/ \(total_norm \+ 1e-6\)/);
    assert.match(value, /min\(clip_coef, 1\.0\)/);
    assert.match(value, /total_norm/);
    const nothing = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 0 } });
    assert.equal(nothing, null);
  });

  it('puts "Show in Gradient Lab" over each clip call and finding, with the loop order', async () => {
    const { uri, text } = fixture('clip_after_step.py');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0].command?.command, 'clipwise.showInLab');
    assert.equal(lenses[0].command?.title, 'Show in Gradient Lab');
    const args = lenses[0].command!.arguments![0] as ShowInLabArgs;
    assert.equal(args.code, 'CLP002');
    assert.deepEqual(args.loop?.order.map((c) => c.call), ['zero_grad', 'backward', 'step', 'clip']);
    assert.equal(args.loop?.clip?.threshold, 1);
  });
});

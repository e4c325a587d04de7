// The server on TypeScript and JavaScript documents: findings with their related step, a quick
// fix in TypeScript syntax, and `clipwise.languages` deciding which of the two is checked.
import assert from 'node:assert/strict';
import { CodeActionRequest, type CodeAction } from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../analysis/edits';
import { LspClient, editsFor, serverForSuite } from './lspClient';

const TEXT = `import { SGD, clipGradNorm_ } from 'clipwise/engine';

const optimizer = new SGD(model.parameters(), { lr: 0.1 });
for (const batch of batches) {
  optimizer.zeroGrad();
  model.loss(batch).backward();
  optimizer.step();
  clipGradNorm_(model.parameters(), 1.0);
}
`;

describe('protocol: TypeScript and JavaScript documents', function () {
  let client: LspClient;
  serverForSuite((started) => (client = started));

  it('publishes CLP002 on a .ts document, related to the step, and fixes it with semicolons kept', async () => {
    const uri = 'file:///virtual/train.ts';
    await client.open(uri, TEXT, 'typescript');
    const { diagnostics } = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['CLP002', 7]]);
    assert.equal(diagnostics[0].relatedInformation?.[0].location.range.start.line, 6);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } })) as CodeAction[];
    const move = actions.find((a) => /Move the clip/.test(a.title));
    assert.ok(move, actions.map((a) => a.title).join(', '));
    const fixed = applyEdits(TEXT, editsFor(move, uri));
    assert.equal(fixed, TEXT.replace('  optimizer.step();\n  clipGradNorm_(model.parameters(), 1.0);\n', '  clipGradNorm_(model.parameters(), 1.0);\n  optimizer.step();\n'));
  });

  it('checks JavaScript documents unless `clipwise.languages` leaves javascript out', async () => {
    const uri = 'file:///virtual/train.mjs';
    await client.open(uri, TEXT, 'javascript');
    assert.deepEqual((await client.diagnostics(uri)).diagnostics.map((d) => d.code), ['CLP002']);
    await client.changeSettings({ languages: ['python', 'typescript'] });
    const cleared = await client.diagnostics(uri, (p) => p.diagnostics.length === 0);
    assert.deepEqual(cleared.diagnostics, []);
    await client.changeSettings({});
  });
});

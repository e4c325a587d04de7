// The server on TypeScript and JavaScript documents: findings with their related step, a quick
// fix in TypeScript syntax, "Add gradient clipping before this step" on an engine optimizer's
// step (through the file's import of the engine), and `clipwise.languages` deciding which of the
// two is checked.
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

  it('offers "Add gradient clipping before this step" on an engine step, adding the clip to the engine import', async () => {
    const text = `import { Linear, SGD, mseLoss } from 'clipwise/engine';

const model = new Linear(4, 1);
const optimizer = new SGD(model.parameters(), { lr: 0.05 });

for (let epoch = 0; epoch < 100; epoch++) {
  optimizer.zeroGrad();
  mseLoss(model.forward(x), y).backward();
  optimizer.step();
}
`;
    const uri = 'file:///virtual/unclipped.ts';
    await client.open(uri, text, 'typescript');
    assert.deepEqual((await client.diagnostics(uri)).diagnostics, []);
    const line = text.split('\n').indexOf('  optimizer.step();');
    const cursor = { start: { line, character: 4 }, end: { line, character: 4 } };
    const [add] = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: cursor, context: { diagnostics: [] } })) as CodeAction[];
    assert.equal(add?.title, 'Add gradient clipping before this step');
    const clipped = applyEdits(text, editsFor(add, uri));
    assert.equal(
      clipped,
      text
        .replace("import { Linear, SGD, mseLoss } from", "import { Linear, SGD, mseLoss, clipGradNorm_ } from")
        .replace('  optimizer.step();', '  clipGradNorm_(optimizer.params, 1.0);\n  optimizer.step();'),
    );
    // The clipped loop type-checks as the engine declares it and is clean.
    const since = client.published.length;
    await client.replace(uri, 2, clipped);
    assert.deepEqual((await client.diagnostics(uri, (p) => p.version === 2, since)).diagnostics, []);
    const again = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: line + 1, character: 4 }, end: { line: line + 1, character: 4 } }, context: { diagnostics: [] } })) as CodeAction[];
    assert.deepEqual(again.map((a) => a.title), [], 'a clipped step is offered nothing');
  });

  it('offers no clip insertion where the optimizer is not the engine’s (TensorFlow.js, js-pytorch, a parameter)', async () => {
    const text = `import { SGD } from 'clipwise/engine';
const torch = require('js-pytorch');

export function fromParameter(optimizer: SGD, model: Model) {
  model.loss().backward();
  optimizer.step();
}

export function jsPytorch(model: Model) {
  const optimizer = new torch.optim.Adam(model.parameters(), 1e-3);
  model.loss().backward();
  optimizer.step();
}
`;
    const uri = 'file:///virtual/others.ts';
    await client.open(uri, text, 'typescript');
    await client.diagnostics(uri);
    for (const [i, l] of text.split('\n').entries()) {
      if (!l.includes('optimizer.step()')) continue;
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: i, character: 4 }, end: { line: i, character: 4 } }, context: { diagnostics: [] } })) as CodeAction[];
      assert.deepEqual(actions.map((a) => a.title), [], `line ${i + 1}`);
    }
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

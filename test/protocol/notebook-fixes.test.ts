// A notebook cell's fix through the protocol leaves the cell as the CLI's --fix does: no empty
// line added at the end of a cell whose last line moved (the separator line the server puts
// after each cell is never part of an edit's result).
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DidOpenNotebookDocumentNotification, NotebookCellKind } from 'vscode-languageserver-protocol/node';
import { editsFor, LspClient, serverForSuite } from './lspClient';
import { fixNotebook } from '../../server/workspace/fix-file';
import { parseNotebook } from '../../server/workspace/notebook-file';

const NOTEBOOK = 'file:///virtual/fixes.ipynb';
const cellUri = (i: number) => `vscode-notebook-cell:/virtual/fixes.ipynb#cell${i}`;
// The clip is the cell's last line, with no line break after it (as an editor's cell holds it).
const SETUP = 'import torch\nmodel = torch.nn.Linear(2, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)';
const LOOP = 'for x in batches:\n    model(x).sum().backward()\n    optimizer.step()\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)';

describe('protocol: notebook fixes', function () {
  let client: LspClient;
  serverForSuite((started) => (client = started));

  it('a fix that moves a cell\'s last line adds no empty line (the same cell as --fix writes)', async () => {
    const cells = [SETUP, LOOP];
    await client.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: { uri: NOTEBOOK, notebookType: 'jupyter-notebook', version: 1, cells: cells.map((_, i) => ({ kind: NotebookCellKind.Code, document: cellUri(i) })) },
      cellTextDocuments: cells.map((text, i) => ({ uri: cellUri(i), languageId: 'python', version: 1, text })),
    });
    const published = await client.diagnostics(cellUri(1), (p) => p.diagnostics.length > 0);
    const [d] = published.diagnostics;
    assert.ok(d, JSON.stringify(published.diagnostics));
    const [fix] = (await client.codeActions(cellUri(1), d.range, [d])).filter((a) => a.isPreferred);
    assert.ok(fix, 'a quick fix is offered');
    const fixed = TextDocument.applyEdits(TextDocument.create(cellUri(1), 'python', 1, LOOP), editsFor(fix, cellUri(1)));

    const json = JSON.stringify({ cells: cells.map((source) => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source })), metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
    const cli = parseNotebook(fixNotebook(json).text).cells[1].source;
    assert.equal(cli, 'for x in batches:\n    model(x).sum().backward()\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n    optimizer.step()');
    assert.equal(fixed, cli);
  });
});

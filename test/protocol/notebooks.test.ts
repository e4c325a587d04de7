// Notebooks through LSP notebook sync: the code cells are one program, so a clip in one cell
// after the step in another is found, reported on the clip's cell, and related to the step's cell.
import assert from 'node:assert/strict';
import {
  DidChangeNotebookDocumentNotification,
  DidCloseNotebookDocumentNotification,
  DidOpenNotebookDocumentNotification,
  HoverRequest,
  NotebookCellKind,
  type Hover,
} from 'vscode-languageserver-protocol/node';
import { LspClient, serverForSuite } from './lspClient';

const NOTEBOOK = 'file:///virtual/train.ipynb';
const cellUri = (i: number) => `vscode-notebook-cell:/virtual/train.ipynb#cell${i}`;
const CELLS: Array<{ kind: NotebookCellKind; languageId: string; text: string }> = [
  { kind: NotebookCellKind.Code, languageId: 'python', text: 'import torch\nmodel = torch.nn.Linear(2, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n%matplotlib inline' },
  { kind: NotebookCellKind.Markup, languageId: 'markdown', text: '# Train\nThe loop, then clipping.' },
  { kind: NotebookCellKind.Code, languageId: 'python', text: 'for x in batches:\n    optimizer.zero_grad()\n    model(x).sum().backward()\n    optimizer.step()' },
  { kind: NotebookCellKind.Code, languageId: 'python', text: 'torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)' },
];

describe('protocol: notebooks', function () {
  let client: LspClient;
  serverForSuite((started) => (client = started));

  it('finds a clip-after-step split across cells and maps it to the cells involved', async () => {
    await client.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: { uri: NOTEBOOK, notebookType: 'jupyter-notebook', version: 1, cells: CELLS.map((c, i) => ({ kind: c.kind, document: cellUri(i) })) },
      cellTextDocuments: CELLS.map((c, i) => ({ uri: cellUri(i), languageId: c.languageId, version: 1, text: c.text })),
    });
    const clipCell = await client.diagnostics(cellUri(3), (p) => p.diagnostics.length > 0);
    const [d] = clipCell.diagnostics;
    assert.equal(d.code, 'CLP002');
    assert.deepEqual(d.range.start, { line: 0, character: 0 });
    assert.equal(d.relatedInformation?.[0].location.uri, cellUri(2));
    assert.equal(d.relatedInformation?.[0].location.range.start.line, 3);
    const loopCell = await client.diagnostics(cellUri(2));
    assert.deepEqual(loopCell.diagnostics, []);
    assert.ok(!client.published.some((p) => p.uri === cellUri(1)), 'markdown cells get no diagnostics');

    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: cellUri(3) }, position: { line: 0, character: 5 } })) as Hover;
    assert.match((hover.contents as { value: string }).value, /clip_coef = 0\.5 \/ \(total_norm \+ 1e-6\)/);

    const [fix] = (await client.codeActions(cellUri(3), d.range, [d])).filter((a) => a.isPreferred);
    assert.equal(fix, undefined, 'a fix that would move code across cells is not offered');
  });

  it('clears a cell when the mistake is edited away, and everything on close', async () => {
    const since = client.published.length;
    await client.connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: NOTEBOOK, version: 2 },
      change: {
        cells: {
          textContent: [
            {
              document: { uri: cellUri(3), version: 2 },
              changes: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# ' }],
            },
          ],
        },
      },
    });
    const cleared = await client.diagnostics(cellUri(3), (p) => p.version === 2, since);
    assert.deepEqual(cleared.diagnostics, []);
    await client.connection.sendNotification(DidCloseNotebookDocumentNotification.type, {
      notebookDocument: { uri: NOTEBOOK },
      cellTextDocuments: CELLS.map((_, i) => ({ uri: cellUri(i) })),
    });
  });
});

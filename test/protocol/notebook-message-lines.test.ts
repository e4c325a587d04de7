// Lines named inside a notebook finding's message are the lines the user sees: the cell's own
// line in the editor (each cell is its own document), the same in the CLI's output.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DidOpenNotebookDocumentNotification, NotebookCellKind } from 'vscode-languageserver-protocol/node';
import { LspClient, serverForSuite } from './lspClient';
import { buildOnce, ROOT, runCli } from '../cli/run-cli';

const EXAMPLE = join(ROOT, 'examples', 'rnn_notebook.ipynb');
const NOTEBOOK = 'file:///virtual/rnn_notebook.ipynb';
const cellUri = (i: number) => `vscode-notebook-cell:/virtual/rnn_notebook.ipynb#cell${i}`;

interface JupyterCell {
  cell_type: string;
  source: string | string[];
}

describe('notebook messages name lines as the user sees them', function () {
  this.timeout(60_000);
  let client: LspClient;
  serverForSuite((started) => (client = started));
  before(() => buildOnce());

  const cells = (JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { cells: JupyterCell[] }).cells.map((c) => ({
    code: c.cell_type === 'code',
    text: Array.isArray(c.source) ? c.source.join('') : c.source,
  }));
  const loopCell = cells.findIndex((c) => c.text.includes('optimizer.step()'));
  const stepLine = cells[loopCell].text.split('\n').findIndex((l) => l.trim() === 'optimizer.step()');

  it('in the editor: CLP002 in rnn_notebook.ipynb says the step is on the cell line it is on', async () => {
    await client.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: {
        uri: NOTEBOOK,
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: cells.map((c, i) => ({ kind: c.code ? NotebookCellKind.Code : NotebookCellKind.Markup, document: cellUri(i) })),
      },
      cellTextDocuments: cells.map((c, i) => ({ uri: cellUri(i), languageId: c.code ? 'python' : 'markdown', version: 1, text: c.text })),
    });
    const published = await client.diagnostics(cellUri(loopCell), (p) => p.diagnostics.length > 0);
    const clp002 = published.diagnostics.find((d) => d.code === 'CLP002');
    assert.ok(clp002, 'CLP002 on the loop cell');
    const related = clp002.relatedInformation?.find((r) => r.location.range.start.line === stepLine);
    assert.ok(related, 'the related location is the step');
    const message = typeof clp002.message === 'string' ? clp002.message : clp002.message.value;
    assert.match(message, new RegExp(`\\bline ${stepLine + 1}\\b`));
    assert.doesNotMatch(message, /\bcell \d+, line\b/);
  });

  it('in the CLI: the same line of the same cell', () => {
    const run = runCli(['check', '--format', 'json', '--exit-zero', EXAMPLE]);
    const { findings } = JSON.parse(run.stdout) as { findings: Array<{ code: string; cell: number; message: string }> };
    const clp002 = findings.find((f) => f.code === 'CLP002');
    assert.ok(clp002);
    assert.equal(clp002.cell, loopCell);
    assert.match(clp002.message, new RegExp(`\\bline ${stepLine + 1}\\b`));
  });
});

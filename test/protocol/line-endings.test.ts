// Edits from the editor keep the document's own line ending, as `clipwise check --fix` keeps the
// file's: a CR-only or CRLF document gets no bare \n from a quick fix, fix-all (what fix-on-save
// applies), "Add gradient clipping" or "Disable CLPxxx for this line" (which in TypeScript inserts
// a comment line). The bytes after fix-all are the bytes `--fix` writes for the same file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import { editsFor, LspClient, serverForSuite } from './lspClient';
import { fixture } from './fixtures';
import { buildOnce, runCli } from '../cli/run-cli';

const ENDINGS = { 'CR-only': '\r', CRLF: '\r\n' } as const;
const WHOLE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The line breaks of a text other than `eol`, by kind (empty when every break is `eol`). */
function otherBreaks(text: string, eol: string): string[] {
  return (text.match(/\r\n|\r|\n/g) ?? []).filter((b) => b !== eol).map((b) => JSON.stringify(b));
}

const apply = (text: string, action: CodeAction | undefined, uri: string, language = 'python') => {
  assert.ok(action, 'the action');
  return TextDocument.applyEdits(TextDocument.create(uri, language, 1, text), editsFor(action, uri));
};

/** What `clipwise check --fix` writes for these bytes. */
function cliFix(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'clipwise-eol-'));
  try {
    const file = join(dir, name);
    writeFileSync(file, text);
    const run = runCli(['check', '--fix', '--exit-zero', file]);
    assert.equal(run.status, 0, run.stderr);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('protocol: edits keep the document’s line endings', function () {
  this.timeout(60_000);
  let client: LspClient;
  serverForSuite((started) => (client = started));
  before(() => buildOnce());

  for (const [name, eol] of Object.entries(ENDINGS)) {
    it(`${name} Python: the quick fix, fix-all and --fix give the same bytes, all in ${JSON.stringify(eol)}`, async () => {
      const { uri, text: lf } = fixture('clip_after_step.py');
      const text = lf.replace(/\n/g, eol);
      await client.open(uri, text);
      const diagnostics = (await client.diagnostics(uri)).diagnostics;
      assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['CLP002', 14]]);

      const quick = apply(text, (await client.codeActions(uri, diagnostics[0].range, diagnostics)).find((a) => a.isPreferred), uri);
      assert.deepEqual(otherBreaks(quick, eol), [], 'the quick fix inserts no other line break');
      const lines = quick.split(eol);
      assert.equal(lines[13].trim(), 'torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)');
      assert.equal(lines[14].trim(), 'optimizer.step()');

      const all = apply(text, (await client.codeActions(uri, WHOLE, [], ['source.fixAll']))[0], uri);
      assert.equal(all, quick, 'fix-all makes the one fix');
      assert.equal(all, cliFix('train.py', text), 'the editor writes what --fix writes');
    });

    it(`${name} Python: "Add gradient clipping" (with unscale_) keeps ${JSON.stringify(eol)}`, async () => {
      const { uri, text: lf } = fixture('unclipped.py');
      const text = lf.replace(/\n/g, eol);
      await client.open(uri, text);
      await client.diagnostics(uri);
      const stepLine = text.split(eol).findIndex((l) => l.trim() === 'scaler.step(optimizer)');
      const actions = await client.codeActions(uri, { start: { line: stepLine, character: 8 }, end: { line: stepLine, character: 8 } }, []);
      const added = apply(text, actions.find((a) => a.title.startsWith('Add gradient clipping')), uri);
      assert.deepEqual(otherBreaks(added, eol), []);
      assert.equal(added.split(eol)[stepLine].trim(), 'scaler.unscale_(optimizer)');
      assert.match(added.split(eol)[stepLine + 1], /clip_grad_norm_\(/);
      assert.equal(added.split(eol)[stepLine + 2].trim(), 'scaler.step(optimizer)');
    });

    it(`${name} TypeScript: the quick fix, fix-all, --fix and the ignore-next-line comment keep ${JSON.stringify(eol)}`, async () => {
      const lf = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'engine_clip_after_step.ts'), 'utf8');
      const text = lf.replace(/\n/g, eol);
      const uri = pathToFileURL(join(tmpdir(), `eol-${name}.ts`)).href;
      await client.open(uri, text, 'typescript');
      const diagnostics: Diagnostic[] = (await client.diagnostics(uri)).diagnostics;
      assert.deepEqual(diagnostics.map((d) => d.code), ['CLP002']);
      const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
      const quick = apply(text, actions.find((a) => a.isPreferred), uri, 'typescript');
      assert.deepEqual(otherBreaks(quick, eol), []);
      assert.ok(quick.indexOf('clipGradNorm_(model') < quick.indexOf('optimizer.step();'));
      const all = apply(text, (await client.codeActions(uri, WHOLE, [], ['source.fixAll']))[0], uri, 'typescript');
      assert.equal(all, quick);
      assert.equal(all, cliFix('train.ts', text));
      const disabled = apply(text, actions.find((a) => a.title === 'Disable CLP002 for this line'), uri, 'typescript');
      assert.deepEqual(otherBreaks(disabled, eol), []);
      assert.match(disabled, new RegExp(`${eol === '\r' ? '\\r' : '\\r\\n'} +// clipwise-ignore-next-line CLP002${eol === '\r' ? '\\r' : '\\r\\n'} +clipGradNorm_`));
    });
  }

  it('a mixed document takes the ending most of its lines use, as --fix does', async () => {
    const { uri, text: lf } = fixture('clip_after_step.py');
    // Every line CR-only but the first.
    const text = lf.replace('\n', '\u0000').replace(/\n/g, '\r').replace('\u0000', '\n');
    await client.open(uri, text);
    const [diagnostic] = (await client.diagnostics(uri)).diagnostics;
    const quick = apply(text, (await client.codeActions(uri, diagnostic.range, [diagnostic])).find((a) => a.isPreferred), uri);
    assert.equal((quick.match(/\n/g) ?? []).length, 1, 'only the first line ends in \\n');
    assert.equal(quick, cliFix('mixed.py', text));
  });
});

// One definition of "safe": on examples/accelerate_loop.py the CLP011 fix that the JSON calls
// fixable is what fix-all (source.fixAll.clipwise, what fix-on-save asks for) and `--fix` apply.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { editsFor, LspClient, serverForSuite } from './lspClient';
import { buildOnce, ROOT, runCli } from '../cli/run-cli';

const EXAMPLE = join(ROOT, 'examples', 'accelerate_loop.py');

describe('safe fixes: one definition for fix-all, fix-on-save, --fix and JSON', function () {
  this.timeout(60_000);
  let client: LspClient;
  serverForSuite((started) => (client = started));
  before(() => buildOnce());

  it('fix-all applies the CLP011 fix of accelerate_loop.py that the JSON calls fixable', async () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const json = JSON.parse(runCli(['check', '--format', 'json', '--exit-zero', EXAMPLE]).stdout) as { findings: Array<{ code: string; fixable: boolean }> };
    const clp011 = json.findings.filter((f) => f.code === 'CLP011');
    assert.equal(clp011.length, 1);
    assert.equal(clp011[0].fixable, true);

    const uri = pathToFileURL(EXAMPLE).href + '?safe';
    await client.open(uri, text);
    await client.diagnostics(uri);
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await client.codeActions(uri, whole, [], ['source.fixAll']);
    assert.equal(actions.length, 1, 'a fix-all action');
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, text), editsFor(actions[0], uri));
    assert.match(fixed, /^ +accelerator\.clip_grad_norm_\(model\.parameters\(\), 1\.0\)$/m);
    assert.doesNotMatch(fixed, /torch\.nn\.utils\.clip_grad_norm_/);

    // `--fix` on a copy writes the same text.
    const dir = mkdtempSync(join(tmpdir(), 'clipwise-safe-'));
    try {
      const copy = join(dir, 'accelerate_loop.py');
      copyFileSync(EXAMPLE, copy);
      const run = runCli(['check', '--fix', '--exit-zero', copy]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /CLP011/);
      assert.equal(readFileSync(copy, 'utf8'), fixed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

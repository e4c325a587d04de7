// The CLI end to end as a process: exit codes, output formats, fixes on a copy, configuration.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULE_CODES } from '../../analysis/rules/catalogue';
import { buildOnce, runCli, ROOT } from './run-cli';

const EXAMPLES = join(ROOT, 'examples');

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  name: string;
  severity: string;
  message: string;
  fixable: boolean;
  cell?: number;
}

describe('clipwise CLI (as a process)', function () {
  this.timeout(60_000);
  let work: string;
  before(() => {
    buildOnce();
    work = mkdtempSync(join(tmpdir(), 'clipwise-cli-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('exits 1 with findings, printing path:line:col: CODE message and a summary', () => {
    const run = runCli(['check', 'examples']);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^examples\/mnist_clip_after_step\.py:33:13: CLP002 /m);
    assert.match(run.stdout, /^examples\/rnn_notebook\.ipynb:cell 3:9:5: CLP002 /m);
    assert.match(run.stdout, /Found \d+ findings in \d+ of \d+ files\./);
  });

  it('exits 0 on correct code', () => {
    const run = runCli(['check', 'examples/correct']);
    assert.equal(run.status, 0, run.stdout);
    assert.match(run.stdout, /All clear/);
  });

  it('exits 2 on usage and I/O errors', () => {
    assert.equal(runCli(['check', '--format', 'xml', 'examples']).status, 2);
    assert.equal(runCli(['check', '--bogus']).status, 2);
    assert.equal(runCli(['frobnicate']).status, 2);
    // `--help` after a command prints the usage, as after none.
    for (const args of [['check', '--help'], ['check', 'examples', '-h'], ['lab', 'run', '--help']]) {
      const help = runCli(args);
      assert.equal(help.status, 0, args.join(' '));
      assert.match(help.stdout, /^Usage:$/m);
      assert.match(help.stdout, /--show-files/);
    }
    const missing = runCli(['check', 'no/such/dir']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such file or directory/);
    const unknownCode = runCli(['check', '--select', 'CLP999', 'examples']);
    assert.equal(unknownCode.status, 2);
    assert.match(unknownCode.stderr, /^clipwise: --select: unknown rule code "CLP999"/);
    assert.doesNotMatch(unknownCode.stderr, /internal error|\n\s+at /);
  });

  it('--format json has the documented fields, 1-based, with cells for notebooks', () => {
    const run = runCli(['check', '--format', 'json', 'examples']);
    assert.equal(run.status, 1);
    const out = JSON.parse(run.stdout) as { findings: JsonFinding[]; files: number; skipped: unknown[] };
    assert.equal(out.files, 14); // Python, notebooks, the TypeScript example and the TensorFlow.js one
    assert.deepEqual(out.skipped, []);
    for (const f of out.findings) {
      for (const key of ['file', 'code', 'name', 'severity', 'message'] as const) assert.equal(typeof f[key], 'string', key);
      for (const key of ['line', 'column', 'endLine', 'endColumn'] as const) assert.ok(Number.isInteger(f[key]) && f[key] >= 1, key);
      assert.equal(typeof f.fixable, 'boolean');
      assert.match(f.code, /^CLP0\d\d$/);
    }
    const mnist = out.findings.find((f) => f.file.endsWith('mnist_clip_after_step.py'))!;
    const source = readFileSync(join(EXAMPLES, 'mnist_clip_after_step.py'), 'utf8').split('\n');
    assert.ok(source[mnist.line - 1].slice(mnist.column - 1).startsWith('torch.nn.utils.clip_grad_norm_('), 'line/column point at the clip call');
    const notebook = out.findings.find((f) => f.file.endsWith('.ipynb'))!;
    assert.equal(notebook.cell, 2);
    assert.equal(notebook.line, 9);
  });

  it('--format sarif is SARIF 2.1.0 with rules, results, regions and fixes', () => {
    const sarif = JSON.parse(runCli(['check', '--format', 'sarif', 'examples']).stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'clipwise');
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), RULE_CODES);
    for (const rule of run.tool.driver.rules) assert.match(rule.helpUri, /docs\/rules\/CLP0\d\d\.md$/);
    assert.ok(run.results.length >= 8);
    for (const result of run.results) {
      assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(result.level));
      const location = result.locations[0].physicalLocation;
      assert.equal(location.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(!location.artifactLocation.uri.startsWith('/'), 'relative uri');
      if (location.artifactLocation.uri.endsWith('.ipynb')) {
        // Lines in a notebook count within a cell, not within the JSON file: no region, the cell in the message.
        assert.equal(location.region, undefined);
        assert.match(result.message.text, /^cell 3, line 9: /);
      } else assert.ok(location.region.startLine >= 1 && location.region.startColumn >= 1);
    }
    assert.ok(run.results.some((r: { fixes?: unknown[] }) => r.fixes?.length));
  });

  it('--format github prints workflow annotations', () => {
    const out = runCli(['check', '--format', 'github', 'examples/mnist_clip_after_step.py']).stdout;
    assert.match(out, /^::error file=examples\/mnist_clip_after_step\.py,line=33,col=13,endLine=33,endColumn=\d+,title=CLP002 clip-after-step::Gradients are clipped/m);
  });

  it('--fix rewrites a copy so it checks clean, and --diff changes nothing', () => {
    const copy = join(work, 'examples');
    cpSync(EXAMPLES, copy, { recursive: true });
    const before = readFileSync(join(copy, 'mnist_clip_after_step.py'), 'utf8');
    const diff = runCli(['check', '--diff', copy]);
    assert.equal(diff.status, 1);
    assert.match(diff.stdout, /^-\s+torch\.nn\.utils\.clip_grad_norm_/m);
    assert.equal(readFileSync(join(copy, 'mnist_clip_after_step.py'), 'utf8'), before);

    const fix = runCli(['check', '--fix', copy]);
    assert.match(fix.stderr, /fixed .*mnist_clip_after_step\.py:33: CLP002/);
    const after = readFileSync(join(copy, 'mnist_clip_after_step.py'), 'utf8');
    const loop = after.slice(after.indexOf('loss.backward()'));
    assert.ok(loop.indexOf('clip_grad_norm_') < loop.indexOf('optimizer.step()'), 'clip now before the step');
    const recheck = JSON.parse(runCli(['check', '--format', 'json', copy]).stdout) as { findings: JsonFinding[] };
    // Only findings without a safe fix remain (CLP010 has none by design).
    assert.ok(recheck.findings.every((f) => !f.fixable), JSON.stringify(recheck.findings));
    assert.ok(recheck.findings.length < 8);
  });

  it('--select, --ignore and [tool.clipwise] in pyproject.toml choose rules', () => {
    const only = JSON.parse(runCli(['check', '--format', 'json', '--select', 'CLP002', 'examples']).stdout) as { findings: JsonFinding[] };
    assert.ok(only.findings.length >= 2 && only.findings.every((f) => f.code === 'CLP002'));
    const without = JSON.parse(runCli(['check', '--format', 'json', '--ignore', 'CLP002,CLP003', 'examples']).stdout) as { findings: JsonFinding[] };
    assert.ok(without.findings.every((f) => f.code !== 'CLP002' && f.code !== 'CLP003'));

    const project = join(work, 'project');
    cpSync(EXAMPLES, project, { recursive: true });
    writeFileSync(join(project, 'pyproject.toml'), '[tool.clipwise]\nignore = ["CLP002"]\nexclude = ["correct"]\n');
    const configured = JSON.parse(runCli(['check', '--format', 'json', '.'], project).stdout) as { findings: JsonFinding[]; files: number };
    assert.ok(configured.findings.every((f) => f.code !== 'CLP002'));
    assert.equal(configured.files, 10);
    writeFileSync(join(project, 'pyproject.toml'), '[tool.clipwise]\nselect = "CLP001"\n');
    const bad = runCli(['check', '.'], project);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /select must be a list of strings/);
  });

  it('reports unreadable files as skipped with a reason', () => {
    const dir = join(work, 'odd');
    cpSync(join(EXAMPLES, 'correct'), dir, { recursive: true });
    writeFileSync(join(dir, 'binary.py'), Buffer.from([0x69, 0x6d, 0x70, 0x00, 0xff, 0xfe]));
    writeFileSync(join(dir, 'latin1.py'), Buffer.from('x = "caf\xe9"\n', 'latin1'));
    writeFileSync(join(dir, 'broken.ipynb'), '{"cells": [');
    const out = JSON.parse(runCli(['check', '--format', 'json', dir]).stdout) as { skipped: Array<{ file: string; reason: string }> };
    const reasons = Object.fromEntries(out.skipped.map((s) => [s.file.split('/').pop(), s.reason]));
    assert.match(reasons['binary.py'], /binary/);
    assert.match(reasons['latin1.py'], /UTF-8/);
    assert.match(reasons['broken.ipynb'], /not a valid notebook/);
    // Files that were skipped are not counted as checked and clear.
    const text = runCli(['check', join(dir, 'binary.py')]);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /^No findings, but no file was checked in full\. 1 file not checked/m);
    assert.doesNotMatch(text.stdout, /All clear/);
  });

  it('walks each folder once, whatever symbolic links lead back into it', () => {
    const dir = join(work, 'loops');
    cpSync(join(EXAMPLES, 'mnist_clip_after_step.py'), join(dir, 'real', 'train.py'), { recursive: true });
    symlinkSync('..', join(dir, 'real', 'up'));
    symlinkSync('.', join(dir, 'self'));
    const out = JSON.parse(runCli(['check', '--format', 'json', dir]).stdout) as { files: number; findings: JsonFinding[] };
    assert.equal(out.files, 1);
    assert.equal(out.findings.length, 1);
  });

  it('--fix keeps a byte order mark, and --diff shows what --fix writes', () => {
    const file = join(work, 'bom.py');
    const source = readFileSync(join(EXAMPLES, 'mnist_clip_after_step.py'), 'utf8').replace(/\n/g, '\r\n');
    writeFileSync(file, '\uFEFF' + source);
    const diff = runCli(['check', '--diff', file]).stdout;
    runCli(['check', '--fix', file]);
    const bytes = readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const fixed = bytes.toString('utf8').slice(1);
    assert.ok(fixed.split('\r\n').length > 10 && !/[^\r]\n/.test(fixed), 'CRLF line endings kept');
    // The diff, applied to the original, gives the fixed text.
    const removed = [...diff.matchAll(/^-(?!--)(.*)$/gm)].map((m) => m[1].replace(/\r$/, ''));
    const added = [...diff.matchAll(/^\+(?!\+\+)(.*)$/gm)].map((m) => m[1].replace(/\r$/, ''));
    assert.deepEqual(removed.map((l) => l.trim()), added.map((l) => l.trim()));
    assert.ok(fixed.includes(added[0]));
  });

  it('checks the Python of %%time and %%capture cells, not of %%bash cells; a notebook fix keeps its layout', () => {
    const cell = (source: string) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source });
    const loop = 'for x, y in loader:\r\n    optimizer.zero_grad()\r\n    loss_fn(model(x), y).backward()\r\n    optimizer.step()\r\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)';
    const notebook = { cells: [cell('import torch'), cell('%%time\r\n' + loop), cell('%%bash\r\n' + loop)], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    const file = join(work, 'magic.ipynb');
    writeFileSync(file, JSON.stringify(notebook));
    const out = JSON.parse(runCli(['check', '--format', 'json', file]).stdout) as { findings: JsonFinding[] };
    assert.deepEqual(out.findings.map((f) => [f.cell, f.line, f.code]), [[1, 6, 'CLP002']]);
    runCli(['check', '--fix', file]);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('\n'), 'a notebook on one line stays on one line');
    const fixed = (JSON.parse(text) as typeof notebook).cells[1].source;
    assert.ok(fixed.indexOf('clip_grad_norm_') < fixed.indexOf('optimizer.step()'));
    assert.ok(!/[^\r]\n/.test(fixed) && !fixed.endsWith('\n'), 'the cell keeps CRLF and no final line break');
    assert.equal((JSON.parse(text) as typeof notebook).cells[2].source, '%%bash\r\n' + loop);
  });

  it('a notebook fix after the last line of a cell (no line break) starts a new line', () => {
    const source = ['for x, y in loader:\n', '    loss_fn(model(x), y).backward()\n', '    optimizer.zero_grad()\n', '    optimizer.step()'];
    const notebook = { cells: [{ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    const file = join(work, 'last_line.ipynb');
    writeFileSync(file, JSON.stringify(notebook, null, 1) + '\n');
    runCli(['check', '--fix', file]);
    const fixed = (JSON.parse(readFileSync(file, 'utf8')) as typeof notebook).cells[0].source.join('');
    assert.equal(fixed, 'for x, y in loader:\n    loss_fn(model(x), y).backward()\n    optimizer.step()\n    optimizer.zero_grad()');
    assert.equal(runCli(['check', file]).status, 0);
  });

  it('clipwise rule CLP002 prints the rule documentation; clipwise rules lists all', () => {
    const doc = runCli(['rule', 'CLP002']);
    assert.equal(doc.status, 0);
    assert.match(doc.stdout, /^# CLP002/);
    const list = runCli(['rules']);
    assert.deepEqual(list.stdout.trim().split('\n').map((line) => line.split(' ')[0]), RULE_CODES);
    assert.equal(runCli(['rule', 'CLP042']).status, 2);
  });
});

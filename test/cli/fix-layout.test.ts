// What `--fix` keeps, as a process: a CR-only file's line endings, a notebook's own JSON layout
// (CRLF, compact separators, \uXXXX escapes: only the changed cell's source bytes change), the
// file's mode; the file is replaced by a rename, never rewritten in place.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, runCli } from './run-cli';

const BEFORE = ['import torch\n', '\n', 'def train(model, loader, optimizer):\n', '    for x in loader:\n', '        loss = model(x)  # é\n', '        loss.backward()\n', '        optimizer.step()\n', '        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n', '        optimizer.zero_grad()\n'];
// The clip moved to directly before the step.
const AFTER = [...BEFORE.slice(0, 6), BEFORE[7], BEFORE[6], BEFORE[8]];

/** A notebook written unlike Jupyter: CRLF, no spaces after separators, ASCII with \uXXXX escapes. */
function oddNotebook(lines: string[]): string {
  const ascii = (s: string) => JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const md = `{"cell_type":"markdown","metadata":{},"source":[${ascii('# Caf\u00e9 \u2014 notes\n')},${ascii('done')}]}`;
  const code = `{"cell_type":"code","execution_count":null,"metadata":{},"outputs":[],"source":[\r\n    ${lines.map(ascii).join(',\r\n    ')}\r\n   ]}`;
  return `{\r\n "cells":[${md},\r\n  ${code}],\r\n "metadata":{"kernelspec":{"name":"python3","display_name":"Python 3"}},"nbformat":4,"nbformat_minor":5}\r\n`;
}

describe('clipwise check --fix keeps the file as it was written', function () {
  this.timeout(60_000);
  let work: string;
  before(() => {
    buildOnce();
    work = mkdtempSync(join(tmpdir(), 'clipwise-layout-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('a CR-only file: the moved line ends in \\r like every other', () => {
    const dir = join(work, 'cr');
    mkdirSync(dir);
    const file = join(dir, 'train.py');
    writeFileSync(file, BEFORE.join('').replace(/\n/g, '\r'));
    const run = runCli(['check', '--fix', '--exit-zero', 'train.py'], dir);
    assert.match(run.stderr, /fixed train\.py/);
    assert.equal(readFileSync(file, 'utf8'), AFTER.join('').replace(/\n/g, '\r'));
  });

  it('a notebook not in Jupyter\'s layout: only the fixed cell\'s source bytes change', () => {
    const dir = join(work, 'nb');
    mkdirSync(dir);
    const file = join(dir, 'odd.ipynb');
    writeFileSync(file, oddNotebook(BEFORE));
    const run = runCli(['check', '--fix', '--exit-zero', 'odd.ipynb'], dir);
    assert.match(run.stderr, /fixed odd\.ipynb:cell 2/);
    assert.equal(readFileSync(file, 'utf8'), oddNotebook(AFTER));
  });

  it('replaces the file by a rename, keeping its mode, leaving no temporary file', () => {
    const dir = join(work, 'mode');
    mkdirSync(dir);
    const file = join(dir, 'train.py');
    writeFileSync(file, BEFORE.join(''));
    chmodSync(file, 0o754);
    const before = statSync(file);
    runCli(['check', '--fix', '--exit-zero', 'train.py'], dir);
    const after = statSync(file);
    assert.equal(readFileSync(file, 'utf8'), AFTER.join(''));
    assert.equal(after.mode & 0o7777, 0o754);
    assert.notEqual(after.ino, before.ino, 'a new file renamed over the old one');
    assert.deepEqual(readdirSync(dir), ['train.py']);
  });
});

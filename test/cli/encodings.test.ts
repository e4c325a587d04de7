// Files as Python reads them, as a process: PEP 263 declarations (latin-1, cp1252), UTF-16 with a
// byte order mark, a UTF-8 byte order mark; fixes written back in the file's own encoding; SARIF
// URIs encoded.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, runCli } from './run-cli';

// CLP002 (clip after the step), fixable by moving the clip before the step.
const LOOP = 'import torch\n\ndef train(model, loader, optimizer):\n    for x in loader:\n        loss = model(x)  # café\n        loss.backward()\n        optimizer.step()\n        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n        optimizer.zero_grad()\n';

interface Json {
  files: number;
  findings: Array<{ file: string; code: string; line: number }>;
  skipped: Array<{ file: string; reason: string }>;
}

describe('clipwise check: encodings and SARIF URIs', function () {
  this.timeout(60_000);
  let work: string;
  before(() => {
    buildOnce();
    work = mkdtempSync(join(tmpdir(), 'clipwise-enc-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('reads PEP 263 encodings and UTF-16 as Python does, and --fix writes them back in kind', () => {
    const dir = join(work, 'enc');
    mkdirSync(dir);
    writeFileSync(join(dir, 'latin.py'), Buffer.from('# -*- coding: latin-1 -*-\n' + LOOP, 'latin1'));
    // Line 2, vim's spelling; 0x80 is € in cp1252 (and not a character in Latin-1).
    const cp1252 = Buffer.concat([Buffer.from('#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n# price\n', 'latin1'), Buffer.from([0x80, 0x0a]), Buffer.from(LOOP, 'latin1')]);
    writeFileSync(join(dir, 'windows.py'), cp1252);
    writeFileSync(join(dir, 'wide.py'), Buffer.from('\uFEFF' + LOOP, 'utf16le'));
    writeFileSync(join(dir, 'bom.py'), Buffer.from('\uFEFF' + LOOP, 'utf8'));
    const run = runCli(['check', '--format', 'json', '.'], dir);
    const report = JSON.parse(run.stdout) as Json;
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(report.findings.filter((f) => f.code === 'CLP002').map((f) => `${f.file}:${f.line}`).sort(), ['bom.py:8', 'latin.py:9', 'wide.py:8', 'windows.py:12']);

    const fixed = runCli(['check', '--fix', '--exit-zero', '.'], dir);
    for (const name of ['latin', 'windows', 'wide', 'bom']) assert.match(fixed.stderr, new RegExp(`fixed ${name}\\.py`));
    const latin = readFileSync(join(dir, 'latin.py'));
    assert.ok(latin.includes(Buffer.from('café', 'latin1')), 'still Latin-1');
    assert.ok(!latin.includes(Buffer.from('café', 'utf8')));
    assert.ok(latin.toString('latin1').indexOf('clip_grad_norm_') < latin.toString('latin1').indexOf('optimizer.step()'), 'fixed');
    const windows = readFileSync(join(dir, 'windows.py'));
    assert.ok(windows.includes(Buffer.from([0x80, 0x0a])), 'the euro sign is still one cp1252 byte');
    assert.ok(windows.includes(Buffer.from('café', 'latin1')));
    const wide = readFileSync(join(dir, 'wide.py'));
    assert.deepEqual([...wide.subarray(0, 2)], [0xff, 0xfe]);
    assert.ok(wide.toString('utf16le').indexOf('clip_grad_norm_') < wide.toString('utf16le').indexOf('optimizer.step()'));
    assert.deepEqual([...readFileSync(join(dir, 'bom.py')).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  });

  it('names the encoding when it cannot read a file (an unknown declared codec, broken UTF-16)', () => {
    const dir = join(work, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'odd.py'), '# coding: no-such-codec\nx = 1\n');
    writeFileSync(join(dir, 'broken.py'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([0x00, 0xd8])]));
    const report = JSON.parse(runCli(['check', '--format', 'json', '.'], dir).stdout) as Json;
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.file, s.reason]));
    assert.match(reasons['odd.py'], /no-such-codec/);
    assert.match(reasons['broken.py'], /UTF-16/);
  });

  it('SARIF artifact URIs are URI-encoded (spaces, %, non-ASCII), relative to %SRCROOT%', () => {
    const dir = join(work, 'sarif');
    mkdirSync(join(dir, 'my dir'), { recursive: true });
    writeFileSync(join(dir, 'my dir', '100% é.py'), LOOP);
    const sarif = JSON.parse(runCli(['check', '--format', 'sarif', '.'], dir).stdout) as {
      runs: Array<{ originalUriBaseIds: Record<string, { uri: string }>; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }> }> }>;
    };
    const location = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    assert.equal(location.uri, 'my%20dir/100%25%20%C3%A9.py');
    assert.equal(location.uriBaseId, '%SRCROOT%');
    const base = sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri;
    assert.equal(decodeURIComponent(new URL(location.uri, base).pathname), join(dir, 'my dir', '100% é.py'));
  });
});

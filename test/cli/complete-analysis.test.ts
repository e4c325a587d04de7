// Issue 9, item 1: analysis is complete and deterministic. No clock decides a result: the same
// file gives the same findings on every run, however busy the machine; a huge file is analysed
// in full within bounded memory; a file that could not be analysed fully is never "all clear".
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, CLI, runCli } from './run-cli';

interface JsonReport {
  findings: Array<{ code: string; line: number; fixable: boolean }>;
  files: number;
  skipped: Array<{ file: string; reason: string }>;
}

const BUGGY_LOOP = (i: number) => `
def train_${i}(model, loader, optimizer):
    for batch in loader:
        loss = model(batch)
        loss.backward()
        optimizer.step()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.zero_grad()
`;

const CLIP_AFTER_STEP = `import torch
for batch in loader:
    loss = model(batch)
    loss.backward()
    optimizer.step()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.zero_grad()
`;

/** The CLI as a process, asynchronously (two runs at once), with node flags of its own. */
function runAsync(args: string[], nodeFlags: string[] = []): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: performance.now() - started }));
  });
}

describe('complete, deterministic analysis (CLI)', function () {
  this.timeout(240_000);
  let work: string;
  before(() => {
    buildOnce();
    work = mkdtempSync(join(tmpdir(), 'clipwise-complete-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('reports every one of 12,500 buggy loops in a 100,000-line file, the same on every run, each fix verified', async () => {
    const file = join(work, 'many_loops.py');
    writeFileSync(file, 'import torch\n' + Array.from({ length: 12_500 }, (_, i) => BUGGY_LOOP(i)).join(''));
    // Two runs at once: each is slowed by the other, which must change nothing.
    const runs = await Promise.all([runAsync(['check', '--format', 'json', file]), runAsync(['check', '--format', 'json', file])]);
    const reports = runs.map((run) => {
      assert.equal(run.status, 1, run.stderr);
      return JSON.parse(run.stdout) as JsonReport;
    });
    for (const report of reports) {
      assert.deepEqual(report.skipped, []);
      assert.equal(report.findings.length, 12_500);
      assert.ok(report.findings.every((f) => f.code === 'CLP002'));
      assert.ok(report.findings.every((f) => f.fixable), 'every fix is verified, none left unchecked for lack of time');
    }
    assert.deepEqual(reports[0], reports[1]);
  });

  it('analyses a 1,000,000-line file in full, in seconds and a bounded heap, and finds the clip after the step at its end', async () => {
    const file = join(work, 'million.py');
    writeFileSync(file, 'x=1\n'.repeat(1_000_000) + CLIP_AFTER_STEP);
    // 768 MB of heap: a file of 4 MB may not cost a gigabyte.
    const run = await runAsync(['check', '--format', 'json', file], ['--max-old-space-size=768']);
    assert.equal(run.status, 1, run.stderr.slice(0, 500));
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(report.findings.map((f) => [f.code, f.line]), [['CLP002', 1_000_006]]);
    assert.ok(run.ms < 120_000, `took ${Math.round(run.ms)} ms`);
  });

  it('never calls a file with code nested too deeply to analyse "all clear"', () => {
    const file = join(work, 'deep.py');
    const depth = 260;
    let text = 'import torch\n';
    for (let i = 0; i < depth; i++) text += `${'    '.repeat(i)}if x${i}:\n`;
    text += `${'    '.repeat(depth)}pass\n`;
    writeFileSync(file, text);
    const run = runCli(['check', file]);
    assert.doesNotMatch(run.stdout, /All clear/);
    assert.match(run.stdout, /skipped: code nested more than 200 blocks deep/);
    assert.match(run.stdout, /1 file not fully checked/);
    const json = JSON.parse(runCli(['check', '--format', 'json', file]).stdout) as JsonReport;
    assert.equal(json.skipped.length, 1);
    assert.match(json.skipped[0].reason, /nested more than 200 blocks deep/);
  });
});

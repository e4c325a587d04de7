// `clipwise check` follows imports of the project's own modules, read from disk whichever paths
// are given: checking one file (as pre-commit does) and checking the folder agree on that file;
// findings are reported for the given paths only; related locations name the helper's file.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, runCli, ROOT } from './run-cli';

interface JsonFinding {
  file: string;
  line: number;
  code: string;
  related: Array<{ file?: string; line: number; message: string }>;
}

const json = (stdout: string) => JSON.parse(stdout) as { findings: JsonFinding[]; files: number };
const keys = (findings: JsonFinding[]) => findings.map((f) => `${f.file}:${f.line}:${f.code}`).sort();

describe('clipwise CLI across files', function () {
  let dir: string;
  before(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'clipwise-project-'));
    cpSync(join(ROOT, 'test', 'fixtures', 'projects'), dir, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('one file and the whole folder agree on that file, and only given paths are reported', () => {
    const project = join(dir, 'src_layout');
    const one = json(runCli(['check', 'scripts/train.py', '--format', 'json', '--exit-zero'], project).stdout);
    const all = json(runCli(['check', '.', '--format', 'json', '--exit-zero'], project).stdout);
    assert.equal(one.files, 1);
    assert.ok(one.findings.length >= 4, keys(one.findings).join());
    assert.ok(one.findings.every((f) => f.file === join('scripts', 'train.py')));
    assert.deepEqual(keys(all.findings.filter((f) => f.file === join('scripts', 'train.py'))), keys(one.findings));
  });

  it('agrees whatever the current folder is', () => {
    const project = join(dir, 'src_layout');
    const inside = json(runCli(['check', 'train.py', '--format', 'json', '--exit-zero'], join(project, 'scripts')).stdout);
    const outside = json(runCli(['check', join(project, 'scripts', 'train.py'), '--format', 'json', '--exit-zero'], tmpdir()).stdout);
    assert.deepEqual(inside.findings.map((f) => `${f.line}:${f.code}`).sort(), outside.findings.map((f) => `${f.line}:${f.code}`).sort());
  });

  it('a clip in a helper of another module after the step is found, with the helper as a related location', () => {
    const project = join(dir, 'helpers');
    const run = json(runCli(['check', 'train.py', '--format', 'json', '--exit-zero'], project).stdout);
    const clipAll = run.findings.find((f) => f.line === 11);
    assert.equal(clipAll?.code, 'CLP002');
    assert.deepEqual(clipAll!.related.find((r) => r.file)?.file, 'utils.py');
  });

  it('--fix moves the call of the helper, and the importer is read again afterwards', () => {
    const project = join(dir, 'helpers');
    const before = readFileSync(join(project, 'train.py'), 'utf8');
    const fixed = runCli(['check', 'train.py', '--fix', '--exit-zero'], project);
    assert.equal(fixed.status, 0, fixed.stderr);
    const after = readFileSync(join(project, 'train.py'), 'utf8');
    assert.notEqual(after, before);
    assert.ok(after.indexOf('clip_all(model)') < after.indexOf('optimizer.step()'), after);
    assert.doesNotMatch(json(runCli(['check', 'train.py', '--format', 'json', '--exit-zero'], project).stdout).findings.map((f) => `${f.line}`).join(), /^11$/);
    writeFileSync(join(project, 'train.py'), before);
  });

  it('an edit to the helper on disk changes the importer\'s findings', () => {
    const project = join(dir, 'helpers');
    const utils = join(project, 'utils.py');
    const original = readFileSync(utils, 'utf8');
    writeFileSync(utils, original.replace('torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n\n\ndef bad_step', 'print(model)\n\n\ndef bad_step'));
    const run = json(runCli(['check', 'train.py', '--format', 'json', '--exit-zero'], project).stdout);
    assert.equal(run.findings.find((f) => f.line === 11), undefined);
    writeFileSync(utils, original);
  });
});

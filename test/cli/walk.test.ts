// Which files `clipwise check` walks, as a process: ruff's default excludes (a package's own
// dist/ is checked), .gitignore, exclude / extend-exclude, explicit paths always checked,
// --show-files and --verbose, dangling links and FIFOs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, runCli } from './run-cli';

const CLIP_AFTER_STEP = 'import torch\n\ndef train(model, loader, optimizer):\n    for x in loader:\n        loss = model(x)\n        loss.backward()\n        optimizer.step()\n        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n        optimizer.zero_grad()\n';

function tree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const shown = (stdout: string) => stdout.trim().split('\n').filter(Boolean).sort();

describe('clipwise check: the folder walk', function () {
  this.timeout(60_000);
  let work: string;
  before(() => {
    buildOnce();
    work = mkdtempSync(join(tmpdir(), 'clipwise-walk-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('leaves out ruff\'s default excludes and .gitignore, but checks a package\'s own dist/', () => {
    const root = join(work, 'proj');
    tree(root, {
      'train.py': CLIP_AFTER_STEP,
      'mypkg/__init__.py': '',
      'mypkg/dist/__init__.py': '',
      'mypkg/dist/helpers.py': CLIP_AFTER_STEP,
      'build/lib/mypkg/train.py': CLIP_AFTER_STEP,
      'dist/old.py': CLIP_AFTER_STEP,
      '.venv/lib/x.py': CLIP_AFTER_STEP,
      'node_modules/x.py': CLIP_AFTER_STEP,
      '.github/scripts/tool.py': 'x = 1\n',
      'generated/out.py': CLIP_AFTER_STEP,
      'scratch.py': CLIP_AFTER_STEP,
      'mypkg/dist/table_gen.py': 'x = 1\n',
      '.gitignore': 'generated/\nscratch.py\n*_gen.py\n',
    });
    mkdirSync(join(root, '.git'));
    const run = runCli(['check', '--show-files', '.'], root);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(shown(run.stdout), ['.github/scripts/tool.py', 'mypkg/__init__.py', 'mypkg/dist/__init__.py', 'mypkg/dist/helpers.py', 'train.py']);
    const verbose = runCli(['check', '--verbose', '--format', 'json', '.'], root);
    assert.equal(verbose.status, 1);
    assert.equal((JSON.parse(verbose.stdout) as { files: number }).files, 5);
    assert.match(verbose.stderr, /left out 6 folders and 2 files: 5 folders by the default excludes \(\.git, \.venv, build, dist, node_modules\), 1 folder and 2 files by \.gitignore\./);
    // Given by name, an excluded file is checked (as ruff does without --force-exclude).
    const named = runCli(['check', '--format', 'json', 'scratch.py', 'dist/old.py'], root);
    assert.equal((JSON.parse(named.stdout) as { files: number }).files, 2);
    // A .gitignore of the repository above the folder given still counts.
    assert.deepEqual(shown(runCli(['check', '--show-files', '.'], join(root, 'mypkg')).stdout), ['__init__.py', 'dist/__init__.py', 'dist/helpers.py']);
  });

  it('exclude replaces the default excludes, extend-exclude adds to them', () => {
    const root = join(work, 'configured');
    tree(root, { 'train.py': CLIP_AFTER_STEP, 'legacy/old.py': CLIP_AFTER_STEP, 'build/gen.py': CLIP_AFTER_STEP, 'pkg/skip_me.py': 'x = 1\n' });
    writeFileSync(join(root, 'pyproject.toml'), '[tool.clipwise]\nextend-exclude = ["legacy", "pkg/skip_*.py"]\n');
    assert.deepEqual(shown(runCli(['check', '--show-files'], root).stdout), ['train.py']);
    writeFileSync(join(root, 'pyproject.toml'), '[tool.clipwise]\nexclude = ["legacy"]\n');
    assert.deepEqual(shown(runCli(['check', '--show-files'], root).stdout), ['build/gen.py', 'pkg/skip_me.py', 'train.py']);
  });

  it('skips a dangling link with a reason (exit 0 with --exit-zero) and never reads a FIFO', () => {
    const root = join(work, 'links');
    tree(root, { 'train.py': 'x = 1\n' });
    symlinkSync(join(root, 'gone.txt'), join(root, 'notes.txt'));
    symlinkSync(join(root, 'gone.py'), join(root, 'helper.py'));
    const run = runCli(['check', '--format', 'json', '.'], root);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    const report = JSON.parse(run.stdout) as { files: number; skipped: Array<{ file: string; reason: string }> };
    assert.deepEqual(report.skipped, [{ file: 'helper.py', reason: 'dangling symbolic link (its target does not exist)' }]);
    assert.equal(runCli(['check', 'missing.py', '--exit-zero'], root).status, 0);
    assert.equal(runCli(['check', 'missing.py'], root).status, 2);
    assert.equal(runCli(['check', '--bogus', '--exit-zero'], root).status, 2);

    execFileSync('mkfifo', [join(root, 'pipe.py')]);
    const fifo = runCli(['check', '--format', 'json', 'pipe.py', 'train.py'], root);
    const fifoReport = JSON.parse(fifo.stdout) as { skipped: Array<{ file: string; reason: string }> };
    assert.deepEqual(fifoReport.skipped, [{ file: 'pipe.py', reason: 'not a regular file' }]);
    const text = runCli(['check', 'pipe.py'], root);
    assert.match(text.stdout, /pipe\.py: skipped: not a regular file/);
  });
});

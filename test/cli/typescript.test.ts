// `clipwise check` on TypeScript and JavaScript: the walk picks up .ts/.js files (not
// dependencies, build output, declaration files or minified bundles), and --fix rewrites a .ts
// file in TypeScript syntax.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, buildOnce, runCli } from './run-cli';

const EXAMPLE = join(ROOT, 'examples', 'engine_clip_after_step.ts');

describe('CLI on TypeScript and JavaScript', function () {
  this.timeout(120000);
  let work: string;
  before(() => {
    buildOnce();
    work = mkdtempSync(join(tmpdir(), 'clipwise-ts-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('reports the example loop with our engine: CLP002 at the clip', () => {
    const run = runCli(['check', 'examples/engine_clip_after_step.ts']);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^examples\/engine_clip_after_step\.ts:15:3: CLP002 /m);
  });

  it('walks .ts, .mjs and .cjs files, skipping node_modules, dist, .d.ts and .min.js', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    for (const path of ['src/train.ts', 'src/train.mjs', 'src/train.cjs', 'node_modules/lib/train.ts', 'dist/train.js', 'src/train.d.ts', 'src/train.min.js']) {
      mkdirSync(join(work, 'walk', path, '..'), { recursive: true });
      writeFileSync(join(work, 'walk', path), text);
    }
    const run = runCli(['check', '--format', 'json', join(work, 'walk')]);
    const files = [...new Set((JSON.parse(run.stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file.replace(/\\/g, '/').replace(/^.*\/walk\//, '')))].sort();
    assert.deepEqual(files, ['src/train.cjs', 'src/train.mjs', 'src/train.ts']);
  });

  it('--fix moves the clip before the step, keeping semicolons and indentation', () => {
    const path = join(work, 'fix.ts');
    copyFileSync(EXAMPLE, path);
    const run = runCli(['check', '--fix', path]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const before = readFileSync(EXAMPLE, 'utf8');
    assert.equal(readFileSync(path, 'utf8'), before.replace('  optimizer.step();\n  clipGradNorm_(model.parameters(), 1.0);\n', '  clipGradNorm_(model.parameters(), 1.0);\n  optimizer.step();\n'));
  });

  it('TensorFlow.js: reports the clipped copy the step never applies, and --fix hands the copy to applyGradients', () => {
    const example = join(ROOT, 'examples', 'tfjs_clipped_copy_not_applied.js');
    const run = runCli(['check', 'examples/tfjs_clipped_copy_not_applied.js']);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^examples\/tfjs_clipped_copy_not_applied\.js:13:\d+: CLP002 `clipped` holds the clipped gradients, but `optimizer\.applyGradients\(…\)` \(line 14\) applies `grads`/m);
    const path = join(work, 'tfjs.js');
    copyFileSync(example, path);
    const fix = runCli(['check', '--fix', path]);
    assert.equal(fix.status, 0, fix.stdout + fix.stderr);
    assert.equal(readFileSync(path, 'utf8'), readFileSync(example, 'utf8').replace('optimizer.applyGradients(grads);', 'optimizer.applyGradients(clipped);'));
  });
});

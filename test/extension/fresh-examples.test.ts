// `npm start` opens a fresh copy of examples/ under .cache/ (its VS Code autosaves): editing the
// copy never changes the repository, each run gets its own copy, and stopping removes it.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { freshExamples } from '../../scripts/vscode/fresh-examples.mjs';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm start: a fresh copy of the examples', () => {
  it('is under .cache/, equals examples/, and edits to it leave examples/ alone', () => {
    const original = readFileSync(join(ROOT, 'examples', 'mnist_clip_after_step.py'), 'utf8');
    const first = freshExamples(ROOT);
    const second = freshExamples(ROOT);
    try {
      assert.ok(relative(join(ROOT, '.cache'), first.folder).split(/[\\/]/)[0] !== '..', first.folder);
      assert.notEqual(first.folder, second.folder);
      assert.deepEqual(readdirSync(first.folder, { recursive: true }).sort(), readdirSync(join(ROOT, 'examples'), { recursive: true }).sort());
      writeFileSync(join(first.folder, 'mnist_clip_after_step.py'), 'edited by autosave\n');
      assert.equal(readFileSync(join(ROOT, 'examples', 'mnist_clip_after_step.py'), 'utf8'), original);
      assert.equal(readFileSync(join(second.folder, 'mnist_clip_after_step.py'), 'utf8'), original);
    } finally {
      first.remove();
      second.remove();
    }
    assert.equal(existsSync(first.folder), false);
  });

  it('resolves the TypeScript example’s ../engine to the repository’s engine, with no type errors', function () {
    this.timeout(30_000);
    const copy = freshExamples(ROOT);
    try {
      const file = join(copy.folder, 'engine_clip_after_step.ts');
      // The options VS Code's TypeScript gives a file outside any tsconfig project.
      const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noEmit: true };
      const resolved = ts.resolveModuleName('../engine', file, options, ts.sys).resolvedModule?.resolvedFileName;
      assert.equal(resolved, join(copy.folder, '..', 'engine.d.ts'));
      const program = ts.createProgram([file], options);
      const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
      assert.deepEqual(errors, []);
    } finally {
      copy.remove();
    }
  });

  it('is what start.mjs opens', () => {
    const start = readFileSync(join(ROOT, 'scripts', 'vscode', 'start.mjs'), 'utf8');
    assert.match(start, /freshExamples\(ROOT\)/);
    assert.doesNotMatch(start, /join\(ROOT, 'examples'\)/);
  });
});

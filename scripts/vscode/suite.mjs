// Compiles the editor test suite (test/vscode/suite) for the extension host: one CommonJS file
// per test, mocha bundled into the index, `vscode` left to the host. Also writes the tiny
// extension manifest the host needs to accept a test runner next to the installed .vsix.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './prerequisites.mjs';

export const SUITE_OUT = join(ROOT, 'out', 'vscode-test');

export async function buildSuite() {
  const source = join(ROOT, 'test', 'vscode', 'suite');
  const suiteDir = join(SUITE_OUT, 'suite');
  rmSync(SUITE_OUT, { recursive: true, force: true });
  mkdirSync(suiteDir, { recursive: true });
  const entries = readdirSync(source).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  await build({
    entryPoints: entries.map((f) => join(source, f)),
    outdir: suiteDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    external: ['vscode'],
    logLevel: 'warning',
    sourcemap: 'inline',
  });
  // VS Code runs extension tests only in extension-development mode: this manifest is that
  // development extension. It contributes nothing; the extension under test is the installed one.
  writeFileSync(
    join(SUITE_OUT, 'package.json'),
    JSON.stringify({ name: 'clipwise-editor-tests', publisher: 'clipwise', version: '0.0.0', engines: { vscode: '*' }, private: true }, null, 2),
  );
  return { extensionDevelopmentPath: SUITE_OUT, extensionTestsPath: join(suiteDir, 'index') };
}

/** The TypeScript example, copied into the workspace under these names (a .js copy is JavaScript: it has no types). */
const TYPESCRIPT_EXAMPLE = join(ROOT, 'examples', 'engine_clip_after_step.ts');
const TYPESCRIPT_COPIES = ['typescript/train.ts', 'typescript/save_me.ts', 'typescript/train.js'];

/** A scratch copy of the test workspace (the tests edit and save files), with copies of the TypeScript example. */
export function copyWorkspace(into) {
  const workspace = join(into, 'training');
  cpSync(join(ROOT, 'test', 'vscode', 'workspace'), workspace, { recursive: true });
  mkdirSync(join(workspace, 'typescript'), { recursive: true });
  for (const copy of TYPESCRIPT_COPIES) cpSync(TYPESCRIPT_EXAMPLE, join(workspace, copy));
  return workspace;
}

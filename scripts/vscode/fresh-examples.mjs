// A fresh copy of examples/ for `npm start` to open: its VS Code autosaves, so trying a quick fix
// there must never change the repository's tracked files. Each run gets its own folder under
// .cache/ (removed when it stops), copied from examples/ as committed on disk.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Copies `root`/examples to a new folder under `root`/.cache/; returns it and a function that removes it. */
export function freshExamples(root) {
  const cache = join(root, '.cache');
  mkdirSync(cache, { recursive: true });
  const run = mkdtempSync(join(cache, 'start-'));
  const folder = join(run, 'examples');
  cpSync(join(root, 'examples'), folder, { recursive: true });
  // The TypeScript example imports '../engine', the repository's engine beside examples/: beside
  // the copy, a declaration that is that engine, so the editor's own TypeScript checker resolves
  // the import (not "Cannot find module '../engine'") and types the loop as in the repository.
  const engine = relative(run, join(root, 'engine', 'index')).split('\\').join('/');
  writeFileSync(join(run, 'engine.d.ts'), `// The repository's engine, for the TypeScript example in examples/ (see scripts/vscode/fresh-examples.mjs).\nexport * from '${engine}';\n`);
  return { folder, remove: () => rmSync(run, { recursive: true, force: true }) };
}

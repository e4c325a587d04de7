// A fresh copy of examples/ for `npm start` to open: its VS Code autosaves, so trying a quick fix
// there must never change the repository's tracked files. Each run gets its own folder under
// .cache/ (removed when it stops), copied from examples/ as committed on disk.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Copies `root`/examples to a new folder under `root`/.cache/; returns it and a function that removes it. */
export function freshExamples(root) {
  const cache = join(root, '.cache');
  mkdirSync(cache, { recursive: true });
  const folder = join(mkdtempSync(join(cache, 'start-')), 'examples');
  cpSync(join(root, 'examples'), folder, { recursive: true });
  return { folder, remove: () => rmSync(join(folder, '..'), { recursive: true, force: true }) };
}

// Finding the training scripts under a path: Python files and notebooks, skipping dependency,
// build and environment folders.
import { readdirSync, statSync, existsSync, realpathSync } from 'node:fs';
import { join, extname, basename } from 'node:path';

export const SOURCE_EXTENSIONS = new Set(['.py', '.ipynb']);

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', '.ipynb_checkpoints', 'dist', 'build', '.eggs']);

/** A directory that is a virtual environment (has pyvenv.cfg) or is listed above. */
export function skipDirectory(path: string): boolean {
  const name = basename(path);
  if (SKIPPED_DIRS.has(name)) return true;
  if (name.startsWith('.') && name !== '.') return true;
  return existsSync(join(path, 'pyvenv.cfg'));
}

export interface WalkResult {
  files: string[];
  errors: Array<{ path: string; reason: string }>;
}

/** Files to check under the given paths (files are taken as given, folders walked). */
export function collectFiles(paths: string[], extensions: Set<string> = SOURCE_EXTENSIONS): WalkResult {
  const files: string[] = [];
  const errors: WalkResult['errors'] = [];
  // Each directory once, by its real path: symbolic links may lead back up the tree.
  const seenDirectories = new Set<string>();
  const seenFiles = new Set<string>();
  const realPath = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  };
  const visit = (path: string, explicit: boolean) => {
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      errors.push({ path, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message });
      return;
    }
    if (stats.isDirectory()) {
      if (!explicit && skipDirectory(path)) return;
      const real = realPath(path);
      if (seenDirectories.has(real)) return;
      seenDirectories.add(real);
      let entries: string[];
      try {
        entries = readdirSync(path).sort();
      } catch (error) {
        errors.push({ path, reason: (error as Error).message });
        return;
      }
      for (const entry of entries) visit(join(path, entry), false);
    } else if (stats.isFile() && (explicit || extensions.has(extname(path)))) {
      const real = realPath(path);
      if (seenFiles.has(real)) return;
      seenFiles.add(real);
      files.push(path);
    }
  };
  for (const path of paths) visit(path, true);
  return { files, errors };
}

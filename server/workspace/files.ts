// Finding the training scripts under a path: Python files and notebooks, leaving out what ruff
// leaves out (its default exclude list, `.gitignore`, `exclude` / `extend-exclude`). Paths given
// by name are always checked; only what a walk finds is excluded.
import { readdirSync, statSync, lstatSync, realpathSync } from 'node:fs';
import { join, extname } from 'node:path';
import { Excluder, type ExcludeOptions } from './exclude';
import { SOURCE_FILE_EXTENSIONS } from '../../analysis/languages';

export const SOURCE_EXTENSIONS = new Set([...SOURCE_FILE_EXTENSIONS, '.ipynb']);

/** Declaration files and minified or generated bundles: a walk passes them by. */
const GENERATED = /\.d\.[cm]?ts$|[.-](min|bundle|chunk)\.[cm]?js$/i;

export interface WalkResult {
  files: string[];
  /** Paths that could not be read (given paths that do not exist, folders without permission). */
  errors: Array<{ path: string; reason: string }>;
  /** Paths skipped with a reason that is not an error (a dangling link, a FIFO given by name). */
  skipped: Array<{ path: string; reason: string }>;
  /** Folders and files a walk left out, and why (the default excludes, .gitignore, exclude). */
  excluded: Array<{ path: string; reason: string; directory: boolean }>;
}

/** Files to check under the given paths (files are taken as given, folders walked). */
export function collectFiles(paths: string[], extensions: Set<string> = SOURCE_EXTENSIONS, options: ExcludeOptions = {}): WalkResult {
  const excluder = new Excluder(options);
  const result: WalkResult = { files: [], errors: [], skipped: [], excluded: [] };
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
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && isSymbolicLink(path)) {
        // A link whose target is gone: nothing to read, and nothing wrong with the run.
        if (explicit || extensions.has(extname(path))) result.skipped.push({ path, reason: 'dangling symbolic link (its target does not exist)' });
        return;
      }
      if (!explicit && code === 'ENOENT') return; // removed while walking
      result.errors.push({ path, reason: code === 'ENOENT' ? 'no such file or directory' : (error as Error).message });
      return;
    }
    if (stats.isDirectory()) {
      if (!explicit) {
        const why = excluder.excluded(path, true);
        if (why) return void result.excluded.push({ path, reason: why, directory: true });
      }
      const real = realPath(path);
      if (seenDirectories.has(real)) return;
      seenDirectories.add(real);
      let entries: string[];
      try {
        entries = readdirSync(path).sort();
      } catch (error) {
        result.errors.push({ path, reason: (error as Error).message });
        return;
      }
      for (const entry of entries) visit(join(path, entry), false);
    } else if (!stats.isFile()) {
      // A FIFO, socket or device is never read (reading a FIFO would wait for a writer forever).
      if (explicit || extensions.has(extname(path))) result.skipped.push({ path, reason: 'not a regular file' });
    } else if (explicit || (extensions.has(extname(path)) && !GENERATED.test(path))) {
      if (!explicit) {
        const why = excluder.excluded(path, false);
        if (why) return void result.excluded.push({ path, reason: why, directory: false });
      }
      const real = realPath(path);
      if (seenFiles.has(real)) return;
      seenFiles.add(real);
      result.files.push(path);
    }
  };
  for (const path of paths) visit(path, true);
  return result;
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

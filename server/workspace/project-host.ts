// The project index's host on disk: files are read as UTF-8 (as `clipwise check` reads them) and
// named by absolute paths with `/`, whichever paths the command line was given, so that
// `clipwise check train.py` and `clipwise check .` read the same modules for train.py.
import { readdirSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { ProjectHost } from '../../analysis/project/host';
import { ProjectIndex } from '../../analysis/project/project-index';
import { readText } from './check-file';

/** The project index's name for a file or folder given by a path of this machine. */
export function projectPath(path: string): string {
  const absolute = resolve(path);
  return sep === '\\' ? '/' + absolute.replace(/\\/g, '/').replace(/^\/?([A-Za-z]):/, (_m, d: string) => `${d.toLowerCase()}:`) : absolute;
}

/** A path of this machine for a project index name (the inverse of projectPath). */
export function localPath(path: string): string {
  return sep === '\\' ? path.replace(/^\/([a-z]:)/, '$1').replace(/\//g, '\\') : path;
}

export class DiskHost implements ProjectHost {
  /** `overlay`: texts that win over the disk (documents open in an editor), by project path. */
  constructor(private readonly overlay?: (path: string) => string | undefined) {}

  readFile(path: string): string | undefined {
    const open = this.overlay?.(path);
    if (open !== undefined) return open;
    return readText(localPath(path)).text;
  }

  list(dir: string): readonly string[] | undefined {
    try {
      return readdirSync(localPath(dir));
    } catch {
      return undefined;
    }
  }

  kind(path: string): 'file' | 'directory' | undefined {
    if (this.overlay?.(path) !== undefined) return 'file';
    try {
      const stat = statSync(localPath(path));
      return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : undefined;
    } catch {
      return undefined;
    }
  }
}

/** One index for a whole `clipwise check` run: every module is read and parsed once. */
export function diskProject(): ProjectIndex {
  return new ProjectIndex(new DiskHost());
}

// The project around the open files, for analysis across files in the editor: one project index
// per server, reading open documents first and the disk for the rest, indexing the workspace's
// Python files in the background (in small slices, between requests), and telling which open
// files read a module that just changed, so they are checked again.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkspaceFolder } from 'vscode-languageserver';
import type { AnalyzerOptions } from '../../analysis/analyzer';
import { ProjectIndex } from '../../analysis/project/project-index';
import { DiskHost, localPath, projectPath } from '../workspace/project-host';
import { Excluder } from '../workspace/exclude';
import { findConfig } from '../workspace/config';
import type { ViewFinding } from './fileView';

/** Files the background index reads at most (a huge monorepo is indexed as it is used instead). */
const MAX_INDEXED_FILES = 5_000;
/** Files read per slice of background work. */
const SLICE = 25;

export class WorkspaceProject {
  private readonly index: ProjectIndex;
  private readonly open = new Map<string, () => string>();
  private indexing?: Promise<number>;
  private stopped = false;

  constructor(folders: readonly WorkspaceFolder[]) {
    const ceilings = folders.flatMap((f) => (f.uri.startsWith('file:') ? [projectPath(fileURLToPath(f.uri))] : []));
    this.index = new ProjectIndex(new DiskHost((path) => this.open.get(path)?.()), { ceilings });
  }

  /** Options for analysing the document at `uri`: the project, for a file on disk. */
  options(uri: string, base: AnalyzerOptions): AnalyzerOptions {
    const path = pathOf(uri);
    return path ? { ...base, project: this.index.context(path) } : base;
  }

  /** A document is open in the editor: its text (as it is now, whenever asked) wins over the disk. */
  opened(uri: string, text: () => string): void {
    const path = pathOf(uri);
    if (path) this.open.set(path, text);
  }

  /** A document was closed: the disk's text counts again (it may differ from the unsaved one). */
  closed(uri: string, candidates: readonly string[]): string[] {
    const path = pathOf(uri);
    if (!path) return [];
    this.open.delete(path);
    return this.changed([uri], candidates);
  }

  /**
   * Files changed (edited in the editor, or on disk): of `candidates` (the open files), those
   * whose analysis reads one of them and should be checked again.
   */
  changed(uris: readonly string[], candidates: readonly string[] = [], how: 'changed' | 'created' | 'deleted' = 'changed'): string[] {
    const paths = uris.flatMap((uri) => pathOf(uri) ?? []);
    if (!paths.map((path) => this.index.invalidate(path, how)).some(Boolean)) return [];
    const byPath = new Map(candidates.flatMap((uri) => (pathOf(uri) ? [[pathOf(uri)!, uri] as const] : [])));
    return this.index.importersOf(paths, [...byPath.keys()]).map((path) => byPath.get(path)!);
  }

  /** Related locations in other files of the project, as URIs the editor opens. */
  located(findings: ViewFinding[]): ViewFinding[] {
    if (!findings.some((f) => f.related.some((r) => r.file))) return findings;
    return findings.map((f) => ({ ...f, related: f.related.map((r) => (r.file ? { ...r, uri: pathToFileURL(localPath(r.file)).toString() } : r)) }));
  }

  /**
   * Reads and parses the workspace's Python files in the background, a slice at a time, so the
   * first analysis that follows an import finds the module ready. Resolves with how many it read.
   */
  indexInBackground(folders: readonly WorkspaceFolder[]): Promise<number> {
    this.indexing ??= new Promise((resolve) => {
      const pending = folders.flatMap((f) => (f.uri.startsWith('file:') ? [fileURLToPath(f.uri)] : []));
      const files: string[] = [];
      // The CLI's walk: the same default excludes, .gitignore and [tool.clipwise] exclude patterns.
      const excluders = new Map(pending.map((root) => [root, excluderFor(root)] as const));
      const excluderOf = (path: string) => [...excluders].find(([root]) => path.startsWith(root))?.[1] ?? new Excluder();
      let read = 0;
      const step = () => {
        if (this.stopped) return resolve(read);
        // Walk folders until there are files to read, then read a slice of them.
        while (!files.length && pending.length && read + files.length < MAX_INDEXED_FILES) {
          const dir = pending.pop()!;
          let entries: import('node:fs').Dirent[];
          try {
            entries = readdirSync(dir, { withFileTypes: true });
          } catch {
            continue;
          }
          for (const entry of entries) {
            const path = join(dir, entry.name);
            if (entry.isDirectory() && !excluderOf(path).excluded(path, true)) pending.push(path);
            else if (entry.isFile() && entry.name.endsWith('.py') && !excluderOf(path).excluded(path, false)) files.push(path);
          }
        }
        for (const path of files.splice(0, SLICE)) {
          this.index.warm(projectPath(path));
          read++;
        }
        if ((files.length || pending.length) && read < MAX_INDEXED_FILES) setImmediate(step);
        else resolve(read);
      };
      setImmediate(step);
    });
    return this.indexing;
  }

  stop(): void {
    this.stopped = true;
  }
}

/** What the walk of a workspace folder leaves out, with the folder's `[tool.clipwise]` (when it reads). */
function excluderFor(root: string): Excluder {
  try {
    const config = findConfig(root);
    return new Excluder({ exclude: config.exclude, extendExclude: config.extendExclude, root: config.path ? dirname(config.path) : root });
  } catch {
    return new Excluder({ root });
  }
}

function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return projectPath(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

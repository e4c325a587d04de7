// Where the module a dotted name imports is, the way Python finds it in a project: relative
// imports from the importing file's package; absolute ones from the importing file's folder, the
// folder above its outermost package, the project root (pyproject.toml, setup.py, setup.cfg or
// .git) and that root's `src/`. `name.py`, `name/__init__.py`, or a folder (a namespace package).
import type { ProjectHost } from './host';
import { ancestors, dirname, join, within } from './paths';

export interface FoundModule {
  path: string;
  /** A folder without `__init__.py`: a namespace package with no code of its own. */
  namespace: boolean;
}

const ROOT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'];

/** Modules that are never a project's own, whatever its folders hold (their meaning is built in). */
const NOT_THE_PROJECT = new Set(['torch']);

export class ModuleFinder {
  private readonly kinds = new Map<string, 'file' | 'directory' | undefined>();
  private readonly roots = new Map<string, string[]>();
  private readonly found = new Map<string, FoundModule | undefined>();

  /** `ceilings`: folders above which no project root is looked for (the editor's workspace folders). */
  constructor(private readonly host: ProjectHost, private readonly ceilings: readonly string[] = []) {}

  kindOf(path: string): 'file' | 'directory' | undefined {
    if (!this.kinds.has(path)) this.kinds.set(path, this.host.kind(path));
    return this.kinds.get(path);
  }

  /** Forget what is known about paths (a file was created or deleted). */
  forget(): void {
    this.kinds.clear();
    this.found.clear();
    this.atCache.clear();
    this.listings.clear();
  }

  /** Folders absolute imports of a file in `dir` start from, nearest first. */
  searchRoots(dir: string): string[] {
    let roots = this.roots.get(dir);
    if (roots) return roots;
    const ceiling = this.ceilings.find((c) => within(dir, c));
    const chain = ancestors(dir, ceiling);
    const list: string[] = [dir];
    // The folder holding the outermost package around the file (`pkg/sub/mod.py` imports `pkg.x`).
    let top: string | undefined;
    for (const d of chain) {
      if (this.kindOf(join(d, '__init__.py')) !== 'file') break;
      top = d;
    }
    if (top) list.push(dirname(top));
    const marked = chain.find((d) => ROOT_MARKERS.some((m) => this.kindOf(join(d, m)) !== undefined)) ?? ceiling;
    if (marked) list.push(marked, join(marked, 'src'));
    roots = [...new Set(list)];
    this.roots.set(dir, roots);
    return roots;
  }

  /** The module `name` (`pkg.mod`, `.mod`, `..pkg`) means in the file `from`, if it is one of the project's. */
  find(name: string, from: string): FoundModule | undefined {
    const key = `${dirname(from)}\u0000${name}`;
    if (this.found.has(key)) return this.found.get(key);
    const result = this.lookup(name, from);
    this.found.set(key, result);
    return result;
  }

  private lookup(name: string, from: string): FoundModule | undefined {
    const dots = /^\.*/.exec(name)![0].length;
    const parts = name.slice(dots).split('.').filter(Boolean);
    if (dots) {
      let base = dirname(from);
      for (let i = 1; i < dots; i++) base = dirname(base);
      return parts.length ? this.at(base, parts) : this.package(base);
    }
    if (!parts.length || NOT_THE_PROJECT.has(parts[0])) return undefined;
    for (const root of this.searchRoots(dirname(from))) {
      const found = this.at(root, parts);
      if (found) return found;
    }
    return undefined;
  }

  private readonly atCache = new Map<string, FoundModule | undefined>();

  private readonly listings = new Map<string, ReadonlySet<string> | undefined>();

  /** Whether `base` may hold `name` (as `name.py` or a folder): false only when its listing says not. */
  private mayHold(base: string, name: string): boolean {
    if (!this.host.list) return true;
    if (!this.listings.has(base)) {
      const names = this.host.list(base);
      this.listings.set(base, names && new Set(names));
    }
    const names = this.listings.get(base);
    return !names || names.has(name) || names.has(`${name}.py`);
  }

  private at(base: string, parts: string[]): FoundModule | undefined {
    if (!this.mayHold(base, parts[0])) return undefined;
    const stem = join(base, ...parts);
    // Many folders share one project root: each module under it is looked for once.
    if (this.atCache.has(stem)) return this.atCache.get(stem);
    const found = this.atUncached(stem);
    this.atCache.set(stem, found);
    return found;
  }

  private atUncached(stem: string): FoundModule | undefined {
    if (this.kindOf(`${stem}.py`) === 'file') return { path: `${stem}.py`, namespace: false };
    return this.package(stem);
  }

  private package(dir: string): FoundModule | undefined {
    const init = join(dir, '__init__.py');
    if (this.kindOf(init) === 'file') return { path: init, namespace: false };
    if (this.kindOf(dir) === 'directory') return { path: init, namespace: true };
    return undefined;
  }
}

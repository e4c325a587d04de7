// What a folder walk leaves out, as ruff does: its default exclude list (by folder name), folders
// ignored by `.gitignore` files (from the repository's root down), and the `exclude` /
// `extend-exclude` patterns of `[tool.clipwise]` (gitignore syntax, relative to the pyproject.toml).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** ruff's default excludes, plus `__pycache__`. */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '.bzr', '.direnv', '.eggs', '.git', '.git-rewrite', '.hg', '.ipynb_checkpoints', '.mypy_cache', '.nox', '.pants.d', '.pyenv', '.pytest_cache',
  '.pytype', '.ruff_cache', '.svn', '.tox', '.venv', '.vscode', '__pycache__', '__pypackages__', '_build', 'buck-out', 'dist', 'build', 'node_modules',
  'site-packages', 'venv',
];

/** Build output by name, but a package's own `dist/` or `build/` (it holds `__init__.py`) is code to check. */
const UNLESS_PACKAGE = new Set(['dist', 'build']);

export interface ExcludeOptions {
  /** Replaces the default excludes (ruff's `exclude`). */
  exclude?: string[];
  /** Added to the default excludes (ruff's `extend-exclude`). */
  extendExclude?: string[];
  /** Where the patterns are relative to (the pyproject.toml's folder); the current folder by default. */
  root?: string;
  /** Read `.gitignore` files (default true). */
  gitignore?: boolean;
}

export class Excluder {
  private readonly names: Set<string>;
  private readonly patterns: Ignore;
  private readonly root: string;
  private readonly gitignore: boolean;
  private readonly gitignores = new Map<string, Ignore | undefined>();
  private readonly gitRoots = new Map<string, string | undefined>();

  constructor(options: ExcludeOptions = {}) {
    const replaced = options.exclude !== undefined;
    // Plain names (no slash or wildcard) match a folder or file of that name anywhere, as in ruff.
    const all = [...(options.exclude ?? DEFAULT_EXCLUDES), ...(options.extendExclude ?? [])];
    this.names = new Set(replaced ? [] : DEFAULT_EXCLUDES);
    this.patterns = ignore().add(all.filter((p) => !this.names.has(p)));
    this.root = resolve(options.root ?? process.cwd());
    this.gitignore = options.gitignore ?? true;
  }

  /** Why the walk leaves out `path` (a folder or file it found), or undefined when it is walked. */
  excluded(path: string, directory: boolean): string | undefined {
    const absolute = resolve(path);
    const name = basename(absolute);
    if (directory && this.names.has(name)) {
      if (!UNLESS_PACKAGE.has(name) || !existsSync(join(absolute, '__init__.py'))) return `default exclude "${name}"`;
    }
    if (directory && existsSync(join(absolute, 'pyvenv.cfg'))) return 'a virtual environment (pyvenv.cfg)';
    const rel = inside(this.root, absolute);
    if (rel && this.patterns.ignores(directory ? `${rel}/` : rel)) return 'exclude in [tool.clipwise]';
    if (this.gitignore && this.ignoredByGit(absolute, directory)) return '.gitignore';
    return undefined;
  }

  private ignoredByGit(path: string, directory: boolean): boolean {
    const top = this.gitRoot(dirname(path));
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const rules = this.rules(dir);
      const rel = inside(dir, path);
      if (rules && rel && rules.ignores(directory ? `${rel}/` : rel)) return true;
      if (dir === top || dirname(dir) === dir || top === undefined) return false;
    }
  }

  /** The folder holding `.git` above `dir`; undefined outside a repository (then only `dir`'s own .gitignore counts). */
  private gitRoot(dir: string): string | undefined {
    if (this.gitRoots.has(dir)) return this.gitRoots.get(dir);
    const found = existsSync(join(dir, '.git')) ? dir : dirname(dir) === dir ? undefined : this.gitRoot(dirname(dir));
    this.gitRoots.set(dir, found);
    return found;
  }

  private rules(dir: string): Ignore | undefined {
    if (this.gitignores.has(dir)) return this.gitignores.get(dir);
    let rules: Ignore | undefined;
    try {
      rules = ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8'));
    } catch {
      rules = undefined;
    }
    this.gitignores.set(dir, rules);
    return rules;
  }
}

/** `path` relative to `dir` with forward slashes, or undefined when it is not below it. */
function inside(dir: string, path: string): string | undefined {
  const rel = relative(dir, path);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

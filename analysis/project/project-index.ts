// The project's modules as the analysis of one file sees them: read through the host once each,
// parsed once per text (definitions that cannot touch gradients only by their headers), their
// scopes built on demand, so that a helper in `utils.py`, a trainer base class or an optimizer
// factory in another module count like code of the same file. Import cycles end: scopes are
// built without following imports, and lookups through re-exports are bounded.
import { PythonParser, type ParsedModule } from '../python/module';
import { buildModuleScope, type ModuleLinker, type Scope } from '../python/scopes';
import { PythonFrontEnd } from '../python';
import { importedNames } from '../python/import-names';
import { orderingVerdicts } from '../rules/ordering';
import type { ProjectContext } from './context';
import type { ProjectHost } from './host';
import { ModuleFinder } from './module-finder';

interface ModuleEntry {
  path: string;
  text: string;
  /** Changes whenever the text read for this path changes. */
  version: number;
  parsed: ParsedModule;
  namespace: boolean;
  /** Built for the current generation of the index (what it finds in other modules may have changed). */
  scope?: { generation: number; scope: Scope };
  /** Project modules this one imports, for the current generation. */
  imports?: { generation: number; paths: string[] };
  /** Origins of the events this module's own placement findings are about. */
  ownFindings?: { generation: number; origins: Set<string> };
}

let nextVersion = 1;

export class ProjectIndex {
  private readonly finder: ModuleFinder;
  private readonly entries = new Map<string, ModuleEntry | null>();
  /** Bumped when any module changes: scopes and summaries are rebuilt (parses are kept by text). */
  private generation = 0;
  private readonly computingOwn = new Set<string>();
  /** Changes seen (texts that differ, files created or deleted), in all and per file. */
  private changes = 0;
  private readonly changesOf = new Map<string, number>();
  /** Modules read so far (each once per text). */
  modulesRead = 0;

  constructor(private readonly host: ProjectHost, options: { ceilings?: readonly string[] } = {}) {
    this.finder = new ModuleFinder(host, options.ceilings ?? []);
  }

  /** What the analysis of the file at `path` needs from the project. */
  context(path: string): ProjectContext {
    return {
      linker: this.linker(path),
      fingerprint: () => this.fingerprint(path),
      reportsOwn: (file, origin) => this.reportsOwn(file, origin),
    };
  }

  /**
   * `path` changed (`changed`: its text; `created`/`deleted`: where imports lead may change too).
   * Returns true when something the index holds may now read differently.
   */
  invalidate(path: string, how: 'changed' | 'created' | 'deleted' = 'changed'): boolean {
    if (how !== 'changed') this.finder.forget();
    const known = this.entries.get(path);
    if (known === undefined) {
      // Never read: nothing read so far depends on its text.
      if (how === 'changed') return false;
    } else if (known && how === 'changed' && this.host.readFile(path) === known.text) {
      return false;
    }
    this.entries.delete(path);
    this.generation++;
    this.changes++;
    // A file created or deleted changes where imports lead, for every file (itself included).
    if (how === 'changed') this.changesOf.set(path, (this.changesOf.get(path) ?? 0) + 1);
    return true;
  }

  /** Reads and parses a module ahead of need (the editor's background indexing). */
  warm(path: string): void {
    this.entry(path);
  }

  /** Of `candidates`, the files whose analysis reads (through imports, transitively) one of `changed`. */
  importersOf(changed: readonly string[], candidates: readonly string[]): string[] {
    const targets = new Set(changed);
    return candidates.filter((file) => {
      if (targets.has(file)) return false;
      const entry = this.entry(file);
      return !!entry && this.closure(entry).some((p) => targets.has(p));
    });
  }

  /** Reads and parses the module at `path` (once per text). */
  private entry(path: string, namespace = false): ModuleEntry | undefined {
    const known = this.entries.get(path);
    if (known !== undefined) return known ?? undefined;
    const text = namespace ? '' : this.host.readFile(path);
    if (text === undefined) {
      this.entries.set(path, null);
      return undefined;
    }
    this.modulesRead++;
    const entry: ModuleEntry = { path, text, version: nextVersion++, parsed: new PythonParser().parse(text), namespace };
    this.entries.set(path, entry);
    return entry;
  }

  private scopeOf(entry: ModuleEntry): Scope {
    if (entry.scope?.generation === this.generation) return entry.scope.scope;
    const scope = buildModuleScope(entry.parsed.chunks);
    scope.file = entry.path;
    scope.linker = this.linker(entry.path);
    scope.isPackage = entry.path.endsWith('/__init__.py');
    entry.scope = { generation: this.generation, scope };
    return scope;
  }

  private linker(path: string): ModuleLinker {
    return {
      moduleScope: (name) => {
        const found = this.finder.find(name, path);
        if (!found) return undefined;
        const entry = this.entry(found.path, found.namespace);
        return entry ? this.scopeOf(entry) : undefined;
      },
    };
  }

  /** The project module a dotted import name (or its longest module prefix) leads to from `from`. */
  private moduleOf(name: string, from: string): string | undefined {
    const dots = /^\.*/.exec(name)![0];
    const parts = name.slice(dots.length).split('.');
    for (let k = parts.length; k >= 1; k--) {
      const found = this.finder.find(dots + parts.slice(0, k).join('.'), from);
      if (found) return found.path;
    }
    return undefined;
  }

  private directImports(entry: ModuleEntry): string[] {
    if (entry.imports?.generation === this.generation) return entry.imports.paths;
    const paths = this.resolveAll(importedNames(entry.parsed.chunks), entry.path);
    entry.imports = { generation: this.generation, paths };
    return paths;
  }

  private resolveAll(names: Iterable<string>, from: string): string[] {
    const out = new Set<string>();
    for (const name of names) {
      const path = this.moduleOf(name, from);
      if (path && path !== from) out.add(path);
    }
    return [...out];
  }

  /** Every project module reachable from `entry` through imports (cycles visited once). */
  private closure(entry: ModuleEntry, start: string[] = this.directImports(entry)): string[] {
    const seen = new Set<string>([entry.path]);
    const queue = [...start];
    const out: string[] = [];
    while (queue.length) {
      const path = queue.pop()!;
      if (seen.has(path)) continue;
      seen.add(path);
      out.push(path);
      const next = this.entries.get(path) ?? this.entry(path, path.endsWith('/__init__.py') && this.finder.kindOf(path) !== 'file');
      if (next) queue.push(...this.directImports(next));
    }
    return out;
  }

  /**
   * What the analysis of `path` may read from other files, as a number that changes whenever
   * another file changes: every change counts, except those of `path` itself (typing in a file
   * keeps its kept results; a change anywhere else may reach it through imports). Cheap: no
   * import is followed to compute it.
   */
  private fingerprint(path: string): string {
    return String(this.changes - (this.changesOf.get(path) ?? 0));
  }

  /**
   * Whether the module `file`, analysed as a file of its own, reports a placement finding on the
   * event at `origin`: then the importer leaves it to that file (one finding per mistake).
   */
  private reportsOwn(file: string, origin: string): boolean {
    const entry = this.entry(file);
    if (!entry || this.computingOwn.has(file)) return false;
    if (entry.ownFindings?.generation !== this.generation) {
      this.computingOwn.add(file);
      try {
        const origins = new Set<string>();
        const front = new PythonFrontEnd().run(entry.text, this.context(file));
        for (const source of front.units) {
          const { unit } = source.build();
          const verdicts = orderingVerdicts(unit);
          const anchors = [...verdicts.clips.map((v) => v.clip.event), ...verdicts.scaled.map((v) => v.clip.event), ...verdicts.zeros.map((v) => v.zero.event)];
          for (const event of anchors) if (event.site.file === undefined) origins.add(event.origin);
        }
        entry.ownFindings = { generation: this.generation, origins };
      } finally {
        this.computingOwn.delete(file);
      }
    }
    return entry.ownFindings!.origins.has(origin);
  }
}

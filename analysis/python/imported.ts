// Names imported from the project's own modules: `from utils import clip_all`, `import pkg.train
// as t; t.Trainer`, re-exports through a package's `__init__` (`from .helpers import clip_all`).
// The module's linker finds the files; this reads what a dotted name is in them.
import type { ClassInfo, FunctionInfo, Scope } from './scopes';

export type ImportedSymbol = { kind: 'function'; fn: FunctionInfo } | { kind: 'class'; cls: ClassInfo } | { kind: 'module'; scope: Scope };

/** What a qualified name (as the resolver spells imports: `pkg.mod.f`, `.mod.f`) is in the project's files. */
export function importedSymbol(qualified: string, from: Scope, depth = 0): ImportedSymbol | undefined {
  const module = from.module;
  const linker = module.linker;
  if (!linker || depth > 6 || !qualified || qualified.startsWith('<local>')) return undefined;
  const dots = /^\.*/.exec(qualified)![0];
  const parts = qualified.slice(dots.length).split('.');
  if (parts[0] === 'torch' && !dots) return undefined;
  // The longest prefix that is a module of the project; the rest are names inside it.
  for (let k = parts.length; k >= 1; k--) {
    const target = linker.moduleScope(dots + parts.slice(0, k).join('.'));
    if (!target) continue;
    if (target === module && k < parts.length && depth > 0) return undefined;
    return within(target, parts.slice(k), depth);
  }
  return undefined;
}

function within(scope: Scope, names: string[], depth: number): ImportedSymbol | undefined {
  if (!names.length) return { kind: 'module', scope };
  const [first, ...rest] = names;
  const fn = scope.functions.get(first);
  if (fn) return rest.length ? undefined : { kind: 'function', fn };
  const cls = scope.classes.get(first);
  if (cls) {
    if (!rest.length) return { kind: 'class', cls };
    if (rest.length !== 1) return undefined;
    const method = cls.methods.get(rest[0]);
    return method ? { kind: 'function', fn: method } : undefined;
  }
  // Re-exported (`from .helpers import clip_all` in a package's `__init__`).
  const imported = scope.imports.get(first);
  if (imported !== undefined) return importedSymbol([imported, ...rest].join('.'), scope, depth + 1);
  // A submodule reached through its package (`import pkg` … `pkg.utils.f`).
  const sub = scope.isPackage ? scope.linker?.moduleScope(`.${first}`) : undefined;
  if (sub && sub !== scope) return within(sub, rest, depth + 1);
  return undefined;
}

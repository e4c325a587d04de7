// Every module a file imports, wherever the import is written (module level, inside functions),
// spelled as the resolver spells imported names (`pkg.mod.f`, `.mod.f`). Read from each chunk's
// text once and kept with it, so a keystroke re-reads only the chunk it changed.
import type { Chunk } from './module';

const IMPORT = /^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)|import[ \t]+([^\n#;]+))/gm;

export function importedNames(chunks: readonly Chunk[]): string[] {
  const out: string[] = [];
  for (const chunk of chunks) {
    const memo = chunk.parsed.memo;
    if (!memo.importedNames) {
      const names: string[] = [];
      const text = chunk.parsed.text;
      if (text.includes('import')) {
        for (const m of text.matchAll(IMPORT)) {
          if (m[3] !== undefined) {
            for (const part of m[3].split(',')) {
              const name = part.trim().split(/\s+/)[0];
              if (/^[\w.]+$/.test(name)) names.push(name);
            }
          } else {
            const from = m[1];
            for (const part of m[2].replace(/[()\\\n]/g, ' ').split(',')) {
              const name = part.trim().split(/\s+/)[0];
              if (!name) continue;
              if (name === '*') names.push(from);
              else if (/^\w+$/.test(name)) names.push(/^\.+$/.test(from) ? from + name : `${from}.${name}`);
            }
          }
        }
      }
      memo.importedNames = names;
    }
    out.push(...memo.importedNames);
  }
  return out;
}

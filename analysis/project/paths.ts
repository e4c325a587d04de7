// Absolute `/`-separated paths, the few operations module resolution needs (no Node APIs here).

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function join(dir: string, ...parts: string[]): string {
  let out = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  for (const part of parts) if (part) out += '/' + part;
  return out || '/';
}

/** `dir` itself and its ancestors, nearest first, up to (and including) `ceiling` when it is one of them. */
export function ancestors(dir: string, ceiling?: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    out.push(d);
    if (d === ceiling || d === '/' || !d.includes('/')) break;
  }
  return out;
}

/** `path` is `dir` or lies under it. */
export function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

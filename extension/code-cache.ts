// Loads a CommonJS bundle through V8's code cache. Most of the extension's activation is V8
// parsing and compiling the language client's bundle; with the code V8 compiled last time (kept
// in the extension's global storage) the next window skips that work. The cache is only a hint:
// V8 rejects data that does not fit, and any failure falls back to a plain compile.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** How long after loading the cache is written: long enough for activation's code to be compiled. */
export const CACHE_WRITE_DELAY_MS = 2_000;

const PREFIX = 'client-';
const SUFFIX = '.v8cache';

type Wrapper = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

/** What became of the code cache on this load. */
export interface CodeCacheUse {
  /** Where the cache for this bundle lives (none without a storage folder). */
  file?: string;
  /** V8 accepted cached code, so the bundle was not compiled afresh. */
  used: boolean;
}

export function loadWithCodeCache<T>(file: string, cacheDirectory: string | undefined, writeDelayMs = CACHE_WRITE_DELAY_MS): { exports: T; cache: CodeCacheUse } {
  const source = readFileSync(file, 'utf8');
  const cacheFile = cacheDirectory ? join(cacheDirectory, PREFIX + cacheKey(file) + SUFFIX) : undefined;
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet (first activation of this version).
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  (script.runInThisContext() as Wrapper).call(module.exports, module.exports, requireWithApiView(createRequire(file)), module, file, dirname(file));
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    setTimeout(() => writeCache(script, cacheFile), writeDelayMs).unref();
  }
  return { exports: module.exports as T, cache: { file: cacheFile, used: !!cachedData && !script.cachedDataRejected } };
}

/**
 * `require` for the bundle, except that `vscode` comes as a view marked `__esModule` (its
 * prototype is the API itself): each of the language client's fifty-odd modules imports it
 * through TypeScript's `__importStar`, which otherwise copies every one of the API's hundreds of
 * names into a fresh object, module after module, during activation.
 */
function requireWithApiView(base: NodeJS.Require): NodeJS.Require {
  let view: object | undefined;
  const wrapped = (id: string) => (id === 'vscode' ? (view ??= Object.create(base('vscode') as object, { __esModule: { value: true } })) : base(id));
  return Object.assign(wrapped, base) as NodeJS.Require;
}

/**
 * The bundle's identity as V8 cannot see it (V8 checks the source's length, not its text): its
 * size and modification time, the V8 version and the architecture.
 */
function cacheKey(file: string): string {
  const { size, mtimeMs } = statSync(file);
  return `${size}-${Math.trunc(mtimeMs)}-${process.versions.v8}-${process.arch}`.replace(/[^\w.-]/g, '_');
}

function writeCache(script: Script, cacheFile: string): void {
  try {
    const directory = dirname(cacheFile);
    mkdirSync(directory, { recursive: true });
    for (const name of readdirSync(directory)) {
      if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && join(directory, name) !== cacheFile) rmSync(join(directory, name), { force: true });
    }
    const partial = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    // A read-only or full disk only costs the next activation its head start.
  }
}

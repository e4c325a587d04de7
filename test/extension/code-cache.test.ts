// The extension's code-cache loader on real files, each load in a fresh Node process (as every
// VS Code window is one): the first load compiles and writes a cache, the next one uses it, a
// changed bundle or a damaged cache falls back to compiling.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const LOADER = pathToFileURL(join(import.meta.dirname, '..', '..', 'extension', 'code-cache.ts')).href;

interface Load {
  answer: number;
  here: string;
  used: boolean;
  file?: string;
}

/** Loads `bundle` in a new process and waits there for a cache it decided to write. */
function loadFresh(bundle: string, storage: string | undefined): Load {
  const script = `
    const { existsSync } = await import('node:fs');
    const { loadWithCodeCache } = await import(${JSON.stringify(LOADER)});
    const { exports, cache } = loadWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(storage)}, 0);
    for (let i = 0; i < 100 && cache.file && !cache.used && !existsSync(cache.file); i++) await new Promise((r) => setTimeout(r, 20));
    process.stdout.write(JSON.stringify({ answer: exports.answer(), here: exports.here(), used: cache.used, file: cache.file }));`;
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout) as Load;
}

describe('extension: code cache loader', function () {
  this.timeout(20_000);
  let dir: string;
  let bundle: string;
  let storage: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'clipwise-cache-'));
    bundle = join(dir, 'client.cjs');
    storage = join(dir, 'storage');
    // Something worth caching, and a built-in required through the require the loader provides.
    const filler = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`).join('\n');
    writeFileSync(bundle, `${filler}\nconst { basename } = require('node:path');\nmodule.exports = { answer: () => f2(20), here: () => basename(__filename) };\n`);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('compiles and writes the cache on first load, then uses it', () => {
    const first = loadFresh(bundle, storage);
    assert.deepEqual([first.answer, first.here, first.used], [42, 'client.cjs', false]);
    assert.ok(first.file && existsSync(first.file));
    const second = loadFresh(bundle, storage);
    assert.deepEqual([second.answer, second.used, second.file], [42, true, first.file]);
  });

  it('starts over when the bundle changes, and keeps only the newest cache', () => {
    const first = loadFresh(bundle, storage);
    writeFileSync(bundle, 'module.exports = { answer: () => 7, here: () => "changed" };\n');
    utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    const changed = loadFresh(bundle, storage);
    assert.deepEqual([changed.answer, changed.used], [7, false]);
    assert.notEqual(changed.file, first.file);
    assert.deepEqual(readdirSync(storage), [changed.file!.split('/').pop()]);
  });

  it('hands the bundle the vscode API as an ES-module view, which __importStar does not copy', () => {
    mkdirSync(join(dir, 'node_modules', 'vscode'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'vscode', 'index.js'), 'module.exports = { version: "1.99.0", window: { show() { return "shown"; } } };\n');
    // What tsc emits for `import * as vscode from "vscode"` with esModuleInterop.
    writeFileSync(bundle, `
      var __importStar = function (mod) { if (mod && mod.__esModule) return mod; var result = {}; for (var k in mod) result[k] = mod[k]; result.default = mod; return result; };
      const vscode = __importStar(require('vscode'));
      const api = require('vscode');
      module.exports = { answer: () => (vscode === api ? 42 : 0), here: () => vscode.window.show() + ' ' + vscode.version };
    `);
    const loaded = loadFresh(bundle, storage);
    assert.equal(loaded.answer, 42, 'the same view for every import, not a copy');
    assert.equal(loaded.here, 'shown 1.99.0');
  });

  it('compiles afresh over a damaged cache, and without a storage folder', () => {
    const first = loadFresh(bundle, storage);
    writeFileSync(first.file!, 'not a V8 code cache');
    const damaged = loadFresh(bundle, storage);
    assert.deepEqual([damaged.answer, damaged.used], [42, false]);
    const none = loadFresh(bundle, undefined);
    assert.deepEqual([none.answer, none.used, none.file], [42, false, undefined]);
  });
});

// Editor budgets: the language server from process start to the first diagnostics of a
// 1,000-line file (against ruff's wasm checker run as a cold process on the same file, same run),
// the server's time from a keystroke to new diagnostics on a 10,000-line file, the extension's
// activation cost, and the size of the packaged .vsix.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DidChangeTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { DEFAULT_DEBOUNCE_MS } from '../server/lsp/documents';
import { CACHE_WRITE_DELAY_MS } from '../extension/code-cache';
import { LspClient } from '../test/protocol/lspClient';
import { pythonCorpus } from './corpus';
import { packageVersion, timeProcess } from './process';
import { lowerIsBetter, median, type BenchRecord } from './record';

const ROOT = join(import.meta.dirname, '..');
const RUNS = 5;

async function serverColdStart(uri: string, text: string): Promise<number> {
  const started = performance.now();
  const client = await LspClient.start({ debounceMs: 0 });
  await client.open(uri, text);
  await client.diagnostics(uri);
  const elapsed = performance.now() - started;
  await client.stop();
  return elapsed;
}

/** ruff's own check of the same file from a fresh process: load the wasm, check, exit. */
const RUFF_COLD = `
const text = require('node:fs').readFileSync(process.argv[1], 'utf8');
import('@astral-sh/ruff-wasm-nodejs').then((ruff) => {
  const workspace = new ruff.Workspace(ruff.Workspace.defaultSettings(), ruff.PositionEncoding?.Utf16 ?? 'utf-16');
  workspace.check(text);
});`;

/**
 * didChange (one character, sent incrementally) to publishDiagnostics on a 10,000-line file, with
 * the debounce set to 0 so only the server's own work is timed.
 */
async function keystrokes(text: string): Promise<number> {
  const client = await LspClient.start({ debounceMs: 0 });
  const uri = 'file:///bench/keystroke_10k.py';
  await client.open(uri, text);
  await client.diagnostics(uri, () => true, 0, 30000);
  const at = text.split('\n').findIndex((line, i) => i > 5000 && line.includes('loss.backward()'));
  const samples: number[] = [];
  for (let version = 2; version < 2 + 41; version++) {
    // One character typed, then deleted: the edits an editor sends, incrementally.
    const typing = version % 2 === 0;
    const range = { start: { line: at, character: 0 }, end: { line: at, character: typing ? 0 : 1 } };
    const since = client.published.length;
    const started = performance.now();
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text: typing ? ' ' : '' }],
    });
    await client.diagnostics(uri, (p) => p.version === version, since, 10000);
    if (version >= 7) samples.push(performance.now() - started);
    // The debounce keeps analyses at least this far apart while typing; so does the bench.
    await new Promise((resolve) => setTimeout(resolve, DEFAULT_DEBOUNCE_MS));
  }
  await client.stop();
  return median(samples);
}

/**
 * The extension's module load plus activate() in a fresh Node process, `vscode` stubbed; the
 * context's global storage (where the code cache lives) is argv[3]. With argv[4] the process
 * stays up that many ms, long enough for the first activation to write its code cache.
 */
const ACTIVATE_STUBBED = `
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const stub = () => new Proxy(function () {}, {
  get: (_, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : key === Symbol.iterator ? undefined : stub()),
  apply: () => stub(),
  construct: () => stub(),
  set: () => true,
});
// The bundle copies the module's own keys (esbuild's ESM interop), so the stub lists the API's
// top-level names, read from @types/vscode; the language client checks the host's version.
const names = [...readFileSync(join(process.argv[2], 'node_modules/@types/vscode/index.d.ts'), 'utf8').matchAll(/^\\s*export (?:namespace|class|enum|const|let|function) (\\w+)/gm)].map((m) => m[1]);
const api = Object.fromEntries(names.map((name) => [name, stub()]));
api.version = '1.91.0';
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? api : load.call(this, request, ...rest); };
// Against a stubbed API the client fails once it runs (after activation): irrelevant here.
process.on('uncaughtException', () => {});
process.on('unhandledRejection', () => {});
const started = performance.now();
const extension = require(process.argv[1]);
extension.activate({ subscriptions: [], asAbsolutePath: (p) => join(process.argv[2], p), extensionPath: process.argv[2], globalStorageUri: { fsPath: process.argv[3] } });
process.stdout.write(String(performance.now() - started));
setTimeout(() => process.exit(0), Number(process.argv[4] ?? 0));`;

function activateOnce(storage: string, stayMs: number): number {
  const out = spawnSync(process.execPath, ['-e', ACTIVATE_STUBBED, join(ROOT, 'dist', 'extension.cjs'), ROOT, storage, String(stayMs)], { encoding: 'utf8' });
  const ms = Number(out.stdout);
  if (out.status !== 0 || !Number.isFinite(ms)) throw new Error(`activation probe failed: ${out.stderr}`);
  return ms;
}

/**
 * Activation as a window opens it (the code cache written by an earlier activation of this
 * version) and the first activation after installing or updating (no cache yet).
 */
function activation(): { warm: number; first: number } {
  const first: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    const storage = mkdtempSync(join(tmpdir(), 'clipwise-storage-'));
    try {
      first.push(activateOnce(storage, CACHE_WRITE_DELAY_MS + 1000));
      if (i === 0) for (let j = 0; j < RUNS; j++) warm.push(activateOnce(storage, 0));
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  }
  return { warm: median(warm), first: median(first) };
}

function vsixSize(): number {
  const out = spawnSync(process.execPath, [join(ROOT, 'scripts', 'vscode', 'package.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`packaging failed: ${out.stderr}`);
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return statSync(join(ROOT, `clipwise-${version}.vsix`)).size;
}

export async function run(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  // Packaging makes the production bundles, which are what ships: measure those.
  const bytes = vsixSize();

  const scratch = mkdtempSync(join(tmpdir(), 'clipwise-bench-'));
  try {
    const text = pythonCorpus(1_000);
    const file = join(scratch, 'train_1k.py');
    writeFileSync(file, text);
    const uri = `file://${file}`;
    const ours: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await serverColdStart(uri, text));
      peer.push(await timeProcess(['-e', RUFF_COLD, file]));
    }
    records.push(lowerIsBetter('server-cold-start', 'ms', median(ours), `ruff ${packageVersion('@astral-sh/ruff-wasm-nodejs')} (wasm) cold check`, median(peer)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  records.push(lowerIsBetter('server-keystroke-10k', 'ms', await keystrokes(pythonCorpus(10_000)), 'budget', 20));
  const activated = activation();
  records.push(lowerIsBetter('activation', 'ms', activated.warm, 'budget (module load + activate, vscode stubbed, Node)', 100));
  records.push(lowerIsBetter('activation-first', 'ms', activated.first, 'budget (the same, first run after install: no code cache yet)', 100));
  records.push(lowerIsBetter('vsix-size', 'bytes', bytes, 'budget', 3 * 1024 * 1024));

  // Leave the development bundles (with source maps) in dist/ as the bench found them.
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  return records;
}

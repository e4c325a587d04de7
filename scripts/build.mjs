// Builds every bundle the project ships into dist/. An entry whose source does not exist yet is
// skipped, so parts of the project can be built before the others are written.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { updateRuleSettings } from './rule-settings.mjs';

// The per-rule settings in package.json are written from the rule list (analysis/rules/catalogue.ts).
await updateRuleSettings();

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// Bundled CommonJS dependencies call require() for Node built-ins; ESM output needs one.
const requireShim = "import { createRequire as __clipwiseCreateRequire } from 'node:module'; const require = __clipwiseCreateRequire(import.meta.url); const __filename = decodeURIComponent(new URL(import.meta.url).pathname); const __dirname = decodeURIComponent(new URL('.', import.meta.url).pathname);";

/** @type {Array<import('esbuild').BuildOptions & {entry: string}>} */
const entries = [
  // The command-line checker: one self-contained ESM file with a shebang.
  { entry: 'server/cli/main.ts', outfile: 'dist/cli.js', platform: 'node', format: 'esm', banner: { js: '#!/usr/bin/env node\n' + requireShim } },
  // The language server, runnable as `node dist/server.js --stdio`.
  { entry: 'server/main.ts', outfile: 'dist/server.js', platform: 'node', format: 'esm', banner: { js: requireShim } },
  // The VS Code extension (CommonJS: what every supported VS Code can load).
  { entry: 'extension/extension.ts', outfile: 'dist/extension.cjs', platform: 'node', format: 'cjs', external: ['vscode'] },
  // Everything the entry point loads through V8's code cache: the language client and its users.
  { entry: 'extension/client.ts', outfile: 'dist/client.cjs', platform: 'node', format: 'cjs', external: ['vscode'] },
  // The Gradient Lab webview and its training worker.
  { entry: 'webview/main.ts', outfile: 'dist/webview/main.js', platform: 'browser', format: 'esm' },
  { entry: 'webview/worker.ts', outfile: 'dist/webview/worker.js', platform: 'browser', format: 'esm' },
  // The `npm run lab` page's stand-in for the VS Code API (not shipped in the .vsix).
  { entry: 'webview/standalone/host.ts', outfile: 'dist/lab-page/host.js', platform: 'browser', format: 'esm' },
];

mkdirSync('dist', { recursive: true });
const builds = [];
for (const { entry, ...options } of entries) {
  if (!existsSync(entry)) continue;
  builds.push(build({
    entryPoints: [entry],
    bundle: true,
    target: 'es2022',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    loader: { '.md': 'text', '.wasm': 'file' },
    define: { CLIPWISE_VERSION: JSON.stringify(pkg.version) },
    ...options,
  }));
}
await Promise.all(builds);
if (watch) console.log('watch mode is not wired yet; rebuild with npm run build');

// The extension's entry point, kept tiny: it loads the client bundle (the language client and
// everything that uses it) through V8's code cache, then hands over to it.
import type * as vscode from 'vscode';
import type { ClipwiseApi } from './client';
import { loadWithCodeCache, type CodeCacheUse } from './code-cache';

/** Start of the extension's own module load, for the activation figure. */
const moduleLoadStarted = performance.now();

type ClientModule = typeof import('./client');
let client: ClientModule | undefined;

/** The client's API, and what the code cache did on this activation. */
export interface ClipwiseExports extends ClipwiseApi {
  codeCache: CodeCacheUse;
}

export function activate(context: vscode.ExtensionContext): ClipwiseExports {
  const since = performance.now() - entryLoadMs;
  const loaded = loadWithCodeCache<ClientModule>(context.asAbsolutePath('dist/client.cjs'), context.globalStorageUri?.fsPath);
  client = loaded.exports;
  return { ...client.activate(context, since), codeCache: loaded.cache };
}

export function deactivate(): Promise<void> | undefined {
  return client?.deactivate();
}

const entryLoadMs = performance.now() - moduleLoadStarted;

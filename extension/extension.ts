// The extension's entry point, kept tiny: it loads the client bundle (the language client and
// everything that uses it) through V8's code cache, then hands over to it.
import type * as vscode from 'vscode';
import type { ClipwiseApi } from './client';
import { loadWithCodeCache } from './code-cache';

/** Start of the extension's own module load, for the activation figure. */
const moduleLoadStarted = performance.now();

type ClientModule = typeof import('./client');
let client: ClientModule | undefined;

export function activate(context: vscode.ExtensionContext): ClipwiseApi {
  const since = performance.now() - entryLoadMs;
  client = loadWithCodeCache<ClientModule>(context.asAbsolutePath('dist/client.cjs'), context.globalStorageUri?.fsPath);
  return client.activate(context, since);
}

export function deactivate(): Promise<void> | undefined {
  return client?.deactivate();
}

const entryLoadMs = performance.now() - moduleLoadStarted;

// A real JSON-RPC client for the real server: `node dist/server.js --stdio` as a child process,
// spoken to through vscode-languageserver-protocol, recording every publishDiagnostics.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ProtocolNotificationType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

interface ProgressParams {
  token: string | number;
  value: LspClient['progress'][number];
}
const PROGRESS = new ProtocolNotificationType<ProgressParams, void>('$/progress');

export const ROOT = join(import.meta.dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');

/** Builds dist/ when a source the server bundles is newer than dist/server.js. */
export function ensureServerBuilt(): void {
  const built = mtime(SERVER);
  const sources = ['server', 'analysis', 'docs/rules'].map((d) => join(ROOT, d));
  if (sources.some((dir) => newestUnder(dir) > built)) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : mtime(path));
  }
  return newest;
}

export const CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true } },
  notebookDocument: { synchronization: { dynamicRegistration: false } },
  window: { workDoneProgress: true },
};

export interface StartOptions {
  settings?: Record<string, unknown>;
  debounceMs?: number;
  workspaceFolder?: string;
}

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly errors: string[] = [];
  /** Tokens of the progress the server asked the client to show. */
  readonly progressTokens: Array<string | number> = [];
  /** `$/progress` values in order of arrival (begin, report …, end). */
  readonly progress: Array<{ kind: string; title?: string; message?: string; cancellable?: boolean }> = [];
  settings: Record<string, unknown>;
  /** What the server answered to initialize. */
  initializeResult: InitializeResult | undefined;
  private readonly waiters: Array<() => void> = [];

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection, options.settings ?? {});
    child.stderr!.on('data', (chunk: Buffer) => client.errors.push(chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.published.push(params);
      for (const wake of client.waiters.splice(0)) wake();
    });
    connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      if (params.type === 1) client.errors.push(params.message);
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => client.settings));
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      client.progressTokens.push(params.token);
    });
    connection.onNotification(PROGRESS, (params: ProgressParams) => {
      client.progress.push(params.value);
    });
    connection.onNotification('window/showMessage', () => undefined);
    connection.listen();
    const folder = options.workspaceFolder ?? ROOT;
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(folder).href,
      capabilities: CAPABILITIES,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'workspace' }],
      initializationOptions: { debounceMs: options.debounceMs ?? 20 },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  open(uri: string, text: string, languageId = 'python', version = 1): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  replace(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** The next publish for `uri` (after `since` publishes in total) that satisfies `accept`. */
  async diagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, since = 0, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.published.slice(since).find((p) => p.uri === uri && accept(p));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms (got ${JSON.stringify(this.published.filter((p) => p.uri === uri).map((p) => [p.version, p.diagnostics.map((d) => d.code)]))})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } }).then((r) => (r ?? []) as CodeAction[]);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 1000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** The edits a code action makes to one document. */
export function editsFor(action: CodeAction, uri: string): TextEdit[] {
  return action.edit?.changes?.[uri] ?? [];
}

/**
 * Starts one real server for the enclosing describe block (built first if stale) and stops it
 * after; `use` receives the client.
 */
export function serverForSuite(use: (client: LspClient) => void, options?: StartOptions): void {
  let client: LspClient | undefined;
  before(async function () {
    this.timeout(60000);
    ensureServerBuilt();
    client = await LspClient.start(options);
    use(client);
  });
  after(() => client?.stop());
}

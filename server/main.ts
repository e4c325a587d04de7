// The Clipwise language server. Any LSP editor can run it: `node dist/server.js --stdio`
// (VS Code starts it over IPC). It only reads text and never runs the user's code.
import {
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  NotebookDocuments,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands, EXPLAIN_REQUEST, type ExplainParams } from './protocol';
import { CODE_ACTION_KINDS, codeActions } from './lsp/codeActions';
import { codeLenses } from './lsp/codeLens';
import { DEFAULT_DEBOUNCE_MS, OpenFiles } from './lsp/documents';
import { explainAt, explainRule } from './lsp/explain';
import { Guard } from './lsp/guard';
import { ValidatingReader } from './lsp/framing';
import { hover } from './lsp/hover';
import { EDITOR_LANGUAGES } from './lsp/languages';
import { ruleDocumentation } from './rule-docs';
import { SettingsCache } from './lsp/settings';
import { ServerStatus } from './lsp/status';
import { WorkspaceCheck } from './lsp/workspaceCheck';
import { WorkspaceProject } from './lsp/workspaceProject';

declare const CLIPWISE_VERSION: string;

const connection = process.argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all);

/** Over stdio, the bytes pass a validating reader first (oversized or malformed headers, requests after shutdown, null params). */
function stdioConnection(): Connection {
  const write = (message: object) => {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
    process.stdout.write(body);
  };
  const reader = new ValidatingReader({ log: (message) => process.stderr.write(`clipwise server: ${message}\n`), respond: write });
  process.stdin.on('end', () => reader.end());
  return createConnection(ProposedFeatures.all, process.stdin.pipe(reader), process.stdout);
}
const status = new ServerStatus(connection);
const guard = new Guard(connection, status);
const documents = new TextDocuments(TextDocument);
const notebooks = new NotebookDocuments(TextDocument);

// The last line of defence: a failure anywhere is logged, never fatal.
process.on('uncaughtException', (error) => guard.report('uncaught exception', error));
process.on('unhandledRejection', (reason) => guard.report('unhandled rejection', reason));

let openFiles: OpenFiles | undefined;
let workspaceCheck: WorkspaceCheck | undefined;
let settings: SettingsCache | undefined;
let rootFolders: WorkspaceFolder[] = [];
let canPullSettings = false;
let canRegisterConfiguration = false;
let canRefreshLenses = false;
let canWatchFiles = false;
let project: WorkspaceProject | undefined;

interface InitializationOptions {
  /** Delay between the last keystroke and analysis (default 150 ms). */
  debounceMs?: number;
  /** Settings for clients that cannot answer workspace/configuration. */
  settings?: unknown;
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  canPullSettings = !!params.capabilities.workspace?.configuration;
  canRegisterConfiguration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  rootFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  settings = new SettingsCache(connection, canPullSettings, options.settings);
  const debounceMs = typeof options.debounceMs === 'number' && options.debounceMs >= 0 ? options.debounceMs : DEFAULT_DEBOUNCE_MS;
  openFiles = new OpenFiles(connection, documents, notebooks, settings, status, guard, debounceMs);
  openFiles.listen();
  workspaceCheck = new WorkspaceCheck(connection, openFiles, settings, status, guard);
  canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  project = new WorkspaceProject(rootFolders);
  openFiles.useProject(project);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      notebookDocumentSync: { notebookSelector: [{ notebook: '*', cells: [{ language: 'python' }] }], save: true },
      codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: [Commands.checkWorkspace] },
      workspace: { workspaceFolders: { supported: true } },
    },
    serverInfo: { name: 'clipwise', version: typeof CLIPWISE_VERSION === 'string' ? CLIPWISE_VERSION : 'dev' },
  };
});

connection.onInitialized(
  guard.handler('initialized', undefined, async () => {
    // Ask to hear about settings changes, so they apply without a restart.
    if (canRegisterConfiguration) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'clipwise' });
    // Modules other files import may change on disk (a checkout, another editor): hear about it.
    if (canWatchFiles) await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.py' }] });
    void project?.indexInBackground(rootFolders);
    connection.console.info(`Clipwise server ${typeof CLIPWISE_VERSION === 'string' ? CLIPWISE_VERSION : 'dev'} ready (pid ${process.pid}, languages: ${EDITOR_LANGUAGES.join(', ')})`);
  }),
);

connection.onDidChangeConfiguration(
  guard.handler('didChangeConfiguration', undefined, (params: { settings: unknown }) => {
    settings?.changed(params.settings);
    openFiles?.reanalyseAll();
    if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }),
);

connection.onDidChangeWatchedFiles(
  guard.handler('didChangeWatchedFiles', undefined, (params: { changes: Array<{ uri: string; type: number }> }) => {
    for (const [type, how] of [[FileChangeType.Created, 'created'], [FileChangeType.Changed, 'changed'], [FileChangeType.Deleted, 'deleted']] as const) {
      const uris = params.changes.filter((c) => c.type === type).map((c) => c.uri);
      if (uris.length) openFiles?.filesChanged(uris, how);
    }
  }),
);

connection.onCodeAction(
  guard.handler('codeAction', [], async (params: Parameters<typeof codeActions>[1]) => {
    const view = await openFiles?.current(params.textDocument.uri);
    return view ? codeActions(view, params) : [];
  }),
);

connection.onHover(
  guard.handler('hover', null, async (params: Parameters<typeof hover>[1]) => {
    const view = await openFiles?.current(params.textDocument.uri);
    return view ? hover(view, params) : null;
  }),
);

connection.onCodeLens(
  guard.handler('codeLens', [], async (params: { textDocument: { uri: string } }) => {
    const view = await openFiles?.current(params.textDocument.uri);
    return view ? codeLenses(view) : [];
  }),
);

connection.onRequest(
  EXPLAIN_REQUEST,
  guard.handler('explain', null, async (params: ExplainParams) => {
    const view = await openFiles?.current(params.uri);
    const here = view && explainAt(view, params.position);
    const rule = params.code ? explainRule(params.code, await ruleDocumentation(params.code)) : undefined;
    if (here && rule) return `${here.markdown}\n\n---\n\n${rule}`;
    return here?.markdown ?? rule ?? null;
  }),
);

connection.onExecuteCommand(
  guard.handler('executeCommand', null, async (params: { command: string }) => {
    if (params.command !== Commands.checkWorkspace || !workspaceCheck) return null;
    const folders = (await connection.workspace.getWorkspaceFolders().catch(() => null)) ?? rootFolders;
    return workspaceCheck.run(folders);
  }),
);

documents.listen(connection);
notebooks.listen(connection);
connection.listen();

// Open documents and notebooks: when to analyse them, and publishing only the newest result.
//
// Each text document and each notebook is a target with a generation that every change bumps.
// On type, analysis waits for a quiet moment (debounce); a run that finds its generation
// superseded after reading settings stops, so stale results are never published. Analysis itself
// is synchronous and bounded by the analyzer's time budget, so nothing can interleave with it.
import { fileURLToPath } from 'node:url';
import { NotebookCellKind, type Connection, type NotebookDocuments, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer, type AnalyzerOptions } from '../../analysis/analyzer';
import type { ClipwiseSettings } from '../protocol';
import { toDiagnostics } from './diagnostics';
import { analyseDocument, type FileView } from './fileView';
import type { Guard } from './guard';
import { frontEndFor } from './languages';
import { analyseNotebookCells, type CellInput } from './notebooks';
import { analyzerOptions, type SettingsCache } from './settings';
import type { ServerStatus } from './status';
import type { WorkspaceProject } from './workspaceProject';

export const DEFAULT_DEBOUNCE_MS = 150;

interface Target {
  kind: 'document' | 'notebook';
  generation: number;
  analysedGeneration: number;
  /** The version `opened` already asked for, so the change event that follows an open is not a second run. */
  openedVersion?: number;
  analyzer?: Analyzer;
  /** Uris this target published diagnostics for (a notebook's cells), to clear the ones that go away. */
  published: Set<string>;
  timer?: ReturnType<typeof setTimeout>;
}

export class OpenFiles {
  private readonly targets = new Map<string, Target>();
  private readonly views = new Map<string, FileView>();
  private readonly closeListeners: Array<(uri: string) => void> = [];
  /** The project around the open files (analysis across files), once the server has one. */
  private project?: WorkspaceProject;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly notebooks: NotebookDocuments<TextDocument>,
    private readonly settings: SettingsCache,
    private readonly status: ServerStatus,
    private readonly guard: Guard,
    private readonly debounceMs: number,
  ) {}

  listen(): void {
    const on = <T>(name: string, run: (event: T) => void | Promise<void>) => this.guard.handler(name, undefined, run);
    this.documents.onDidOpen(on('didOpen', (e: { document: TextDocument }) => this.opened(e.document.uri, 'document', e.document.version)));
    this.documents.onDidChangeContent(on('didChange', (e: { document: TextDocument }) => this.changed(e.document.uri, e.document.version)));
    this.documents.onDidSave(on('didSave', (e: { document: TextDocument }) => this.saved(e.document.uri)));
    this.documents.onDidClose(on('didClose', (e: { document: TextDocument }) => this.closed(e.document.uri)));
    this.notebooks.onDidOpen(on('didOpenNotebook', (n: { uri: string }) => this.opened(n.uri, 'notebook')));
    this.notebooks.onDidChange(on('didChangeNotebook', (e: { notebookDocument: { uri: string } }) => this.changed(e.notebookDocument.uri)));
    this.notebooks.onDidSave(on('didSaveNotebook', (n: { uri: string }) => this.saved(n.uri)));
    this.notebooks.onDidClose(on('didCloseNotebook', (n: { uri: string }) => this.closed(n.uri)));
  }

  /** Analyse with the project around the files, and check importers again when a module they read changes. */
  useProject(project: WorkspaceProject): void {
    this.project = project;
    for (const [key, target] of this.targets) if (target.kind === 'document') project.opened(key, () => this.documents.get(key)?.getText() ?? '');
  }

  /** Options for analysing a file with the project around it (what a workspace check of a closed file uses too). */
  projectOptions(uri: string, base: AnalyzerOptions): AnalyzerOptions {
    return this.project?.options(uri, base) ?? base;
  }

  /** Files changed on disk (created, changed, deleted): open files that read them are checked again. */
  filesChanged(uris: readonly string[], how: 'changed' | 'created' | 'deleted'): void {
    for (const key of this.project?.changed(uris, [...this.targets.keys()], how) ?? []) this.recheck(key);
  }

  private recheck(key: string): void {
    const target = this.targets.get(key);
    if (!target) return;
    target.generation++;
    clearTimeout(target.timer);
    target.timer = setTimeout(() => void this.run(key), this.debounceMs);
  }

  onClosed(listener: (uri: string) => void): void {
    this.closeListeners.push(listener);
  }

  /** True when the file is open in the editor (then its live analysis wins over a workspace check). */
  isOpen(uri: string): boolean {
    return this.keyOf(uri) !== undefined;
  }

  /** How many findings an open file shows now (a notebook: all its cells), or undefined when it is not open. */
  openFindings(uri: string): number | undefined {
    const key = this.keyOf(uri);
    const target = key === undefined ? undefined : this.targets.get(key);
    if (!target) return undefined;
    let findings = 0;
    for (const published of target.published) findings += this.views.get(published)?.findings.length ?? 0;
    return findings;
  }

  private keyOf(uri: string): string | undefined {
    if (this.targets.has(uri)) return uri;
    // Editors and Node spell some characters of file URIs differently: compare the paths.
    const path = filePath(uri);
    return path ? [...this.targets.keys()].find((key) => filePath(key) === path) : undefined;
  }

  /**
   * The analysis of a file or cell as of its current text, running a pending analysis first (the
   * one a debounce or `run: onSave` put off), so code actions never act on shifted positions.
   */
  async current(uri: string): Promise<FileView | undefined> {
    const key = this.notebooks.findNotebookDocumentForCell(uri)?.uri ?? uri;
    const target = this.targets.get(key);
    if (!target) return undefined;
    if (target.analysedGeneration !== target.generation) await this.run(key);
    return target.analysedGeneration === target.generation ? this.views.get(uri) : undefined;
  }

  /** Settings changed: analyse everything again with them. */
  reanalyseAll(): void {
    for (const [key, target] of this.targets) {
      target.generation++;
      void this.run(key);
    }
  }

  private opened(key: string, kind: Target['kind'], version?: number): void {
    const target: Target = { kind, generation: 1, analysedGeneration: 0, openedVersion: version, published: new Set() };
    this.targets.set(key, target);
    if (kind === 'document') this.project?.opened(key, () => this.documents.get(key)?.getText() ?? '');
    void this.run(key);
  }

  private async changed(key: string, version?: number): Promise<void> {
    const target = this.targets.get(key);
    if (!target) return;
    if (version !== undefined && version === target.openedVersion) return;
    target.openedVersion = undefined;
    target.generation++;
    // Open files that import this one are checked again with its new text.
    for (const importer of this.project?.changed([key], [...this.targets.keys()]) ?? []) this.recheck(importer);
    const settings = await this.settings.get(key);
    if (settings.run === 'onSave' || this.targets.get(key) !== target) return;
    clearTimeout(target.timer);
    target.timer = setTimeout(() => void this.run(key), this.debounceMs);
  }

  private saved(key: string): void {
    const target = this.targets.get(key);
    if (target && target.analysedGeneration !== target.generation) void this.run(key);
  }

  private closed(key: string): void {
    const target = this.targets.get(key);
    if (!target) return;
    clearTimeout(target.timer);
    this.targets.delete(key);
    for (const uri of target.published) {
      this.views.delete(uri);
      this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    }
    this.status.closed(key);
    for (const listener of this.closeListeners) listener(key);
    for (const importer of this.project?.closed(key, [...this.targets.keys()]) ?? []) this.recheck(importer);
  }

  private async run(key: string): Promise<void> {
    const target = this.targets.get(key);
    if (!target) return;
    clearTimeout(target.timer);
    target.timer = undefined;
    const generation = target.generation;
    let settings: ClipwiseSettings;
    try {
      settings = await this.settings.get(key);
    } catch (error) {
      this.guard.report('reading settings', error);
      return;
    }
    // Superseded while the settings were read: the newer run publishes instead.
    if (this.targets.get(key) !== target || target.generation !== generation || target.analysedGeneration === generation) return;
    let views: FileView[];
    const started = performance.now();
    try {
      views = target.kind === 'notebook' ? this.analyseNotebook(key, target, settings) : this.analyseDocument(key, target, settings);
    } catch (error) {
      this.guard.report(`analysing ${key}`, error);
      views = [];
    }
    const elapsed = performance.now() - started;
    target.analysedGeneration = generation;
    this.publish(target, views);
    if (views.length) this.status.analysed(key, elapsed, views);
  }

  private analyseDocument(uri: string, target: Target, settings: ClipwiseSettings): FileView[] {
    const document = this.documents.get(uri);
    const language = document && frontEndFor(document.languageId, settings.languages);
    if (!document) return [];
    if (!settings.enable) return this.declined(uri, 'Clipwise is turned off (clipwise.enable)');
    if (!language) return this.declined(uri, `${document.languageId} files are not checked (clipwise.languages)`);
    if (target.analyzer?.language !== language) target.analyzer = new Analyzer(language);
    const options = this.project?.options(uri, analyzerOptions(settings)) ?? analyzerOptions(settings);
    const view = analyseDocument(uri, document.version, document.getText(), target.analyzer, options);
    if (this.project) view.findings = this.project.located(view.findings);
    return [view];
  }

  private declined(uri: string, reason: string): FileView[] {
    this.status.notChecked(uri, reason);
    return [];
  }

  private analyseNotebook(uri: string, target: Target, settings: ClipwiseSettings): FileView[] {
    const notebook = this.notebooks.getNotebookDocument(uri);
    if (!notebook || !settings.enable || !settings.notebooks || !settings.languages.includes('python')) return [];
    const cells: CellInput[] = notebook.cells.map((cell) => {
      const document = this.notebooks.getCellTextDocument(cell);
      const isPython = cell.kind === NotebookCellKind.Code && document?.languageId === 'python';
      return { uri: cell.document, version: document?.version ?? 0, kind: isPython ? 'code' : 'markdown', source: document?.getText() ?? '' };
    });
    target.analyzer ??= new Analyzer('python');
    return analyseNotebookCells(cells, target.analyzer, analyzerOptions(settings));
  }

  private publish(target: Target, views: FileView[]): void {
    const fresh = new Set(views.map((v) => v.uri));
    for (const uri of target.published) {
      if (fresh.has(uri)) continue;
      this.views.delete(uri);
      this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    }
    target.published = fresh;
    for (const view of views) {
      this.views.set(view.uri, view);
      this.connection.sendDiagnostics({ uri: view.uri, version: view.version, diagnostics: toDiagnostics(view) }).catch(() => undefined);
    }
  }
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

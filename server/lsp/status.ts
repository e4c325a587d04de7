// The numbers behind the client's two language status items. For each open document: checked
// (its findings, how long it took, any part not checked) or not checked and why. For the server:
// its failures, the latest "Check Workspace" totals. Sent as a notification, at most every 100 ms.
import type { Connection } from 'vscode-languageserver';
import { STATUS_NOTIFICATION, type DocumentState, type StatusParams } from '../protocol';

const THROTTLE_MS = 100;

export interface AnalysedView {
  uri: string;
  findings: readonly unknown[];
  skipped?: string;
  partlySkipped?: boolean;
}

export class ServerStatus {
  private readonly state: StatusParams = { pid: process.pid, filesAnalysed: 0, errors: 0, documents: {} };
  /** The documents (a notebook's cells) each open file's analysis reported on. */
  private readonly owned = new Map<string, string[]>();
  private readonly seen = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly connection: Connection) {}

  /** An open file (a document, or a notebook as its cells) was analysed. */
  analysed(key: string, ms: number, views: readonly AnalysedView[]): void {
    const rounded = Math.round(ms * 10) / 10;
    this.state.lastAnalysisMs = rounded;
    this.state.lastUri = key;
    this.forget(key);
    this.owned.set(key, views.map((v) => v.uri));
    for (const view of views) {
      this.seen.add(view.uri);
      const state: DocumentState =
        view.skipped && !view.partlySkipped ? { checked: false, reason: view.skipped } : { checked: true, findings: view.findings.length, ms: rounded, ...(view.skipped ? { partlyNotChecked: view.skipped } : {}) };
      this.state.documents[view.uri] = state;
    }
    this.state.filesAnalysed = this.seen.size;
    this.changed();
  }

  /** An open document the server does not analyse, and why. */
  notChecked(uri: string, reason: string): void {
    this.forget(uri);
    this.owned.set(uri, [uri]);
    this.state.documents[uri] = { checked: false, reason };
    this.changed();
  }

  closed(key: string): void {
    this.forget(key);
    this.changed();
  }

  /** The totals of a "Check Workspace" run (they replace the previous run's). */
  checked(files: number, findings: number, notChecked: number): void {
    this.state.workspace = { files, findings, notChecked };
    this.changed();
  }

  /** A failure of the server's own (a handler that threw), not a file it declined. */
  error(message: string): void {
    this.state.errors++;
    this.state.lastError = message;
    this.changed();
  }

  checkingWorkspace(running: boolean): void {
    this.state.checkingWorkspace = running || undefined;
    this.changed();
  }

  snapshot(): StatusParams {
    return { ...this.state, documents: { ...this.state.documents } };
  }

  private forget(key: string): void {
    for (const uri of this.owned.get(key) ?? []) delete this.state.documents[uri];
    this.owned.delete(key);
  }

  private changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connection.sendNotification(STATUS_NOTIFICATION, this.snapshot()).catch(() => undefined);
    }, THROTTLE_MS);
  }
}

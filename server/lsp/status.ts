// The numbers behind the client's language status item: the latest analysis time, how many
// files were analysed, how many things went wrong. Sent as a notification, at most every 100 ms.
import type { Connection } from 'vscode-languageserver';
import { STATUS_NOTIFICATION, type StatusParams } from '../protocol';

const THROTTLE_MS = 100;

export class ServerStatus {
  private readonly state: StatusParams = { pid: process.pid, filesAnalysed: 0, errors: 0 };
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly connection: Connection) {}

  analysed(uri: string, ms: number, skipped?: string): void {
    this.state.lastAnalysisMs = Math.round(ms * 10) / 10;
    this.state.lastUri = uri;
    this.state.filesAnalysed++;
    if (skipped) this.error(`${uri}: ${skipped}`);
    this.changed();
  }

  /** Files checked by "Check Workspace" (counted, but not the latest editor analysis). */
  checked(files: number, skipped: string[]): void {
    this.state.filesAnalysed += files;
    for (const reason of skipped) this.error(reason);
    this.changed();
  }

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
    return { ...this.state };
  }

  private changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connection.sendNotification(STATUS_NOTIFICATION, this.snapshot()).catch(() => undefined);
    }, THROTTLE_MS);
  }
}

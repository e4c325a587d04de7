// Every handler runs through here: an exception is logged and counted, the request gets an empty
// answer, and the server keeps running. Bad input must never take the server down.
import type { Connection } from 'vscode-languageserver';
import type { ServerStatus } from './status';

export class Guard {
  constructor(
    private readonly connection: Connection,
    private readonly status: ServerStatus,
  ) {}

  /** Wraps a request or notification handler; `fallback` is the answer when it fails. */
  handler<P extends unknown[], R>(name: string, fallback: R, run: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
    return async (...args: P) => {
      try {
        return await run(...args);
      } catch (error) {
        this.report(name, error);
        return fallback;
      }
    };
  }

  report(where: string, error: unknown): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    try {
      this.connection.console.error(`${where} failed: ${message}`);
    } catch {
      // The connection itself may be gone; stderr is the last place to say it.
      process.stderr.write(`${where} failed: ${message}\n`);
    }
    this.status.error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

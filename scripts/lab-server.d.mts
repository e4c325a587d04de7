// Types of lab-server.mjs, for the TypeScript tests and bench that start the page.
export const ROOT: string;
export interface LabServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  close(): Promise<void>;
}
export function startLabServer(options?: { port?: number; bundle?: string }): Promise<LabServer>;

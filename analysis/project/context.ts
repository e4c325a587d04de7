// What the analysis of one file needs from the project around it: where the modules it imports
// are, what it reads of them (so kept results can tell when one changed), and whether a finding
// about code in another file belongs to that file.
import type { ModuleLinker } from '../python/scopes';

export interface ProjectContext {
  /** Finds the project's own modules for this file's imports. */
  linker: ModuleLinker;
  /** Equal strings mean nothing this file's analysis reads from other files changed in between. */
  fingerprint(): string;
  /** Whether the module `file`, analysed on its own, reports a placement finding on the event at `origin`. */
  reportsOwn(file: string, origin: string): boolean;
}

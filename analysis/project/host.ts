// The one thing the project index asks of where it runs: reading files. The CLI reads the disk;
// the language server reads open documents first and the disk for the rest. Paths are absolute
// and use `/` (the host converts its own).
export interface ProjectHost {
  /** The file's text, or undefined when it does not exist or cannot be read as text. */
  readFile(path: string): string | undefined;
  /** What is at a path. */
  kind(path: string): 'file' | 'directory' | undefined;
  /** The names in a folder, when the host can list it (lets a lookup skip folders that cannot hold a module). */
  list?(dir: string): readonly string[] | undefined;
}

// What several bench suites do around processes: read a peer's version from its manifest, and
// time a child Node process from spawn to exit.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

/** A package's version, read from its manifest on disk (some packages do not export ./package.json). */
export function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Wall time of a child Node process from spawn to exit; any other exit code than `ok` rejects. */
export function timeProcess(args: string[], ok: readonly number[] = [0]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code !== null && ok.includes(code) ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

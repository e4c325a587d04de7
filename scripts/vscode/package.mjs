// `npm run package`: a production build (minified, no source maps) packed into
// clipwise-<version>.vsix with @vscode/vsce. Everything is bundled, so no dependencies are packed.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './prerequisites.mjs';

const MAX_BYTES = 3 * 1024 * 1024;

export function packageExtension({ quiet = false } = {}) {
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const out = join(ROOT, `clipwise-${version}.vsix`);
  const stdio = quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit';
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--production'], { cwd: ROOT, stdio });
  const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: ROOT, stdio });
  const bytes = statSync(out).size;
  if (bytes > MAX_BYTES) throw new Error(`${out} is ${bytes} bytes, over the 3 MB budget`);
  return { path: out, bytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { path, bytes } = packageExtension();
  console.log(`${path}: ${(bytes / 1024).toFixed(0)} KiB`);
}

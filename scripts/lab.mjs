// `npm run lab`: builds the bundles and serves the Gradient Lab page on 127.0.0.1 until Ctrl-C.
//
//   npm run lab                  any free port
//   npm run lab -- --port 5177   a given port
//
// The page takes ?theme=light|dark|high-contrast and ?loop=<LoopSummary JSON> (as the lens sends it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, startLabServer } from './lab-server.mjs';

const at = process.argv.indexOf('--port');
const port = at > 0 ? Number(process.argv[at + 1]) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('--port takes a number from 0 to 65535');
  process.exit(2);
}
if (!process.argv.includes('--no-build')) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
const server = await startLabServer({ port });
console.log(`Gradient Lab page: ${server.url}  (?theme=light for the light theme; Ctrl-C stops)`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

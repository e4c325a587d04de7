// `npm run dev` on a desktop with VS Code: build, then open examples/ in an Extension
// Development Host running the extension from this folder (rebuild and reload to see changes).
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './prerequisites.mjs';

execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
const code = process.env.VSCODE_CLI || 'code';
const child = spawn(code, [`--extensionDevelopmentPath=${ROOT}`, join(ROOT, 'examples')], { stdio: 'inherit', shell: process.platform === 'win32' });
child.on('error', () => {
  console.error(`Could not run "${code}". Install VS Code's command-line launcher (or set VSCODE_CLI), or use \`npm start\` to run VS Code in a browser.`);
  process.exit(1);
});
child.on('exit', (status) => process.exit(status ?? 0));

// `npm run test:vscode:electron`, on a desktop with internet: the same editor suite in desktop
// VS Code through @vscode/test-electron, with the same packaged .vsix installed. (Electron cannot
// run on the build machines; there `npm run test:vscode` runs the suite in code-server.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, resolveCliPathFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { packageExtension } from './package.mjs';
import { CACHE } from './prerequisites.mjs';
import { buildSuite, copyWorkspace } from './suite.mjs';

const { path: vsix } = packageExtension({ quiet: true });
const suite = await buildSuite();
const scratch = mkdtempSync(join(tmpdir(), 'clipwise-electron-'));
const workspace = copyWorkspace(scratch);
const profile = [`--extensions-dir=${join(scratch, 'extensions')}`, `--user-data-dir=${join(scratch, 'user-data')}`];

const vscodeExecutablePath = await downloadAndUnzipVSCode({ version: process.env.VSCODE_VERSION ?? 'stable', cachePath: join(CACHE, 'electron') });
const cli = resolveCliPathFromVSCodeExecutablePath(vscodeExecutablePath);
const installed = spawnSync(cli, [...profile, '--install-extension', vsix, '--force'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (installed.status !== 0) throw new Error(`installing ${vsix} failed`);

try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: suite.extensionDevelopmentPath,
    extensionTestsPath: suite.extensionTestsPath,
    launchArgs: [...profile, '--disable-workspace-trust', '--skip-welcome', workspace],
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

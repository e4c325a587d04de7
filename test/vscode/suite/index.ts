// The editor tests' entry, loaded by VS Code's extension host (extensionTestsPath): runs the
// mocha suite in the real host. Launcher-agnostic: code-server + Chromium here, @vscode/test-electron
// on a desktop. Test files are loaded in a fixed order, the screenshot first (a calm workbench).
import Mocha from 'mocha';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ORDER = ['screenshot', 'diagnostics', 'codeActions', 'notebook', 'settings', 'workspace', 'restart'];

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, reporter: 'spec' });
  for (const name of ORDER) {
    const file = join(__dirname, `${name}.test.js`);
    if (!existsSync(file)) continue;
    // What mocha's own file loading does, with the host's require: globals first, then the file.
    mocha.suite.emit('pre-require', globalThis, file, mocha);
    mocha.suite.emit('require', require(file), file, mocha);
    mocha.suite.emit('post-require', globalThis, file, mocha);
  }
  return new Promise((resolve, reject) => {
    let passed = 0;
    const runner = mocha.run((failures) => {
      // A plain closing line for whoever reads the log.
      console.log(`${passed} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => passed++);
  });
}

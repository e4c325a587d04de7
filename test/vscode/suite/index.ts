// The editor tests' entry, loaded by VS Code's extension host (extensionTestsPath): runs the
// mocha suite in the real host. Launcher-agnostic: code-server + Chromium here, @vscode/test-electron
// on a desktop. The screenshot runs first (a calm workbench), the server restarts last.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const FIRST = ['screenshot', 'diagnostics', 'codeActions', 'notebook', 'settings', 'workspace'];
const LAST = ['restart'];

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, reporter: 'spec' });
  // `npm run test:vscode -- --grep TEXT`: only the tests whose full title contains TEXT.
  const grep = process.env.CLIPWISE_VSCODE_GREP;
  if (grep) mocha.grep(grep);
  const present = readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).map((f) => f.slice(0, -'.test.js'.length));
  // A test file added later runs between the fixed ones and the restarts (which disturb the server).
  const order = [...FIRST, ...present.filter((n) => !FIRST.includes(n) && !LAST.includes(n)).sort(), ...LAST].filter((n) => present.includes(n));
  for (const name of order) {
    const file = join(__dirname, `${name}.test.js`);
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

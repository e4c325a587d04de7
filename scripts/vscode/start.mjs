// `npm start`: build and package the extension, install the .vsix into a real VS Code served by
// code-server on 127.0.0.1 (the set-up the editor tests use), open a fresh copy of examples/
// (under .cache/, so the editor's autosave never edits the repository) there, and print the
// address to open in a browser. Ctrl+C stops it.
import { join } from 'node:path';
import { freePort, installExtension, makeProfile, startCodeServer } from './code-server.mjs';
import { packageExtension } from './package.mjs';
import { freshExamples } from './fresh-examples.mjs';
import { ensurePrerequisites, ROOT } from './prerequisites.mjs';

ensurePrerequisites({ browser: false });
const { path: vsix } = packageExtension({ quiet: true });
const profile = makeProfile('clipwise-start-');
installExtension(profile, vsix);
const port = Number(process.env.PORT) || (await freePort());
const server = await startCodeServer(profile, { port });
const { folder: examples, remove } = freshExamples(ROOT);
const stop = () => {
  server.stop();
  remove();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.child.on('exit', (code) => {
  console.error(`code-server stopped (${code}); its log: ${join(profile.root, 'code-server.log')}`);
  remove();
  process.exit(code ?? 1);
});
console.log(`
Clipwise is installed in VS Code at

  ${server.url}/?folder=${encodeURI(examples)}

(served on 127.0.0.1 only; user data in ${profile.root}). The folder is a copy of examples/ made
for this run (edits there never touch the repository; it is removed when this stops). Ctrl+C stops it.
`);

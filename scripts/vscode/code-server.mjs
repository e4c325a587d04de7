// A real VS Code served on 127.0.0.1 by code-server, with its own user data, extensions and
// XDG folders (nothing written to $HOME). Used by the editor tests and by `npm start`.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_SERVER, NODE24, node24Env } from './prerequisites.mjs';

/** User settings that make the workbench start faster and quieter. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'github.gitAuthentication': false,
  'security.workspace.trust.enabled': false,
};

/** A fresh folder holding user data, extensions, XDG folders and logs for one run. */
export function makeProfile(prefix = 'clipwise-vscode-') {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const profile = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    xdg: { XDG_CONFIG_HOME: join(root, 'xdg', 'config'), XDG_DATA_HOME: join(root, 'xdg', 'data'), XDG_CACHE_HOME: join(root, 'xdg', 'cache') },
  };
  mkdirSync(join(profile.userData, 'User'), { recursive: true });
  mkdirSync(profile.extensions, { recursive: true });
  writeFileSync(join(profile.userData, 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));
  return profile;
}

export function installExtension(profile, vsix) {
  execFileSync(NODE24, [CODE_SERVER, '--extensions-dir', profile.extensions, '--user-data-dir', profile.userData, '--install-extension', vsix, '--force'], {
    env: node24Env(profile.xdg),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A free port on 127.0.0.1 (asked of the OS, so parallel runs do not collide). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server; resolves once /healthz answers. `testDriver` turns on the smoke-test driver,
 * without which the workbench ignores the extension-test payload in the URL.
 */
export async function startCodeServer(profile, { port, testDriver = false, env = {} }) {
  const args = [
    CODE_SERVER,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', profile.userData,
    '--extensions-dir', profile.extensions,
  ];
  if (testDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawn(NODE24, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: node24Env({ ...profile.xdg, ...env }) });
  const log = createWriteStream(join(profile.root, 'code-server.log'));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`code-server exited (${code}); see ${join(profile.root, 'code-server.log')}`))));
  exited.catch(() => undefined);
  await Promise.race([waitHealthy(port), exited]);
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

async function waitHealthy(port, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      http.get(`http://127.0.0.1:${port}/healthz`, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      }).on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

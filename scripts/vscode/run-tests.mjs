// `npm run test:vscode`: the editor tests in a real VS Code with the packaged .vsix installed.
// code-server serves VS Code on 127.0.0.1, headless Chromium (playwright-core) loads it with the
// test payload, and the mocha suite runs inside the real extension host. Exits with the suite's
// exit code (0 = all passed; 124 = timeout; 2 = launcher error).
//
//   npm run test:vscode                  run the suite
//   npm run test:vscode -- --screenshot  also update docs/images/editor.png and editor-typescript.png
//   npm run test:vscode -- --grep TEXT   run only the tests whose title contains TEXT
//   VERBOSE=1 npm run test:vscode        show the workbench log too
//
// Needs: apt-get install -y chromium libkrb5-dev. Node 24 and code-server are installed from npm
// into .cache/vscode-test/ on first use (a few minutes) and reused after.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import util from 'node:util';
import { chromium } from 'playwright-core';
import { freePort, installExtension, makeProfile, startCodeServer } from './code-server.mjs';
import { packageExtension } from './package.mjs';
import { CHROMIUM, ensurePrerequisites, ROOT } from './prerequisites.mjs';
import { buildSuite, copyWorkspace } from './suite.mjs';

const TIMEOUT_MS = Number(process.env.CLIPWISE_VSCODE_TIMEOUT_MS ?? 240000);
const updateScreenshot = process.argv.includes('--screenshot');
const grepAt = process.argv.indexOf('--grep');
const grep = grepAt > 0 ? process.argv[grepAt + 1] : undefined;
const verbose = !!process.env.VERBOSE;

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (message) => console.log(`[test:vscode ${elapsed()}] ${message}`);

// Lines of the workbench log that are expected offline and say nothing about the extension.
const NOISE = /^\[(AgentHost|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time|DefaultAccount)|^(Resolv|Creating a socket|Updating additional builtin|Creation of workbench contribution)|ENOTFOUND|EAI_AGAIN|github' to register|^Canceled|open-vsx|marketplace/;

/**
 * `[clipwise-screenshot] NAME [language-status]`, logged by screenshot.test.ts once the editor shows
 * what the picture is of: saved as NAME.png (into docs/images/ with --screenshot), then NAME.done
 * tells the test it may go on. With `language-status`, the status bar's language item is clicked
 * first, so its popup (the "Clipwise: this file" and "Clipwise server" items) is in the picture.
 */
const SCREENSHOT = /\[clipwise-screenshot\] ([a-z-]+)( language-status)?/;

async function takeScreenshot(page, name, languageStatus, screenshots) {
  const target = updateScreenshot ? join(ROOT, 'docs', 'images', `${name}.png`) : join(screenshots, `${name}.png`);
  try {
    if (languageStatus) {
      await page.locator('[id="status.languageStatus"]').click({ timeout: 5000 });
      await page.waitForTimeout(800);
    }
    mkdirSync(join(target, '..'), { recursive: true });
    // Without the title bar, which says "[Extension Development Host]" only because this is a test run.
    const viewport = page.viewportSize();
    const titleBar = await page.locator('.part.titlebar').boundingBox({ timeout: 2000 }).catch(() => null);
    const top = titleBar ? Math.round(titleBar.y + titleBar.height) : 0;
    await page.screenshot({ path: target, clip: { x: 0, y: top, width: viewport.width, height: viewport.height - top } });
    say(`screenshot saved to ${target.replace(ROOT + '/', '')}`);
  } catch (error) {
    say(`screenshot ${name} failed: ${error instanceof Error ? error.message : error}`);
  } finally {
    if (languageStatus) await page.keyboard.press('Escape').catch(() => undefined);
    writeFileSync(join(screenshots, `${name}.done`), target);
  }
}

let server;
let browser;
let profile;
let finished = false;
async function finish(code, why) {
  if (finished) return;
  finished = true;
  say(`finished: ${why} (exit ${code})`);
  try {
    await browser?.close();
  } catch {
    // closing a crashed browser can fail; the process exits anyway
  }
  server?.stop();
  // Keep the run's folder (logs, user data) only when something went wrong.
  if (profile && code === 0) rmSync(profile.root, { recursive: true, force: true, maxRetries: 3 });
  else if (profile) say(`logs and user data kept in ${profile.root}`);
  process.exit(code);
}

async function main() {
  ensurePrerequisites();
  say('prerequisites ready');
  // The clock starts after the one-time installs, which take minutes on a cold cache.
  setTimeout(() => finish(124, `timed out after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS).unref();
  const { path: vsix, bytes } = packageExtension({ quiet: true });
  say(`packaged ${vsix.replace(ROOT + '/', '')} (${(bytes / 1024).toFixed(0)} KiB)`);
  const suite = await buildSuite();
  profile = makeProfile();
  installExtension(profile, vsix);
  say(`installed the .vsix into ${profile.extensions}`);
  const workspace = copyWorkspace(profile.root);
  const screenshots = join(profile.root, 'screenshots');
  mkdirSync(screenshots, { recursive: true });

  const port = await freePort();
  server = await startCodeServer(profile, { port, testDriver: true });
  server.child.on('exit', (code) => finish(3, `code-server exited early (${code})`));
  say(`code-server up at ${server.url}`);

  browser = await chromium.launchPersistentContext(join(profile.root, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-breakpad', '--disable-crash-reporter'],
    env: { ...process.env, ...profile.xdg },
    viewport: { width: 1280, height: 860 },
    // Pictures for the README at twice the pixels, so underscores above a squiggle stay visible.
    deviceScaleFactor: updateScreenshot ? 2 : 1,
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('crash', () => finish(2, 'the page crashed'));

  // With the smoke-test driver on, the workbench forwards its log and the extension host's
  // console (mocha's reporter) here, and reports the suite's exit code through codeAutomationExit.
  await page.exposeFunction('codeAutomationLog', async (type, args) => {
    const line = util.format(...args);
    const shot = SCREENSHOT.exec(line);
    if (shot) {
      await takeScreenshot(page, shot[1], shot[2], screenshots);
      return;
    }
    if (verbose) console.log(`[${elapsed()}][${type}]`, line);
    else if (!NOISE.test(line)) console.log(line);
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(code, 'the extension host finished the suite'));

  const host = `127.0.0.1:${port}`;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${suite.extensionDevelopmentPath}`],
    ['extensionTestsPath', `vscode-remote://${host}${suite.extensionTestsPath}`],
    ['extensionEnvironment', JSON.stringify({ CLIPWISE_SCREENSHOT_DIR: screenshots, ...(grep ? { CLIPWISE_VSCODE_GREP: grep } : {}) })],
    ['skipWelcome', 'true'],
  ];
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  say('workbench loading; the suite starts once the extension host is up');
}

main().catch((error) => {
  console.error(error);
  void finish(2, 'launcher error');
});

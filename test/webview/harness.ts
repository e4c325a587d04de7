// The Gradient Lab page in real headless Chromium (Debian's, through playwright-core), served by
// the same server as `npm run lab`. Collects everything that went wrong on the page: console
// errors, uncaught exceptions and Content Security Policy violations.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { LabReport } from '../../webview/protocol';
import { ROOT, startLabServer, type LabServer } from '../../scripts/lab-server.mjs';

export const CHROMIUM = '/usr/bin/chromium';
/** The flags REAL_VSCODE.md lists for Chromium on these machines. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let built = false;

/** Builds the bundles once per test process (the page must be what the sources say). */
export function buildOnce(): void {
  if (built) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

export interface LabSession {
  browser: Browser;
  server: LabServer;
  downloads: string;
  close(): Promise<void>;
}

/** `bundle`: serve the page bundle from this folder instead of dist/webview (the bench's production build). */
export async function startSession(options: { bundle?: string } = {}): Promise<LabSession> {
  buildOnce();
  const server = await startLabServer(options.bundle ? { bundle: options.bundle } : {});
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const downloads = mkdtempSync(join(tmpdir(), 'clipwise-lab-'));
  return {
    browser,
    server,
    downloads,
    async close() {
      await browser.close();
      await server.close();
      rmSync(downloads, { recursive: true, force: true });
    },
  };
}

export class LabPage {
  /** Console errors, page errors and CSP violations, in the order they happened. */
  readonly problems: string[] = [];
  readonly warnings: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(session: LabSession, query = '', options: { width?: number; height?: number; clipboard?: boolean } = {}): Promise<LabPage> {
    const lab = await LabPage.create(session, options);
    await lab.goto(session, query);
    return lab;
  }

  /** A fresh browser context and page, watched for problems, with nothing loaded yet. */
  static async create(session: LabSession, options: { width?: number; height?: number; clipboard?: boolean } = {}): Promise<LabPage> {
    const context = await session.browser.newContext({
      viewport: { width: options.width ?? 520, height: options.height ?? 1600 },
      acceptDownloads: true,
      ...(options.clipboard ? { permissions: ['clipboard-read', 'clipboard-write'] } : {}),
    });
    const page = await context.newPage();
    const lab = new LabPage(context, page);
    page.on('console', (message) => {
      if (message.type() === 'error') lab.problems.push(`console error: ${message.text()}`);
      if (message.type() === 'warning') lab.warnings.push(message.text());
    });
    page.on('pageerror', (error) => lab.problems.push(`page error: ${error.message}`));
    await page.exposeFunction('clipwiseCspViolation', (text: string) => lab.problems.push(`CSP violation: ${text}`));
    // tsx compiles the tests keeping function names through a helper, `__name`, which functions
    // handed to page.evaluate then call inside the page: give the page an identity stand-in.
    await page.addInitScript('globalThis.__name = (target) => target;');
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { clipwiseCspViolation(text: string): void }).clipwiseCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
      });
    });
    return lab;
  }

  async goto(session: LabSession, query = ''): Promise<void> {
    await this.page.goto(session.server.url + query);
    await this.reportWhen(() => true, 'the first report');
  }

  /** The newest report the view sent to its host (the stand-in keeps them). */
  async report(): Promise<LabReport | undefined> {
    return this.page.evaluate(() => (window as unknown as { clipwiseLabHost: { last?: LabReport } }).clipwiseLabHost.last);
  }

  async reportWhen(accept: (report: LabReport) => boolean, what: string, timeoutMs = 20_000): Promise<LabReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const report = await this.report();
      if (report && accept(report)) return report;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last report: ${JSON.stringify(report)?.slice(0, 600)}`);
      await this.page.waitForTimeout(50);
    }
  }

  /** Waits until both runs have ended (all steps, or diverged) and the charts have drawn every point. */
  async finished(timeoutMs = 30_000): Promise<LabReport> {
    return this.reportWhen(
      (r) => !r.playing && (['a', 'b'] as const).every((id) => r.runs[id].completed === r.steps || r.runs[id].diverged) && r.chartPoints === Math.max(r.runs.a.completed, r.runs.b.completed),
      'both runs to finish',
      timeoutMs,
    );
  }

  async chooseExperiment(label: string): Promise<void> {
    await this.page.locator('vscode-single-select[data-control="Experiment"]').click();
    await this.page.locator('vscode-single-select[data-control="Experiment"]').getByRole('option', { name: label }).click();
  }

  async chooseSpeed(label: string): Promise<void> {
    await this.page.locator('vscode-single-select[data-control="Speed"]').click();
    await this.page.locator('vscode-single-select[data-control="Speed"]').getByRole('option', { name: label }).click();
  }

  async action(name: string): Promise<void> {
    await this.page.locator(`[data-action="${name}"]`).click();
  }

  /** Clicks an action that makes the host save a file, and returns the file's text. */
  async download(action: string): Promise<{ name: string; text: string; path: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.action(action)]);
    const path = await download.path();
    return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8'), path };
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** `clipwise lab run EXPERIMENT --format csv` (the built CLI, in Node): the table the panel's CSV must equal. */
export function labRunCsv(experimentPath: string): string {
  return execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'lab', 'run', experimentPath, '--format', 'csv'], { encoding: 'utf8' });
}

/** Parses the Lab's CSV (the table of `clipwise lab run --format csv`) into columns by header. */
export function csvColumns(csv: string): Record<string, number[]> {
  const [header, ...rows] = csv.trim().split('\n');
  const names = header.split(',');
  const columns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const row of rows) row.split(',').forEach((cell, i) => cell !== '' && columns[names[i]].push(Number(cell)));
  return columns;
}

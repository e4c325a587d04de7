// The Lab page's Content Security Policy is strict and enforced (no inline code, no eval, nothing
// remote), and messages that do not fit the protocol are ignored and logged on both sides.
import assert from 'node:assert/strict';
import { LabPage, startSession, type LabSession } from './harness';

describe('Gradient Lab page: security', function () {
  this.timeout(60_000);
  let session: LabSession;
  let lab: LabPage;

  before(async () => {
    session = await startSession();
  });
  after(async () => session?.close());
  beforeEach(async () => {
    lab = await LabPage.open(session);
  });
  afterEach(async () => lab.close());

  // (eval cannot be tried from here: the test's own page.evaluate is exempt from the page's CSP.)
  it('loads with a nonce CSP that allows no inline code, no eval and no remote content', async () => {
    assert.deepEqual(lab.problems, []);
    const policy = await lab.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.ok(policy);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|https?:|\*/);
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'nonce-[A-Za-z0-9]{32}'/);
    assert.match(policy, /worker-src blob:/);
    const nonces = await lab.page.locator('script').evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
    assert.ok(nonces.length >= 2 && nonces.every((n) => n.length === 32), 'every script carries the nonce');
  });

  it('enforces it: inline scripts, inline styles and remote requests are refused', async () => {
    const outcome = await lab.page.evaluate(async () => {
      const results: Record<string, string> = {};
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
      results.inline = String((window as unknown as { inlineRan?: boolean }).inlineRan === true);
      try {
        await fetch('http://192.0.2.1/remote.js');
        results.fetch = 'fetched';
      } catch (error) {
        results.fetch = (error as Error).name;
      }
      const styled = document.createElement('div');
      styled.setAttribute('style', 'color: rgb(1, 2, 3)');
      document.body.append(styled);
      results.style = getComputedStyle(styled).color;
      return results;
    });
    assert.deepEqual({ ...outcome, style: undefined }, { inline: 'false', fetch: 'TypeError', style: undefined });
    assert.notEqual(outcome.style, 'rgb(1, 2, 3)');
    await lab.page.waitForTimeout(100);
    const directives = lab.problems.filter((p) => p.startsWith('CSP violation')).join('\n');
    for (const directive of ['script-src', 'connect-src', 'style-src']) assert.match(directives, new RegExp(directive), `a ${directive} violation was reported`);
  });

  it('ignores and logs host messages that do not fit the protocol', async () => {
    const before = await lab.report();
    await lab.page.evaluate(() => {
      window.postMessage({ type: 'show-loop', loop: { order: 'zero_grad' } }, '*');
      window.postMessage({ type: 'show-experiment', experiment: { version: 1 } }, '*');
      window.postMessage('<img src=x onerror=alert(1)>', '*');
      window.postMessage({ type: 'run-code', code: 'process.exit()' }, '*');
    });
    await lab.page.waitForTimeout(300);
    const ignored = lab.warnings.filter((w) => w.startsWith('Gradient Lab ignored'));
    assert.equal(ignored.length, 4, ignored.join(' | '));
    const after = await lab.report();
    assert.equal(after?.title, before?.title, 'nothing changed on the page');
    assert.deepEqual(lab.problems, []);
  });

  it('the host side ignores view messages that do not fit the protocol', async () => {
    const downloads: string[] = [];
    lab.page.on('download', (d) => downloads.push(d.suggestedFilename()));
    const ignored = await lab.page.evaluate(() => {
      const api = (window as unknown as { acquireVsCodeApi(): { postMessage(message: unknown): void } }).acquireVsCodeApi();
      api.postMessage({ type: 'export-png', dataUrl: 'javascript:alert(1)', suggestedName: 'x.png' });
      api.postMessage({ type: 'export-csv', csv: 'a,b', suggestedName: '../../.bashrc' });
      api.postMessage({ type: 'save-experiment', suggestedName: 'x.json' });
      api.postMessage({ type: 'nonsense' });
      return (window as unknown as { clipwiseLabHost: { ignored: number } }).clipwiseLabHost.ignored;
    });
    assert.equal(ignored, 4);
    await lab.page.waitForTimeout(300);
    assert.deepEqual(downloads, []);
  });
});

// The Lab from the keyboard alone, every control labelled, and the themes: light, dark and high
// contrast take their colours from VS Code's variables. With CLIPWISE_SCREENSHOTS=1 the light and
// dark pictures the README shows are written to docs/images/ (a scratch folder otherwise).
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PRESETS } from '../../webview/lab/presets';
import { LabPage, startSession, type LabSession } from './harness';

const DOCS = PRESETS.find((p) => p.id === 'pytorch-docs')!;

describe('Gradient Lab page: keyboard and themes', function () {
  this.timeout(60_000);
  let session: LabSession;
  const pages: LabPage[] = [];

  before(async () => {
    session = await startSession();
  });
  after(async () => session?.close());
  afterEach(async () => {
    for (const page of pages.splice(0)) {
      await page.close();
      assert.deepEqual(page.problems, [], 'the page had console errors, page errors or CSP violations');
    }
  });

  async function open(query = ''): Promise<LabPage> {
    const lab = await LabPage.open(session, query);
    pages.push(lab);
    return lab;
  }

  /** What has the keyboard focus, named the way a person would read it. */
  async function focused(lab: LabPage): Promise<string> {
    return lab.page.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      if (!active) return '';
      return active.dataset.control ?? active.dataset.action ?? active.tagName.toLowerCase();
    });
  }

  async function tabTo(lab: LabPage, name: string, limit = 40): Promise<void> {
    for (let i = 0; i < limit; i++) {
      if ((await focused(lab)) === name) return;
      await lab.page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${name}`);
  }

  it('reaches every control with Tab, in reading order', async () => {
    const lab = await open();
    const order: string[] = [];
    for (let i = 0; i < 30; i++) {
      await lab.page.keyboard.press('Tab');
      const name = await focused(lab);
      if (order.includes(name)) break;
      order.push(name);
    }
    const expected = ['Experiment', 'play', 'step', 'reset', 'Speed', 'summary', 'Clipping', 'Threshold (max_norm or clip_value)', 'Norm type', 'Optimizer', 'Learning rate', 'Steps', 'Seed', 'save', 'open', 'export-csv', 'export-png', 'copy-pytorch', 'export-pytorch'];
    assert.deepEqual(order.filter((n) => expected.includes(n)), expected);
  });

  it('labels every control', async () => {
    const lab = await open();
    const unlabelled = await lab.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-control]')]
        .filter((control) => !document.querySelector(`label[for="${control.id}"]`)?.textContent?.trim())
        .map((c) => c.dataset.control),
    );
    assert.deepEqual(unlabelled, []);
    const buttons = await lab.page.locator('vscode-button').allInnerTexts();
    assert.ok(buttons.length >= 9 && buttons.every((b) => b.trim().length > 0));
  });

  it('chooses a preset, trains it, steps and resets without a mouse', async () => {
    const lab = await open();
    await tabTo(lab, 'Experiment');
    // The select opens with Space, moves with the arrow keys and takes the option with Enter.
    await lab.page.keyboard.press('Space');
    const index = PRESETS.indexOf(DOCS);
    for (let i = 0; i < index; i++) await lab.page.keyboard.press('ArrowDown');
    await lab.page.keyboard.press('Enter');
    await lab.reportWhen((r) => r.presetId === DOCS.id, 'the docs example to load');
    await tabTo(lab, 'step');
    await lab.page.keyboard.press('Enter');
    await lab.page.keyboard.press('Space');
    const stepped = await lab.reportWhen((r) => r.runs.a.completed === 2, 'two single steps');
    assert.equal(stepped.playing, false);
    await tabTo(lab, 'play');
    await lab.page.keyboard.press('Enter');
    // While it trains, the status and the words change many times a second: screen readers wait for them.
    await lab.page.waitForFunction(() => document.querySelector('.lab-status')?.getAttribute('aria-busy') === 'true');
    const done = await lab.finished();
    await lab.page.waitForFunction(() => ['.lab-status', '.lab-summary'].every((s) => document.querySelector(s)?.getAttribute('aria-busy') === 'false'));
    assert.equal(done.runs.b.completed, DOCS.experiment.steps);
    await tabTo(lab, 'reset');
    await lab.page.keyboard.press('Enter');
    await lab.reportWhen((r) => r.runs.a.completed === 0 && r.presetId === DOCS.id, 'the reset');
    // A slider moves with the arrow keys and retrains with the new value.
    await tabTo(lab, 'Threshold (max_norm or clip_value)');
    await lab.page.keyboard.press('ArrowRight');
    const changed = await lab.reportWhen((r) => r.clip.threshold !== DOCS.experiment.clip.threshold, 'the new threshold');
    assert.ok(changed.clip.threshold > DOCS.experiment.clip.threshold);
  });

  it('fits a 200-pixel-wide side bar without scrolling sideways', async () => {
    const lab = await LabPage.open(session, `?loop=${encodeURIComponent(JSON.stringify(LOOP))}`, { width: 200, height: 900 });
    pages.push(lab);
    await lab.finished();
    const wider = await lab.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('#lab *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
    );
    assert.deepEqual(wider, [], 'elements wider than the panel');
    assert.equal(await lab.page.evaluate(() => document.documentElement.scrollWidth), 200);
  });

  const LOOP = {
    order: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'step' }, { call: 'clip' }],
    fixedOrder: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }],
    codes: ['CLP002'],
    clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
  };

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`takes its colours from the ${theme} theme's variables, and pictures it`, async () => {
      const lab = await open(`?theme=${theme}&loop=${encodeURIComponent(JSON.stringify(LOOP))}&file=${encodeURIComponent('file:///project/train.py')}&line=41`);
      const colours = await lab.page.evaluate(() => {
        const body = getComputedStyle(document.body);
        return { background: body.backgroundColor, foreground: body.color, expected: body.getPropertyValue('--vscode-sideBar-background').trim() };
      });
      const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
      assert.equal(colours.background, rgb(colours.expected));
      const [r, g, b] = colours.background.match(/\d+/g)!.map(Number);
      const dark = (r + g + b) / 3 < 128;
      assert.equal(dark, theme !== 'light', `${theme}: background ${colours.background}`);
      if (theme === 'high-contrast') {
        const border = await lab.page.locator('figure.lab-chart').first().evaluate((f) => getComputedStyle(f).borderTopStyle);
        assert.equal(border, 'solid', 'high contrast outlines the charts');
      }
      // The README's pictures (docs/images/lab-light.png, lab-dark.png) when asked; a scratch copy otherwise.
      await lab.finished();
      await lab.page.setViewportSize({ width: 560, height: 1250 });
      await lab.page.waitForTimeout(300);
      const folder = process.env.CLIPWISE_SCREENSHOTS && theme !== 'high-contrast' ? join(import.meta.dirname, '..', '..', 'docs', 'images') : session.downloads;
      mkdirSync(folder, { recursive: true });
      const path = join(folder, `lab-${theme}.png`);
      await lab.page.screenshot({ path });
      assert.ok(statSync(path).size > 10_000, 'the picture shows the panel');
    });
  }
});

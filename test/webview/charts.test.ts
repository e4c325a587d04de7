// The Lab's charts in real Chromium, as a person watches them: the max_norm line's label sits above
// the plot area, never on the data (light and dark themes); a chart scrolled out of view waits while
// training runs and has every point once it stops; and when frames come late, a frame draws fewer
// charts, so the page keeps up instead of falling further behind.
import assert from 'node:assert/strict';
import { presetExperiment } from '../../webview/lab/presets';
import { LabPage, startSession, type LabSession } from './harness';

const LOOP = {
  order: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'step' }, { call: 'clip' }],
  fixedOrder: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }],
  codes: ['CLP002'],
  clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
};

/** The exploding RNN with both runs clipped (neither stops early), for `steps` steps. */
function longRun(steps: number): unknown {
  const rnn = presetExperiment('exploding-rnn');
  return { ...rnn, steps, a: { ...rnn.a, clip: undefined } };
}

describe('Gradient Lab page: charts', function () {
  this.timeout(90_000);
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

  async function open(query = '', options: { height?: number } = {}): Promise<LabPage> {
    const lab = await LabPage.open(session, query, options);
    pages.push(lab);
    return lab;
  }

  async function showExperiment(lab: LabPage, experiment: unknown, steps: number): Promise<void> {
    await lab.page.evaluate((value) => {
      window.postMessage({ type: 'show-experiment', experiment: value, source: { kind: 'file', name: 'long.json' }, sentAt: Date.now() }, location.origin);
    }, experiment);
    await lab.reportWhen((r) => r.source === 'file' && r.steps === steps, 'the long run to load');
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`writes the max_norm label above the plot area, off the data (${theme} theme)`, async () => {
      const lab = await open(`?theme=${theme}&loop=${encodeURIComponent(JSON.stringify(LOOP))}`);
      await lab.finished();
      const found = await lab.page.evaluate(() => {
        const figure = document.querySelector<HTMLElement>('figure[data-chart="norm"]')!;
        const canvas = figure.querySelector('canvas')!;
        const over = figure.querySelector<HTMLElement>('.u-over')!;
        const ratio = canvas.width / canvas.getBoundingClientRect().width;
        const plotTop = Math.round(over.offsetTop * ratio);
        const plotLeft = Math.round(over.offsetLeft * ratio);
        const plotRight = plotLeft + Math.round(over.offsetWidth * ratio);
        const hex = getComputedStyle(document.body).getPropertyValue('--vscode-charts-green').trim();
        const target = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
        const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        // Pixels drawn in the threshold's colour (or close to it, at the edges of text), by row.
        const rows = new Map<number, number>();
        for (let y = 0; y < height; y++) {
          for (let x = plotLeft; x < Math.min(width, plotRight); x++) {
            const i = (y * width + x) * 4;
            const distance = Math.hypot(data[i] - target[0], data[i + 1] - target[1], data[i + 2] - target[2]);
            if (distance < 40 && data[i + 3] > 200) rows.set(y, (rows.get(y) ?? 0) + 1);
          }
        }
        return { plotTop, rows: [...rows.entries()] };
      });
      const inPlot = found.rows.filter(([y]) => y >= found.plotTop);
      const above = found.rows.filter(([y]) => y < found.plotTop);
      assert.ok(inPlot.length > 0, 'the max_norm line is drawn');
      // The line is the plot row with the most threshold-coloured pixels; nothing else in the plot has that colour.
      const line = inPlot.reduce((best, row) => (row[1] > best[1] ? row : best))[0];
      const stray = inPlot.filter(([y]) => Math.abs(y - line) > 1);
      assert.deepEqual(stray, [], `threshold-coloured pixels inside the plot area away from the line at row ${line} (the label on the data)`);
      assert.ok(above.reduce((sum, [, n]) => sum + n, 0) >= 20, 'the label is written above the plot area');
    });
  }

  it('keeps a chart scrolled out of view waiting while training runs, and draws it once training stops', async () => {
    const lab = await open('', { height: 900 });
    const steps = 2000;
    await showExperiment(lab, longRun(steps), steps);
    const placed = await lab.page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll<HTMLElement>('figure.lab-chart')].map((f) => [f.dataset.chart, f.getBoundingClientRect().top < innerHeight])),
    );
    assert.equal(placed.loss, true, 'the loss chart is in view');
    assert.equal(placed['layers-b'], false, "run B's layer chart is out of view");
    await lab.chooseSpeed('as fast as possible');
    const seen = await lab.page.evaluate(async () => {
      const points = (key: string) => Number(document.querySelector<HTMLElement>(`figure[data-chart="${key}"]`)!.dataset.points);
      const status = document.querySelector('.lab-status')!;
      const during = { loss: new Set<number>(), hidden: new Set<number>() };
      document.querySelector<HTMLElement>('[data-action="play"]')!.click();
      await new Promise<void>((resolve) => {
        const sample = () => {
          if (/finished/.test(status.textContent ?? '')) return resolve();
          during.loss.add(points('loss'));
          during.hidden.add(points('layers-b'));
          requestAnimationFrame(sample);
        };
        requestAnimationFrame(sample);
      });
      return { loss: during.loss.size, hidden: [...during.hidden] };
    });
    assert.ok(seen.loss > 5, `the loss chart grew while training (${seen.loss} sizes seen)`);
    assert.ok(seen.hidden.length <= 2 && Math.max(...seen.hidden) < steps / 2, `the chart out of view waited: it showed ${seen.hidden.join(', ')} points while training`);
    const report = await lab.finished();
    assert.equal(report.chartPoints, steps);
    const points = await lab.page.locator('figure.lab-chart').evaluateAll((figures) => figures.map((f) => Number((f as HTMLElement).dataset.points)));
    assert.deepEqual(points, [steps, steps, steps, steps, steps], 'every chart has every point once training stopped');
  });

  it('tells the host the charts hold every step as soon as they do, once training has stopped', async () => {
    const lab = await open('', { height: 900 });
    const steps = 1000;
    await showExperiment(lab, longRun(steps), steps);
    await lab.chooseSpeed('as fast as possible');
    const reported = await lab.page.evaluate(async (total) => {
      const host = (window as unknown as { clipwiseLabHost: { last?: { chartPoints: number } } }).clipwiseLabHost;
      const all = () => [...document.querySelectorAll<HTMLElement>('figure.lab-chart')].every((f) => Number(f.dataset.points) === total);
      document.querySelector<HTMLElement>('[data-action="play"]')!.click();
      // Checked every frame: the first frame in which every chart holds every step, what has the host heard?
      return new Promise<number | undefined>((resolve) => {
        const check = () => (all() ? resolve(host.last?.chartPoints) : requestAnimationFrame(check));
        requestAnimationFrame(check);
      });
    }, steps);
    assert.equal(reported, steps);
  });

  it('draws fewer charts per frame when frames come late', async () => {
    const lab = await open();
    const steps = 1500;
    await showExperiment(lab, longRun(steps), steps);
    await lab.chooseSpeed('as fast as possible');
    const batches = await lab.page.evaluate(async () => {
      // Charts drawn in one frame change their data-points together, in one batch of mutations.
      const drawn: number[] = [];
      const observer = new MutationObserver((records) => drawn.push(new Set(records.map((r) => (r.target as HTMLElement).dataset.chart)).size));
      observer.observe(document.querySelector('.lab-charts')!, { attributes: true, attributeFilter: ['data-points'], subtree: true });
      const status = document.querySelector('.lab-status')!;
      // Something else on the page holds every frame for 40 ms: each frame comes late.
      let busy = true;
      const hold = () => {
        const until = performance.now() + 40;
        while (performance.now() < until);
        if (busy) requestAnimationFrame(hold);
      };
      requestAnimationFrame(hold);
      document.querySelector<HTMLElement>('[data-action="play"]')!.click();
      await new Promise<void>((resolve) => {
        const check = () => (/finished/.test(status.textContent ?? '') ? resolve() : setTimeout(check, 20));
        check();
      });
      busy = false;
      observer.disconnect();
      return drawn;
    });
    assert.ok(batches.length > 10, `frames that drew: ${batches.length}`);
    // The first frame draws every chart in view; once frames are late, one chart a frame.
    assert.ok(batches[0] > 1, `the first frame draws every chart in view: ${batches.join(" ")}`);
    assert.deepEqual(
      batches.slice(3).filter((n) => n > 1),
      [],
      `charts drawn per frame: ${batches.join(' ')}`,
    );
    const report = await lab.finished();
    assert.equal(report.chartPoints, steps, 'the charts still catch up with every step');
  });
});

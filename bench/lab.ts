// Gradient Lab budgets, measured in real headless Chromium on the `npm run lab` page (the bundle
// the editor loads): RNN-preset steps per second in the worker while the charts redraw, the
// page's frame times while it trains, the time from opening "this loop" to its first chart point,
// and the size of the minified page bundle (UI + worker + charts + styles).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { presetExperiment } from '../webview/lab/presets';
import { LabPage, startSession } from '../test/webview/harness';
import { lowerIsBetter, higherIsBetter, median, type BenchRecord } from './record';

const ROOT = join(import.meta.dirname, '..');
const RUNS = 5;

const PRODUCTION = join(ROOT, 'out', 'bench-webview');

/**
 * The page's bundles as the .vsix ships them (minified, no source maps; the same options as
 * `scripts/build.mjs --production`), written to out/bench-webview for the page to load; their bytes.
 */
async function productionBundle(): Promise<number> {
  rmSync(PRODUCTION, { recursive: true, force: true });
  const result = await build({
    entryPoints: [join(ROOT, 'webview', 'main.ts'), join(ROOT, 'webview', 'worker.ts')],
    outdir: PRODUCTION,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'warning',
  });
  return Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
}

/** The p-th percentile (0–100) of some values. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const LOOP = {
  order: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'step' }, { call: 'clip' }],
  fixedOrder: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }],
  codes: ['CLP002'],
  clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
};

/** Starts training and records every frame's interval until all `steps` are on the charts. */
async function trainAndWatch(lab: LabPage, steps: number): Promise<{ elapsed: number; deltas: number[] }> {
  return lab.page.evaluate(async (total) => {
    const host = (window as unknown as { clipwiseLabHost: { last?: { runs: { b: { completed: number } }; chartPoints: number } } }).clipwiseLabHost;
    const deltas: number[] = [];
    let last = performance.now();
    let running = true;
    const tick = (now: number) => {
      deltas.push(now - last);
      last = now;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const started = performance.now();
    document.querySelector<HTMLElement>('[data-action="play"]')!.click();
    await new Promise<void>((resolve) => {
      const check = () => (host.last && host.last.runs.b.completed >= total && host.last.chartPoints >= total ? resolve() : setTimeout(check, 5));
      check();
    });
    running = false;
    // The first two frames include starting up, not training.
    return { elapsed: performance.now() - started, deltas: deltas.slice(2) };
  }, steps);
}

export async function run(): Promise<BenchRecord[]> {
  const bytes = await productionBundle();
  const session = await startSession({ bundle: PRODUCTION });
  const records: BenchRecord[] = [];
  try {
    // Steps per second: the RNN preset with both runs clipped (so neither stops early) and more
    // steps, trained as fast as the worker can while the page draws every frame. Frame times: the
    // same at the panel's default speed (what a person watches), and at full speed.
    const rnn = presetExperiment('exploding-rnn');
    const rates: number[] = [];
    const frames: Record<'paced' | 'max', number[]> = { paced: [], max: [] };
    for (const [speed, steps, label] of [['max', 3000, 'as fast as possible'], ['paced', 600, '300 steps/s'], ['max', 3000, 'as fast as possible'], ['paced', 600, '300 steps/s'], ['max', 3000, 'as fast as possible']] as const) {
      const lab = await LabPage.open(session);
      await lab.page.evaluate((experiment) => {
        const message = { type: 'show-experiment', experiment, source: { kind: 'file', name: 'bench.json' }, sentAt: Date.now() };
        window.postMessage(message, location.origin);
      }, { ...rnn, steps, a: { ...rnn.a, clip: undefined } });
      await lab.reportWhen((r) => r.title === rnn.title && r.steps === steps, 'the bench experiment');
      await lab.chooseSpeed(label);
      const measured = await trainAndWatch(lab, steps);
      if (speed === 'max') rates.push((steps / measured.elapsed) * 1000);
      frames[speed].push(...measured.deltas);
      if (lab.problems.length) throw new Error(`the Lab page had problems: ${lab.problems.join('; ')}`);
      await lab.close();
    }
    records.push(higherIsBetter('lab-rnn-steps', 'steps/s', median(rates), 'budget (RNN preset; a step is one optimizer step of A and one of B; worker in Chromium, charts drawing)', 1000));
    records.push(lowerIsBetter('lab-frame-time', 'ms', percentile(frames.paced, 95), 'budget (95th percentile while training at the default 300 steps/s, Chromium)', 20));
    records.push(lowerIsBetter('lab-frame-time-full-speed', 'ms', percentile(frames.max, 95), 'budget (the same while the worker trains as fast as it can)', 20));

    // From opening "this loop" (loading the page with the lens's loop) to its first chart point.
    const opens: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const lab = await LabPage.create(session);
      const started = Date.now();
      await lab.goto(session, `?loop=${encodeURIComponent(JSON.stringify(LOOP))}`);
      const report = await lab.reportWhen((r) => r.source === 'loop' && r.firstPointAt !== undefined, 'the first chart point');
      opens.push(report.firstPointAt! - started);
      await lab.close();
    }
    records.push(lowerIsBetter('lab-open', 'ms', median(opens), 'budget (page load to the first chart point of this loop, Chromium)', 500));
  } finally {
    await session.close();
  }
  records.push(lowerIsBetter('webview-bundle-size', 'bytes', bytes, 'budget (UI + worker + charts + styles, minified)', 400 * 1024));
  return records;
}

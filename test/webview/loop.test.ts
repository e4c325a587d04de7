// "This loop" on the Lab page, as the lens sends it: run A replays the code's order, run B the
// fixed one, and the panel says in words what the difference did, with the threshold as the code
// writes it; its table is `clipwise lab run` of the saved experiment. Also what the page does with
// a loop summary it cannot read.
import assert from 'node:assert/strict';
import { parseExperiment } from '../../webview/lab/experiment';
import { runToEnd } from '../../webview/lab/runner';
import type { LoopInput } from '../../webview/lab/this-loop';
import { LabPage, labRunCsv, startSession, type LabSession } from './harness';

const CLIP_AFTER_STEP: LoopInput = {
  order: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'step' }, { call: 'clip' }],
  fixedOrder: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }],
  codes: ['CLP002'],
  clip: { kind: 'norm', threshold: 1, thresholdText: '1.0', normType: 2 },
  learningRate: 0.3,
  learningRateText: '0.3',
  optimizer: 'optimizer',
  optimizerKind: 'sgd',
};

const ZERO_BEFORE_STEP: LoopInput = {
  order: [{ call: 'backward' }, { call: 'clip' }, { call: 'zero_grad' }, { call: 'step' }],
  fixedOrder: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }],
  codes: ['CLP005'],
  clip: { kind: 'norm', threshold: 0.5, thresholdText: '.5' },
};

/** Clipping scaled gradients on every micro-batch (CLP003, CLP004) under Adam: the loss scaler, accumulation and Adam's bias corrections all in one run. */
const SCALED_ACCUMULATION: LoopInput = {
  order: [{ call: 'backward' }, { call: 'clip' }, { call: 'unscale', windowEnd: true }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }],
  fixedOrder: [{ call: 'backward' }, { call: 'unscale', windowEnd: true }, { call: 'clip', windowEnd: true }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }],
  codes: ['CLP003', 'CLP004'],
  clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
  optimizerKind: 'adam',
  learningRate: 0.01,
  accumulation: 4,
  scaler: {},
};

function loopQuery(loop: unknown, line = 41): string {
  return `?loop=${encodeURIComponent(JSON.stringify(loop))}&file=${encodeURIComponent('file:///work/train.py')}&line=${line}`;
}

describe('Gradient Lab page: this loop', function () {
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

  async function open(query: string): Promise<LabPage> {
    const lab = await LabPage.open(session, query);
    pages.push(lab);
    return lab;
  }

  it("opens the loop (your order against the fixed one), trains it at once and says what the order did", async () => {
    const lab = await open(loopQuery(CLIP_AFTER_STEP));
    const report = await lab.reportWhen((r) => r.source === 'loop' && r.summary.length > 0, 'the loop to run');
    assert.deepEqual(report.runs.a.calls, ['zero_grad', 'forward', 'backward', 'step', 'clip']);
    assert.deepEqual(report.runs.b.calls, ['zero_grad', 'forward', 'backward', 'clip', 'step']);
    assert.equal(report.clip.threshold, 1);
    assert.equal(report.optimizer.kind, 'sgd');
    assert.equal(report.optimizer.lr, 0.3);
    const done = await lab.finished();
    assert.deepEqual(await lab.page.locator('.lab-summary p').allInnerTexts(), done.summary);
    // At lr 0.3 the unclipped updates blow up: A's words stop where it diverged, and a line says where.
    const diverged = done.runs.a.diverged;
    assert.ok(diverged, 'A diverges at lr 0.3');
    assert.match(done.summary[1], new RegExp(`^A, your order: no update used clipped gradients .* against max_norm 1\\.0, above it in ${diverged.step} of ${diverged.step} steps\\.$`));
    assert.match(done.summary[2], /^B, the fixed order: all 300 updates used clipped gradients; .* never above it; final loss [\d.e-]+\.$/);
    assert.equal(done.summary[3], `Your order diverged at step ${diverged.step}: ${diverged.reason}.`);
    assert.match(await lab.page.locator('.lab-description').innerText(), /train\.py:42/);
    assert.match(await lab.page.locator('.lab-runs').innerText(), /A: your order[\s\S]*zero_grad → forward → backward → step → clip/);
  });

  it('says in words what happened in each run, with numbers counted from the run itself', async () => {
    // At the learning rate the Lab picks for a loop that states none, neither run diverges.
    const { learningRate: _lr, learningRateText: _text, ...gentle } = CLIP_AFTER_STEP;
    const lab = await open(loopQuery(gentle));
    const done = await lab.finished();
    // The same run, computed again here in Node from the experiment the panel saves.
    const saved = await lab.download('save');
    const parsed = parseExperiment(JSON.parse(saved.text));
    assert.ok(parsed.ok);
    const { a, b } = runToEnd(parsed.experiment);
    const steps = parsed.experiment.steps;
    const near = (text: string, value: number) => Math.abs(Number(text) - value) <= 0.05 * Math.abs(value);
    const [intro, lineA, lineB, ...rest] = done.summary;
    assert.deepEqual(rest, [], done.summary.join(' | '));
    assert.equal(intro, 'Your order clips after step(): the update has already used the unclipped gradients.');

    // A clips after the step: no update used clipped gradients, and the step saw norms above max_norm.
    const matchA = /^A, your order: no update used clipped gradients \(the clip runs after step\(\)\); the step used gradients of norm ([\d.e-]+) \(median; largest ([\d.e-]+)\) against max_norm 1\.0, above it in (\d+) of (\d+) steps; final loss ([\d.e-]+)\.$/.exec(lineA);
    assert.ok(matchA, lineA);
    const aAfter = a.records.map((r) => r.normAfter);
    assert.equal(Number(matchA[3]), aAfter.filter((n) => n > 1 + 1e-6).length);
    assert.equal(Number(matchA[4]), steps);
    assert.ok(Number(matchA[3]) > steps / 2, 'most of A\'s steps used gradients above max_norm');
    assert.ok(near(matchA[2], Math.max(...aAfter)), `largest ${matchA[2]} vs ${Math.max(...aAfter)}`);
    assert.ok(near(matchA[5], a.records[steps - 1].loss), `A's final loss ${matchA[5]} vs ${a.records[steps - 1].loss}`);

    // B clips before the step: every step whose clip measured more than max_norm used the clipped gradients.
    const matchB = /^B, the fixed order: (\d+) of (\d+) updates used clipped gradients \(in the other (\d+) the norm was already within max_norm 1\.0\); the step used gradients of norm ([\d.e-]+) \(median; largest ([\d.e-]+)\) against max_norm 1\.0, never above it; final loss ([\d.e-]+)\.$/.exec(lineB);
    assert.ok(matchB, lineB);
    const over = b.records.filter((r) => r.normBefore > 1).length;
    assert.equal(Number(matchB[1]), over);
    assert.ok(over > 0 && over < steps, `some but not all of B's steps were clipped (${over})`);
    assert.equal(Number(matchB[2]), steps);
    assert.equal(Number(matchB[3]), steps - over);
    assert.equal(matchB[5], '1.0', 'the largest norm B stepped with is max_norm');
    assert.ok(near(matchB[6], b.records[steps - 1].loss), `B's final loss ${matchB[6]} vs ${b.records[steps - 1].loss}`);
  });

  it("writes the threshold as the code does: on the slider, next to the runs, on the chart and in the words", async () => {
    // One decade down the log slider (20 steps per decade): 0.1 from 1.0, 0.0501 from .5.
    for (const [loop, written, moved] of [[CLIP_AFTER_STEP, '1.0', '0.1'], [ZERO_BEFORE_STEP, '.5', '0.0501']] as const) {
      const lab = await open(loopQuery(loop));
      const done = await lab.finished();
      const slider = lab.page.locator('input[data-control="Threshold (max_norm or clip_value)"]');
      assert.equal(await lab.page.locator('.lab-slider-value').first().innerText(), written);
      assert.equal(await slider.getAttribute('aria-valuetext'), written);
      assert.match(await lab.page.locator('.lab-runs').innerText(), new RegExp(`clip_grad_norm_\\(max_norm=${written.replace('.', '\\.')}\\)`));
      assert.match((await lab.page.locator('figure[data-chart="norm"] [role="img"]').getAttribute('aria-label')) ?? '', new RegExp(`a dashed line at max_norm=${written.replace('.', '\\.')}$`));
      assert.ok(done.summary.some((s) => s.includes(`against max_norm ${written}`)), done.summary.join(' | '));
      // Moved off the code's value, the threshold is written as Python writes the number.
      await slider.focus();
      for (let i = 0; i < 20; i++) await lab.page.keyboard.press('ArrowLeft');
      await lab.reportWhen((r) => r.clip.threshold === Number(moved), 'the new threshold');
      assert.equal(await lab.page.locator('.lab-slider-value').first().innerText(), moved);
      assert.match(await lab.page.locator('.lab-runs').innerText(), new RegExp(`clip_grad_norm_\\(max_norm=${moved.replace('.', '\\.')}\\)`));
    }
  });

  it('shows zero_grad before step as a step that sees zeros', async () => {
    const lab = await open(loopQuery(ZERO_BEFORE_STEP));
    const done = await lab.finished();
    assert.equal(done.summary[0], 'Your order clears the gradients between backward() and step(): the step sees zeros.');
    assert.match(done.summary[1], /^A, your order: 0 of \d+ updates used clipped gradients; every update used zero gradients; final loss [\d.e-]+\.$/);
    assert.match(done.summary[2], /^B, the fixed order: .* against max_norm \.5, never above it; final loss [\d.e-]+\.$/);
  });

  it('exports the same table as `clipwise lab run` of the saved experiment, character for character', async () => {
    const lab = await open(loopQuery(SCALED_ACCUMULATION));
    const report = await lab.reportWhen((r) => r.source === 'loop', 'the loop to load');
    assert.equal(report.accumulation, 4);
    assert.equal(report.optimizer.kind, 'adam');
    await lab.chooseSpeed('as fast as possible');
    await lab.finished(60_000);
    const saved = await lab.download('save');
    const csv = await lab.download('export-csv');
    assert.match(csv.text.split('\n')[0], /,a_loss_scale,a_step_skipped,/, 'the scaler columns are in the table');
    assert.equal(csv.text, labRunCsv(saved.path));
  });

  it('ignores a loop summary it cannot read, says so, and stays on the presets', async () => {
    const lab = await open(loopQuery({ order: [{ call: 'rm -rf' }], fixedOrder: [], codes: [] }));
    const report = await lab.report();
    assert.equal(report?.source, 'preset');
    assert.ok(lab.warnings.some((w) => w.includes('not a loop summary')), `a warning names the problem: ${lab.warnings.join(' | ')}`);
  });
});

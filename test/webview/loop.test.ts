// "This loop" on the Lab page, as the lens sends it: run A replays the code's order, run B the
// fixed one, and the panel says in words what the difference did, with the threshold as the code
// writes it; its table is `clipwise lab run` of the saved experiment. Also what the page does with
// a loop summary it cannot read.
import assert from 'node:assert/strict';
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
    const sentence = done.summary.find((s) => s.includes('Your order: the step used gradients of norm'));
    assert.ok(sentence, `the summary says what the step used: ${done.summary.join(' | ')}`);
    // The threshold as the code writes it ("1.0"), not as a number prints ("1").
    assert.match(sentence, /Your order: the step used gradients of norm [\d.e+-]+ against max_norm 1\.0; the fixed order: [\d.e+-]+\./);
    assert.match(sentence, /clips after step\(\)/);
    const mine = Number(/norm ([\d.e+-]+) against/.exec(sentence)![1]);
    const fixed = Number(/the fixed order: ([\d.e+-]+)\./.exec(sentence)![1]);
    assert.ok(mine > 1, `clipping after the step, the step uses unclipped gradients (norm ${mine})`);
    assert.ok(fixed <= 1, `the fixed order's step uses clipped gradients (norm ${fixed})`);
    assert.deepEqual(await lab.page.locator('.lab-summary p').allInnerTexts(), done.summary);
    assert.match(await lab.page.locator('.lab-description').innerText(), /train\.py:42/);
    assert.match(await lab.page.locator('.lab-runs').innerText(), /A: your order[\s\S]*zero_grad → forward → backward → step → clip/);
  });

  it('shows zero_grad before step as a step that sees zeros', async () => {
    const lab = await open(loopQuery(ZERO_BEFORE_STEP));
    const done = await lab.finished();
    const sentence = done.summary.find((s) => s.includes('Your order: the step used gradients of norm'));
    assert.match(sentence ?? '', /the step sees zeros\. Your order: the step used gradients of norm 0 against max_norm \.5;/);
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

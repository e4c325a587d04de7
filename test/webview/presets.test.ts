// The Gradient Lab page in real Chromium: every preset trains in the worker and reaches the charts;
// what the charts show agrees with the records (clipped norms within max_norm, the unclipped RNN
// above the clipped one); a diverging setting says where it diverged; each preset's table from the
// panel is `clipwise lab run` of the saved experiment, character for character.
import assert from 'node:assert/strict';
import { PRESETS } from '../../webview/lab/presets';
import { csvColumns, LabPage, labRunCsv, startSession, type LabSession } from './harness';

describe('Gradient Lab page: presets', function () {
  this.timeout(90_000);
  let session: LabSession;
  let lab: LabPage;

  before(async () => {
    session = await startSession();
  });
  after(async () => session?.close());
  beforeEach(async () => {
    lab = await LabPage.open(session);
  });
  afterEach(async () => {
    const problems = lab.problems;
    await lab.close();
    assert.deepEqual(problems, [], 'the page had console errors, page errors or CSP violations');
  });

  for (const preset of PRESETS) {
    it(`trains "${preset.title}" and every chart receives every step`, async () => {
      await lab.chooseExperiment(preset.title);
      await lab.reportWhen((r) => r.presetId === preset.id, `the ${preset.id} preset to load`);
      await lab.chooseSpeed('as fast as possible');
      await lab.action('play');
      const report = await lab.finished();
      assert.equal(report.steps, preset.experiment.steps);
      const rows = Math.max(report.runs.a.completed, report.runs.b.completed);
      assert.ok(rows > 0);
      const points = await lab.page.locator('figure.lab-chart').evaluateAll((figures) => figures.map((f) => [(f as HTMLElement).dataset.chart, Number((f as HTMLElement).dataset.points)]));
      assert.deepEqual(points, [['loss', rows], ['norm', rows], ['update', rows], ['layers-a', rows], ['layers-b', rows]]);
      assert.match(await lab.page.locator('.lab-status').innerText(), new RegExp(`^Step ${rows} of ${preset.experiment.steps} · finished`));
      assert.ok(report.summary.length >= 2, 'the panel says what the runs did');
    });
  }

  it('keeps every clipped norm within max_norm, and the unclipped RNN above the clipped one', async () => {
    for (const id of ['exploding-rnn', 'pytorch-docs'] as const) {
      const preset = PRESETS.find((p) => p.id === id)!;
      await lab.chooseExperiment(preset.title);
      await lab.reportWhen((r) => r.presetId === id, `${id} to load`);
      await lab.chooseSpeed('as fast as possible');
      await lab.action('play');
      await lab.finished();
      const { text } = await lab.download('export-csv');
      const columns = csvColumns(text);
      const maxNorm = preset.experiment.clip.threshold;
      assert.equal(preset.experiment.b.clip, undefined, 'run B clips with the shared setting');
      assert.equal(preset.experiment.clip.mode, 'norm');
      assert.equal(columns.b_norm_after.length, preset.experiment.steps);
      // clip_grad_norm_ scales by max_norm / (total_norm + 1e-6): the result is at most max_norm.
      for (const norm of columns.b_norm_after) assert.ok(norm <= maxNorm * (1 + 1e-6), `B's step used norm ${norm} > max_norm ${maxNorm}`);
      const largest = (values: number[]) => Math.max(...values.filter(Number.isFinite));
      assert.ok(largest(columns.a_norm_after) > largest(columns.b_norm_after), `${id}: unclipped A should reach larger norms than clipped B`);
      if (id === 'exploding-rnn') assert.ok(largest(columns.a_norm_after) > 100 * maxNorm, 'the unclipped RNN explodes');
    }
  });

  it('says where a diverging setting diverged, on the chart and in the status', async () => {
    const rnn = PRESETS.find((p) => p.id === 'exploding-rnn')!;
    await lab.chooseExperiment(rnn.title);
    await lab.reportWhen((r) => r.presetId === 'exploding-rnn', 'the RNN to load');
    // The highest learning rate the slider offers, with clipping off: both runs blow up.
    await lab.page.locator('input[data-control="Learning rate"]').focus();
    await lab.page.keyboard.press('End');
    await lab.page.locator('vscode-single-select[data-control="Clipping"]').click();
    await lab.page.locator('vscode-single-select[data-control="Clipping"]').getByRole('option', { name: 'off' }).click();
    await lab.reportWhen((r) => r.clip.mode === 'off' && r.optimizer.lr === 10, 'the new settings');
    await lab.chooseSpeed('as fast as possible');
    await lab.action('play');
    const report = await lab.finished();
    const step = report.runs.b.diverged?.step;
    assert.ok(step !== undefined && step > 0, `run B (clipping off, lr 10) should diverge: ${JSON.stringify(report.runs.b)}`);
    const notes = await lab.page.locator('figure[data-chart="loss"] .lab-diverged').allInnerTexts();
    assert.ok(notes.some((n) => n.startsWith(`B diverged at step ${step}`)), `the loss chart says where B diverged: ${notes.join(' | ')}`);
    assert.match(await lab.page.locator('.lab-status').innerText(), new RegExp(`B diverged at step ${step}`));
    assert.equal(report.chartPoints, Math.max(report.runs.a.completed, report.runs.b.completed), 'the charts hold every step up to the divergence');
  });

  it('states the threshold the slider set next to the clipped run, and the preset\'s own nowhere any more', async () => {
    const rnn = PRESETS.find((p) => p.id === 'exploding-rnn')!;
    await lab.chooseExperiment(rnn.title);
    await lab.reportWhen((r) => r.presetId === 'exploding-rnn', 'the RNN to load');
    assert.match(await lab.page.locator('.lab-runs').innerText(), /A: unclipped[\s\S]*no clipping[\s\S]*B: clip before step[\s\S]*clip_grad_norm_\(max_norm=0\.05\)/);
    // One decade up the log slider (20 steps per decade): max_norm 0.501.
    await lab.page.locator('input[data-control="Threshold (max_norm or clip_value)"]').focus();
    for (let i = 0; i < 20; i++) await lab.page.keyboard.press('ArrowRight');
    const { clip } = await lab.reportWhen((r) => r.clip.threshold === 0.501, 'the new threshold');
    await lab.chooseSpeed('as fast as possible');
    await lab.action('play');
    const report = await lab.finished();
    assert.equal(report.title, rnn.experiment.title, 'the title names the order of calls, not the threshold');
    assert.match(await lab.page.locator('.lab-runs').innerText(), new RegExp(`B: clip before step[\\s\\S]*clip_grad_norm_\\(max_norm=${clip.threshold}\\)`));
    assert.ok(report.summary.some((s) => s.includes(`against max_norm ${clip.threshold}`)), report.summary.join(' | '));
    const shown = [
      await lab.page.locator('.lab-header').innerText(),
      await lab.page.locator('.lab-summary').innerText(),
      ...(await lab.page.locator('figure.lab-chart [aria-label]').evaluateAll((hosts) => hosts.map((h) => h.getAttribute('aria-label') ?? ''))),
    ];
    for (const text of shown) assert.doesNotMatch(text, /0\.05\b/, `stale threshold in: ${text}`);
  });

  // Every preset, the exploding RNN included: the worker's engine computes the same bits in
  // Chromium as `clipwise lab run` does in Node (engine/math), so the tables agree to the last digit.
  for (const preset of PRESETS) {
    it(`exports for "${preset.title}" the same table as \`clipwise lab run\` of the saved experiment`, async () => {
      await lab.chooseExperiment(preset.title);
      await lab.reportWhen((r) => r.presetId === preset.id, 'the preset to load');
      await lab.chooseSpeed('as fast as possible');
      await lab.action('play');
      await lab.finished();
      const saved = await lab.download('save');
      assert.match(saved.name, /\.json$/);
      const csv = await lab.download('export-csv');
      assert.equal(csv.text, labRunCsv(saved.path));
    });
  }
});

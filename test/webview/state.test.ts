// The Lab keeps its state when the page goes away (VS Code discards a hidden webview; a reload
// does the same): the experiment, the settings, how far it trained and whether it was training.
// Also opening an experiment file, the PNG and PyTorch exports, and "Copy as PyTorch".
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExperiment } from '../../webview/lab/experiment';
import { copyAsPyTorch, exportPyTorchScript } from '../../webview/lab/export-pytorch';
import { PRESETS } from '../../webview/lab/presets';
import { LabPage, startSession, type LabSession } from './harness';

const RNN = PRESETS.find((p) => p.id === 'exploding-rnn')!;
const MLP = PRESETS.find((p) => p.id === 'deep-mlp')!;

describe('Gradient Lab page: state, files and clipboard', function () {
  this.timeout(60_000);
  let session: LabSession;
  let lab: LabPage;

  before(async () => {
    session = await startSession();
  });
  after(async () => session?.close());
  beforeEach(async () => {
    lab = await LabPage.open(session, '', { clipboard: true });
  });
  afterEach(async () => {
    const problems = lab.problems;
    await lab.close();
    assert.deepEqual(problems, [], 'the page had console errors, page errors or CSP violations');
  });

  async function reload(): Promise<void> {
    await lab.page.evaluate(() => ((window as unknown as { clipwiseLabHost: { last?: unknown } }).clipwiseLabHost.last = undefined));
    await lab.page.reload();
    await lab.reportWhen(() => true, 'the first report after the reload');
  }

  it('comes back after a reload at the same step, paused, with its settings', async () => {
    await lab.chooseExperiment(MLP.title);
    await lab.reportWhen((r) => r.presetId === MLP.id, 'the MLP to load');
    await lab.page.locator('vscode-textfield[data-control="Seed"]').locator('input').fill('7');
    await lab.page.locator('vscode-textfield[data-control="Seed"]').locator('input').press('Enter');
    await lab.page.locator('vscode-textfield[data-control="Seed"]').locator('input').blur();
    for (let i = 0; i < 5; i++) await lab.action('step');
    const before = await lab.reportWhen((r) => r.runs.a.completed === 5, 'five single steps');
    const csvBefore = (await lab.download('export-csv')).text;
    await reload();
    const after = await lab.reportWhen((r) => r.runs.a.completed === 5 && r.chartPoints === 5, 'the restored run');
    assert.equal(after.title, before.title);
    assert.equal(after.playing, false);
    assert.equal(await lab.page.locator('vscode-textfield[data-control="Seed"]').evaluate((f) => (f as HTMLInputElement).value), '7');
    // Retrained to the same step from the same seed: the same numbers.
    assert.equal((await lab.download('export-csv')).text, csvBefore);
  });

  it('keeps training after a reload that happened while it trained', async () => {
    await lab.chooseExperiment(RNN.title);
    await lab.reportWhen((r) => r.presetId === RNN.id, 'the RNN to load');
    await lab.chooseSpeed('30 steps/s');
    await lab.action('play');
    await lab.reportWhen((r) => r.runs.b.completed >= 3, 'a few steps');
    await reload();
    const resumed = await lab.reportWhen((r) => r.playing && r.runs.b.completed >= 3, 'training to resume');
    assert.equal(resumed.presetId, RNN.id);
    const later = await lab.reportWhen((r) => r.runs.b.completed > resumed.runs.b.completed, 'more steps');
    assert.ok(later.playing);
  });

  it('opens a saved experiment, and refuses a file that is not one', async () => {
    const experiment = structuredClone(MLP.experiment);
    experiment.title = 'Opened from a file';
    experiment.steps = 12;
    const good = join(session.downloads, 'good.json');
    writeFileSync(good, JSON.stringify(experiment));
    const [chooser] = await Promise.all([lab.page.waitForEvent('filechooser'), lab.action('open')]);
    await chooser.setFiles(good);
    const opened = await lab.reportWhen((r) => r.title === 'Opened from a file', 'the opened experiment');
    assert.equal(opened.source, 'file');
    assert.equal(opened.steps, 12);
    assert.equal(await lab.page.locator('.lab-description').innerText(), 'Opened from good.json.');
    assert.ok((await lab.page.locator('vscode-single-select[data-control="Experiment"] vscode-option').allTextContents()).includes('Opened: good.json'));

    const bad = join(session.downloads, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...experiment, steps: -3, model: { preset: 'transformer' } }));
    const [again] = await Promise.all([lab.page.waitForEvent('filechooser'), lab.action('open')]);
    await again.setFiles(bad);
    const notice = lab.page.locator('.lab-notice-error');
    await notice.waitFor();
    assert.match(await notice.innerText(), /bad\.json is not a Gradient Lab experiment: .*steps/);
    assert.equal((await lab.report())?.title, 'Opened from a file', 'the experiment on show stays');
  });

  it('exports the charts as a PNG picture and the run as a PyTorch script', async () => {
    await lab.action('step');
    await lab.reportWhen((r) => r.chartPoints === 1, 'one step on the charts');
    const [download] = await Promise.all([lab.page.waitForEvent('download'), lab.action('export-png')]);
    const png = readFileSync(await download.path());
    assert.match(download.suggestedFilename(), /\.png$/);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    assert.ok(width >= 300 && height > 5 * 150, `all five charts, one under another (${width}×${height})`);
    const script = await lab.download('export-pytorch');
    assert.match(script.name, /\.py$/);
    const saved = parseExperiment(JSON.parse((await lab.download('save')).text));
    assert.ok(saved.ok);
    // The script carries the initial weights and data the page drew, to the last bit: the engine
    // draws them with its own log, sin and cos, the same in Chromium as in Node.
    assert.equal(script.text, exportPyTorchScript(saved.experiment));
  });

  it('copies the training loop for the settings as PyTorch', async () => {
    await lab.action('copy-pytorch');
    await lab.page.locator('.lab-notice-info').waitFor();
    const copied = await lab.page.evaluate(() => navigator.clipboard.readText());
    const shown = await lab.download('save');
    const parsed = parseExperiment(JSON.parse(shown.text));
    assert.ok(parsed.ok);
    assert.equal(copied, copyAsPyTorch(parsed.experiment));
    assert.match(copied, /clip_grad_norm_/);
  });
});

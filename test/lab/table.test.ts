// The per-step table: Python's %e number format, blank cells once a run has stopped, the same
// columns in text, CSV and JSON.
import assert from 'node:assert/strict';
import { presetExperiment } from '../../webview/lab/presets';
import { ruleExperiment } from '../../webview/lab/rule-orders';
import { runToEnd } from '../../webview/lab/runner';
import { formatCsv, formatJson, formatNumber, formatText, tableFromResult } from '../../webview/lab/table';

describe('Lab table', () => {
  it("writes numbers as Python's '%.Ne' does", () => {
    assert.equal(formatNumber(0, 5), '0.00000e+00');
    assert.equal(formatNumber(-0, 5), '0.00000e+00');
    assert.equal(formatNumber(6.2147916, 5), '6.21479e+00');
    assert.equal(formatNumber(-1.5e-7, 3), '-1.500e-07');
    assert.equal(formatNumber(1e100, 2), '1.00e+100');
    assert.equal(formatNumber(123456789, 8), '1.23456789e+08');
    assert.equal(formatNumber(NaN, 5), 'nan');
    assert.equal(formatNumber(Infinity, 5), 'inf');
    assert.equal(formatNumber(-Infinity, 5), '-inf');
  });

  it('text: a header per run, one row per step, blank cells after a run stops, the reason at the end', () => {
    const e = presetExperiment('deep-mlp');
    const result = runToEnd(e);
    const text = formatText(tableFromResult(e, result));
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], `# ${e.title}`);
    assert.equal(lines[1], '# A: unclipped');
    assert.equal(lines[2], '# B: clip before step');
    assert.match(lines[3], /^ step +A loss +A norm before +A norm after +A update +B loss +B norm before +B norm after +B update$/);
    const diverged = result.a.status.diverged!;
    assert.equal(lines.at(-1), `# A stopped at step ${diverged.step}: ${diverged.reason}`);
    const rows = lines.slice(4, -1);
    assert.equal(rows.length, e.steps);
    assert.equal(rows[diverged.step - 1].trim().split(/\s+/).length, 9);
    assert.equal(rows[diverged.step].trim().split(/\s+/).length, 5, 'A has no cells after it stopped');
  });

  it('CSV and JSON hold the same values at more digits; scaled runs add the scale and skipped steps', () => {
    const e = ruleExperiment('CLP003', 6);
    const result = runToEnd(e);
    const table = tableFromResult(e, result);
    const csv = formatCsv(table).trimEnd().split('\n');
    assert.equal(
      csv[0],
      'step,a_loss,a_norm_before,a_norm_after,a_update_size,a_loss_scale,a_step_skipped,b_loss,b_norm_before,b_norm_after,b_update_size,b_loss_scale,b_step_skipped',
    );
    assert.equal(csv.length, 7);
    const json = JSON.parse(formatJson(table));
    assert.deepEqual(json.layers, ['rnn', 'head']);
    assert.equal(json.a.steps.length, 6);
    const first = result.a.records[0];
    const cells = csv[1].split(',');
    assert.equal(Number(cells[1]), json.a.steps[0].loss);
    assert.ok(Math.abs(json.a.steps[0].normBefore - first.normBefore) <= 1e-8 * first.normBefore);
    assert.equal(cells[5], '6.55360000e+04');
    assert.equal(json.a.steps[0].lossScale, 65536);
    assert.equal(typeof json.b.steps[0].stepSkipped, 'boolean');
    assert.equal(json.a.diverged, null);
    // Non-finite values are strings JSON can hold (Number() and Python's float() read them).
    const skipped = json.b.steps.find((s: { stepSkipped: boolean }) => s.stepSkipped);
    assert.ok(skipped, 'float16 overflow skips a step at 65536');
    assert.ok(['NaN', 'Infinity'].includes(skipped.normAfter));
  });
});

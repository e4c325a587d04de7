// The Gradient Lab in the real editor: the lens over a misplaced clip opens the Lab view with that
// loop's order and settings, the run trains in the view's worker and reaches its charts (observed
// through the extension's API, which keeps the view's last report); without a loop, the presets.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShowInLabArgs } from '../../../server/protocol';
import { PRESETS } from '../../../webview/lab/presets';
import { clipwise, closeAllEditors, diagnosticsWhen, open, waitFor } from './helpers';

describe('editor: Gradient Lab', () => {
  it('opens the lens’s loop in the Lab view and trains it there', async function () {
    this.timeout(60_000);
    const api = await clipwise();
    const editor = await open('train.py');
    await diagnosticsWhen(editor.document.uri, (d) => d.some((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'CLP002'), 'CLP002');
    const lenses = await waitFor('the Show in Gradient Lab lens with its loop', async () => {
      const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? [];
      const withLoop = all.filter((l) => l.command?.command === 'clipwise.showInLab' && (l.command.arguments?.[0] as ShowInLabArgs | undefined)?.loop);
      return withLoop.length ? withLoop : undefined;
    });
    const command = lenses[0].command!;
    const args = command.arguments![0] as ShowInLabArgs;
    const order = args.loop!.order.map((c) => c.call);
    assert.ok(order.indexOf('step') < order.indexOf('clip'), `the loop's order has the clip after the step: ${order.join(', ')}`);

    await vscode.commands.executeCommand(command.command, ...command.arguments!);
    const seen = await waitFor(
      'the Lab view to train the loop and draw it',
      () => {
        const latest = api.lab();
        return latest && latest.report.source === 'loop' && latest.report.chartPoints > 0 && latest.report.summary.length > 0 ? latest : undefined;
      },
      30_000,
    );
    const { report } = seen;
    // Run A is the code's order (a forward before each backward), run B the fixed one.
    assert.deepEqual(report.runs.a.calls.filter((c) => c !== 'forward'), order);
    assert.deepEqual(report.runs.b.calls.filter((c) => c !== 'forward'), args.loop!.fixedOrder.map((c) => c.call));
    assert.equal(report.clip.mode, 'norm');
    assert.equal(report.clip.threshold, 1);
    assert.equal(report.optimizer.kind, 'sgd');
    assert.equal(report.optimizer.lr, 0.1, 'the learning rate the code states');
    assert.ok(report.summary.some((s) => s.includes('against max_norm 1.0')), `the panel speaks in the code's numbers: ${report.summary.join(' | ')}`);
    assert.ok(report.firstPointAt !== undefined && seen.commandAt !== undefined);
    const ready = seen.readyAt === undefined ? '' : ` (page up after ${seen.readyAt - seen.commandAt!} ms)`;
    console.log(`[clipwise-lab-open] ${report.firstPointAt! - seen.commandAt!} ms from the command to the first chart point${ready}`);
    await closeAllEditors();
  });

  it('comes back with the same experiment and steps after the view was hidden', async function () {
    this.timeout(60_000);
    const api = await clipwise();
    const before = await waitFor('the loop run to finish', () => {
      const latest = api.lab();
      return latest && latest.report.source === 'loop' && !latest.report.playing && latest.report.chartPoints === latest.report.runs.b.completed ? latest : undefined;
    }, 30_000);
    // A hidden webview view is discarded (no retainContextWhenHidden): showing it again builds a new page.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('clipwise.lab.focus');
    const after = await waitFor('the new page to restore the run', () => {
      const latest = api.lab();
      return latest && latest.readyAt !== before.readyAt && latest.report.chartPoints === before.report.chartPoints ? latest : undefined;
    }, 30_000);
    assert.equal(after.report.source, 'loop');
    assert.equal(after.report.title, before.report.title);
    assert.deepEqual(after.report.runs, before.report.runs);
    assert.deepEqual(after.report.summary, before.report.summary, 'retrained to the same step: the same numbers');
  });

  it('opens on the presets when there is no loop to show', async function () {
    this.timeout(30_000);
    const api = await clipwise();
    await closeAllEditors();
    await vscode.commands.executeCommand('clipwise.showInLab');
    // After the loop above: the view switches to the first preset (the loop stays in its menu).
    const latest = await waitFor('the Lab view to show a preset', () => (api.lab()?.report.source === 'preset' ? api.lab() : undefined));
    assert.equal(latest.report.presetId, PRESETS[0].id);
    assert.equal(latest.report.runs.a.completed, 0, 'a preset waits for Start');
  });
});

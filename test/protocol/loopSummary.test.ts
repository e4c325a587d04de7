// "Show in Gradient Lab" over real JSON-RPC: each lens carries the LoopSummary of the innermost
// training loop around it, exactly as `server/protocol.ts` declares it (what the Lab replays).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import type { LoopSummary, ShowInLabArgs } from '../../server/protocol';
import { LspClient, ROOT, serverForSuite } from './lspClient';

let counter = 0;
function example(name: string): { uri: string; text: string } {
  const path = join(ROOT, 'examples', name);
  return { uri: `${pathToFileURL(path).href}?loop-summary-${++counter}`, text: readFileSync(path, 'utf8') };
}

function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.trimStart().startsWith(needle));
  if (line < 0) throw new Error(`"${needle}" not in text`);
  return line;
}

async function lensArgs(client: LspClient, uri: string, line: number): Promise<ShowInLabArgs> {
  const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
  const lens = lenses.find((l) => l.range.start.line === line);
  assert.ok(lens, `no lens on line ${line + 1} (lenses on ${lenses.map((l) => l.range.start.line + 1).join(', ')})`);
  assert.equal(lens.command?.command, 'clipwise.showInLab');
  return lens.command!.arguments![0] as ShowInLabArgs;
}

describe('protocol: the loop summary of "Show in Gradient Lab"', function () {
  let client: LspClient;
  serverForSuite((started) => (client = started));

  it('examples/mnist_clip_after_step.py: the lens on the clip carries the loop order, the fixed order and the settings', async () => {
    const { uri, text } = example('mnist_clip_after_step.py');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const args = await lensArgs(client, uri, lineOf(text, 'torch.nn.utils.clip_grad_norm_('));
    assert.equal(args.code, 'CLP002');
    const expected: LoopSummary = {
      order: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'step' }, { call: 'clip' }],
      fixedOrder: [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }],
      codes: ['CLP002'],
      clip: { kind: 'norm', threshold: 1, thresholdText: '1.0' },
      learningRate: 0.5,
      learningRateText: '0.5',
      optimizer: 'optimizer',
      optimizerKind: 'sgd',
      momentum: 0.9,
    };
    // Exactly this JSON: no range, no fields the code does not state.
    assert.deepEqual(args.loop, expected);
  });

  it('after the order is fixed in the editor, the lens on the clip carries the fixed order and no codes', async () => {
    const { uri, text } = example('mnist_clip_after_step.py');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const lines = text.split('\n');
    const clip = lineOf(text, 'torch.nn.utils.clip_grad_norm_(');
    const step = lineOf(text, 'optimizer.step()');
    const fixedLines = [...lines];
    fixedLines.splice(clip, 1);
    fixedLines.splice(step, 0, lines[clip]);
    const fixed = fixedLines.join('\n');
    const since = client.published.length;
    await client.replace(uri, 2, fixed);
    await client.diagnostics(uri, (p) => p.version === 2, since);
    const args = await lensArgs(client, uri, lineOf(fixed, 'torch.nn.utils.clip_grad_norm_('));
    assert.equal(args.code, undefined);
    assert.deepEqual(args.loop?.order, [{ call: 'zero_grad' }, { call: 'backward' }, { call: 'clip' }, { call: 'step' }]);
    assert.deepEqual(args.loop?.codes, []);
  });

  it('examples/finetune_accumulation.py: window-end calls and the accumulation k survive JSON', async () => {
    const { uri, text } = example('finetune_accumulation.py');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const args = await lensArgs(client, uri, lineOf(text, 'torch.nn.utils.clip_grad_norm_('));
    assert.equal(args.code, 'CLP004');
    assert.deepEqual(args.loop?.order, [{ call: 'backward' }, { call: 'clip' }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }]);
    assert.deepEqual(args.loop?.fixedOrder, [{ call: 'backward' }, { call: 'clip', windowEnd: true }, { call: 'step', windowEnd: true }, { call: 'zero_grad', windowEnd: true }]);
    assert.equal(args.loop?.accumulation, 8);
    assert.equal(args.loop?.optimizerKind, 'adamw');
    assert.equal(args.loop?.learningRateText, '2e-5');
  });

  it('a lens outside any training loop carries no loop', async () => {
    const { uri, text } = example('lightning_module.py');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const args = await lensArgs(client, uri, lineOf(text, 'torch.nn.utils.clip_grad_norm_('));
    assert.equal(args.code, 'CLP010');
    assert.equal(args.loop, undefined);
  });
});

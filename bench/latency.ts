// Latency of what a user waits for beyond a keystroke: the lightbulb's code-action request on the
// 10,000-line corpus file over the real protocol (budget 50 ms), and the whole `clipwise check`
// process on a 10,000-line file with dozens of findings (minus the same process on an empty
// file) against ruff's first check of that file in a fresh process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../test/protocol/lspClient';
import { pythonCorpus } from './corpus';
import { packageVersion, timeProcess } from './process';
import { lowerIsBetter, median, type BenchRecord } from './record';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');

const RUFF_COLD = `
const text = require('node:fs').readFileSync(process.argv[1], 'utf8');
import('@astral-sh/ruff-wasm-nodejs').then((ruff) => {
  const workspace = new ruff.Workspace(ruff.Workspace.defaultSettings(), ruff.PositionEncoding?.Utf16 ?? 'utf-16');
  workspace.check(text);
});`;

/** A loop with a clip after the step and a deprecated clip call: two findings with safe fixes. */
const buggyLoop = (i: number) => `

def buggy_loop_${i}(model, optimizer, loader):
    for batch in loader:
        optimizer.zero_grad()
        model(batch).sum().backward()
        optimizer.step()
        torch.nn.utils.clip_grad_norm(model.parameters(), 1.0)
`;

/** 10,000 lines: the corpus with `loops` buggy loops in place of its last lines. */
export function manyFindingsCorpus(loops: number): string {
  const extra = Array.from({ length: loops }, (_, i) => buggyLoop(i)).join('');
  return pythonCorpus(10_000 - (extra.split('\n').length - 1)) + extra;
}

/** The lightbulb's request (no `only`) at the cursor on a finding's line, to the answer. */
async function lightbulb(text: string): Promise<number> {
  const client = await LspClient.start({ debounceMs: 0 });
  try {
    const uri = 'file:///bench/code_action_10k.py';
    await client.open(uri, text);
    const { diagnostics } = await client.diagnostics(uri, () => true, 0, 30000);
    if (diagnostics.length < 10) throw new Error(`code-action-10k: ${diagnostics.length} diagnostics, expected the corpus's findings`);
    const samples: number[] = [];
    for (let i = 0; i < 25; i++) {
      const d = diagnostics[i % diagnostics.length];
      const started = performance.now();
      await client.codeActions(uri, { start: d.range.start, end: d.range.start }, [d]);
      if (i >= 5) samples.push(performance.now() - started);
    }
    return median(samples);
  } finally {
    await client.stop();
  }
}

export async function run(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  records.push(lowerIsBetter('code-action-10k', 'ms', await lightbulb(pythonCorpus(10_000)), 'budget', 50));

  const scratch = mkdtempSync(join(tmpdir(), 'clipwise-latency-'));
  try {
    const file = join(scratch, 'many_findings_10k.py');
    const empty = join(scratch, 'empty.py');
    writeFileSync(file, manyFindingsCorpus(30));
    writeFileSync(empty, '');
    const ours: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < 5; i++) {
      const whole = await timeProcess([CLI, 'check', file], [0, 1]);
      const base = await timeProcess([CLI, 'check', empty], [0, 1]);
      ours.push(whole - base);
      peer.push(await timeProcess(['-e', RUFF_COLD, file], [0, 1]));
    }
    records.push(lowerIsBetter('cli-10k-cold', 'ms', median(ours), `ruff ${packageVersion('@astral-sh/ruff-wasm-nodejs')} (wasm) cold check`, median(peer)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return records;
}

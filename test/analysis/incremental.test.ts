// Re-analysis after edits reuses unchanged chunks and units, and gives exactly what a fresh
// analysis of the same text gives — for random edits, including ones that open strings,
// brackets and blocks across chunk boundaries.
import assert from 'node:assert/strict';
import { Analyzer } from '../../analysis/analyzer';
import { PythonParser } from '../../analysis/python/module';
import { splitChunks } from '../../analysis/python/chunks';
import { pythonCorpus } from '../../bench/corpus';
import { loadFixtures } from './fixture-expectations';

function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const PIECES = ['x', '\n', '"""', '(', ')', 'def f():\n', '    ', '#', "'", 'else:\n', '@d\n', '\\\n', '', 'loss.backward()\n', '    optimizer.step()\n'];

function edit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * text.length);
  const removed = rnd() < 0.3 ? Math.floor(rnd() * 20) : 0;
  return text.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)] + text.slice(at + removed);
}

const summary = (r: ReturnType<Analyzer['analyze']>) =>
  r.findings.map((f) => `${f.range.start.line}:${f.range.start.character}:${f.code}:${f.message}:${JSON.stringify(f.fix?.edits ?? null)}`);

describe('incremental analysis', () => {
  it('chunk boundaries after random edits equal a fresh split', () => {
    const rnd = random(11);
    let text = pythonCorpus(1500);
    const parser = new PythonParser();
    parser.parse(text);
    for (let i = 0; i < 1500; i++) {
      text = edit(text, rnd);
      const incremental = parser.parse(text).chunks.map((c) => `${c.startOffset}:${c.startLine}:${c.parsed.text.length}`);
      const fresh = splitChunks(text).map((s) => `${s.start}:${s.startLine}:${s.end - s.start}`);
      assert.deepEqual(incremental, fresh, `edit ${i}`);
    }
  });

  it('findings after random edits equal a fresh analysis', () => {
    const rnd = random(5);
    for (const fixture of loadFixtures()) {
      let text = fixture.text;
      const analyzer = new Analyzer();
      analyzer.analyze(text);
      for (let i = 0; i < 40; i++) {
        text = edit(text, rnd);
        assert.deepEqual(summary(analyzer.analyze(text)), summary(new Analyzer().analyze(text)), `${fixture.name}, edit ${i}`);
      }
    }
  });

  it('moving code down by a line shifts kept results, messages included', () => {
    const fixture = loadFixtures().find((f) => f.name.startsWith('clp002'))!;
    const analyzer = new Analyzer();
    const before = analyzer.analyze(fixture.text);
    const after = analyzer.analyze('# a new first line\n' + fixture.text);
    assert.deepEqual(
      after.findings.map((f) => [f.range.start.line, f.message]),
      before.findings.map((f) => [f.range.start.line + 1, f.message.replace(/line (\d+)/g, (_m, n) => `line ${Number(n) + 1}`)]),
    );
  });
});

// Bad input never crashes, never hangs, and a skip always says why: half-typed code at every
// line of every fixture, huge files, deep nesting, binary and non-UTF-8 text, empty input.
import assert from 'node:assert/strict';
import { Analyzer, analyzeText } from '../../analysis/analyzer';
import { analyzeNotebook } from '../../analysis/notebook';
import { loadFixtures } from './fixture-expectations';

function analyzeWithin(text: string, ms: number) {
  const started = performance.now();
  const result = analyzeText(text);
  const elapsed = performance.now() - started;
  assert.ok(!result.skipped?.startsWith('analysis failed'), `analysis failed: ${result.skipped}`);
  assert.ok(elapsed < ms, `took ${elapsed.toFixed(0)} ms`);
  return result;
}

describe('robustness', () => {
  for (const fixture of loadFixtures()) {
    it(`${fixture.name}: truncated after every line, and cut mid-line, still analyses`, () => {
      const lines = fixture.text.split('\n');
      const analyzer = new Analyzer();
      for (let n = 0; n <= lines.length; n++) {
        const prefix = lines.slice(0, n).join('\n');
        for (const text of [prefix, prefix + '\n' + (lines[n] ?? '').slice(0, Math.ceil((lines[n] ?? '').length / 2))]) {
          const result = analyzer.analyze(text);
          assert.ok(!result.skipped?.startsWith('analysis failed'), `line ${n}: ${result.skipped}`);
        }
      }
    });
  }

  it('a 100,000-line file is analysed in bounded time', () => {
    const unit = loadFixtures().find((f) => f.name.startsWith('clp002'))!.text;
    const copies: string[] = [];
    const perCopy = unit.split('\n').length;
    for (let i = 0; i * perCopy < 100_000; i++) copies.push(unit.replace(/def (\w+)/g, (_m, name) => `def ${name}_${i}`));
    const text = copies.join('\n');
    const result = analyzeWithin(text, 20_000);
    assert.ok(result.findings.length > 100 || result.skipped, 'findings or a skip reason');
  });

  it('1,000-deep nesting of blocks and of brackets', () => {
    let blocks = '';
    for (let i = 0; i < 1000; i++) blocks += ' '.repeat(i) + 'if x:\n';
    blocks += ' '.repeat(1000) + 'loss.backward()\n';
    analyzeWithin(blocks, 5_000);
    analyzeWithin('x = ' + '('.repeat(1000) + '1' + ')'.repeat(1000) + '\nloss.backward()\n', 5_000);
    analyzeWithin('x = ' + '['.repeat(1000) + '\nopt.step()\n', 5_000);
    analyzeWithin('y = ' + Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(' + ') + '\nopt.step()\n', 5_000);
    analyzeWithin('f' + '(x)'.repeat(5000) + '.backward()\n', 5_000);
  });

  it('NUL bytes and invalid UTF-8 are skipped with a reason', () => {
    const binary = analyzeText('import torch\n\u0000\u0001\u0002 loss.backward()');
    assert.match(binary.skipped ?? '', /binary/);
    const garbled = analyzeText('x = 1\n' + '\uFFFD'.repeat(200) + '\nopt.step()\n');
    assert.match(garbled.skipped ?? '', /UTF-8/);
  });

  it('empty, whitespace-only and comment-only files give no findings', () => {
    for (const text of ['', '\n\n', '   ', '# clip_grad_norm_ backward step\n', '\ufeff']) {
      const result = analyzeWithin(text, 1_000);
      assert.deepEqual(result.findings, []);
    }
  });

  it('oversized input is skipped, not analysed', () => {
    const result = analyzeText('x = 1\n'.repeat(10), 'python', { maxChars: 20 });
    assert.match(result.skipped ?? '', /more than the 20 analysed/);
  });

  it('broken notebooks and odd cells do not crash', () => {
    const result = analyzeNotebook([
      { kind: 'code', source: '%matplotlib inline\n!pip install torch\nfor b in loader:\n    opt.step()\n    torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)\n    m(b).backward(' },
      { kind: 'markdown', source: '# notes' },
      { kind: 'code', source: '%%bash\necho hi' },
      { kind: 'code', source: '' },
    ]);
    assert.ok(!result.skipped?.startsWith('analysis failed'), result.skipped);
  });
});

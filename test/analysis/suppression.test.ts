// Suppression comments silence exactly what they name, where they are; the "disable for this
// line" edit merges into the comment a line already has.
import assert from 'node:assert/strict';
import { analyzeText } from '../../analysis/analyzer';
import { applyEdits } from '../../analysis/edits';
import { suppressionEdit } from '../../analysis/suppression';
import { LineMap } from '../../analysis/text';

const loop = (comment: string, header = '') => `${header}import torch
for batch in loader:
    optimizer.zero_grad()
    model(batch).backward()
    optimizer.step()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0)${comment}
`;

const codes = (text: string) => analyzeText(text).findings.map((f) => f.code).sort();

describe('suppression comments', () => {
  it('without a comment, the clip has two findings', () => {
    assert.deepEqual(codes(loop('')), ['CLP002', 'CLP007']);
  });

  it('# clipwise: ignore[CODE] silences that code only; bare silences all', () => {
    assert.deepEqual(codes(loop('  # clipwise: ignore[CLP002]')), ['CLP007']);
    assert.deepEqual(codes(loop('  # clipwise: ignore[CLP002, CLP007]')), []);
    assert.deepEqual(codes(loop('  # clipwise: ignore')), []);
    assert.deepEqual(codes(loop('  # clipwise: ignore[CLP001]')), ['CLP002', 'CLP007']);
  });

  it('# noqa: CODE works as in flake8, and bare # noqa silences the line', () => {
    assert.deepEqual(codes(loop('  # noqa: CLP007')), ['CLP002']);
    assert.deepEqual(codes(loop('  # noqa: E501, CLP002')), ['CLP007']);
    assert.deepEqual(codes(loop('  # noqa')), []);
  });

  it('# clipwise: ignore-file anywhere silences the file, even in code that is not analysed', () => {
    assert.deepEqual(codes(loop('', '# clipwise: ignore-file\n')), []);
    const farAway = loop('') + '\n\nclass Unrelated:\n    def f(self):\n        return 1  # clipwise: ignore-file\n';
    assert.deepEqual(codes(farAway), []);
  });

  it('a comment on another line does not suppress', () => {
    assert.deepEqual(codes(loop('').replace('optimizer.step()', 'optimizer.step()  # clipwise: ignore')), ['CLP002', 'CLP007']);
  });

  it('"Disable for this line" adds a comment, or merges into the one there', () => {
    for (const [comment, expected] of [
      ['', '  # clipwise: ignore[CLP002]'],
      ['  # clipwise: ignore[CLP007]', '  # clipwise: ignore[CLP007, CLP002]'],
      ['  # noqa: CLP007', '  # noqa: CLP007, CLP002'],
      ['  # keep it small', '  # keep it small  # clipwise: ignore[CLP002]'],
    ]) {
      const text = loop(comment);
      const finding = analyzeText(text).findings.find((f) => f.code === 'CLP002')!;
      const fixed = applyEdits(text, [suppressionEdit(new LineMap(text), finding, 'python')]);
      assert.ok(fixed.includes(`clip_grad_norm_(model.parameters(), 0)${expected}\n`), fixed);
      assert.ok(!codes(fixed).includes('CLP002'));
    }
  });
});

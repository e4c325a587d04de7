// Every fixture's findings are exactly the ones its `# expect:` comments name, on those lines.
import assert from 'node:assert/strict';
import { Analyzer } from '../../analysis/analyzer';
import { RULE_CODES } from '../../analysis/rules/catalogue';
import { loadFixtures } from './fixture-expectations';

describe('fixtures: findings match the expectations written in them', () => {
  for (const fixture of loadFixtures()) {
    it(fixture.name, () => {
      const result = new Analyzer().analyze(fixture.text);
      assert.equal(result.skipped, undefined);
      const actual = result.findings.map((f) => `${f.range.start.line + 1}:${f.code}`).sort();
      const expected = [...fixture.expected].sort();
      const details = result.findings.map((f) => `  ${f.range.start.line + 1}:${f.code} ${f.message}`).join('\n');
      assert.deepEqual(actual, expected, `findings differ\n${details}`);
    });
  }

  it('covers every rule with at least three must-flag shapes', () => {
    const counts = new Map<string, number>();
    for (const fixture of loadFixtures()) for (const e of fixture.expected) counts.set(e.split(':')[1], (counts.get(e.split(':')[1]) ?? 0) + 1);
    for (const code of RULE_CODES) {
      assert.ok((counts.get(code) ?? 0) >= 3, `${code} has ${counts.get(code) ?? 0} must-flag shapes`);
    }
  });
});

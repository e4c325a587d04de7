// TypeScript/JavaScript fixtures: findings are exactly the ones their `// expect:` comments name.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../../analysis/analyzer';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'typescript');

function expectations(text: string): string[] {
  const expected: string[] = [];
  text.split('\n').forEach((line, index) => {
    const match = /\/\/\s*expect:\s*([A-Z0-9,\s]+)$/.exec(line);
    if (match) for (const code of match[1].split(/[\s,]+/).filter(Boolean)) expected.push(`${index + 1}:${code}`);
  });
  return expected;
}

const fixtures = readdirSync(DIR).filter((f) => /\.(ts|tsx|js|mjs)$/.test(f)).sort();

describe('TypeScript fixtures: findings match the expectations written in them', () => {
  for (const name of fixtures) {
    it(name, () => {
      const text = readFileSync(join(DIR, name), 'utf8');
      const result = new Analyzer('typescript').analyze(text);
      assert.equal(result.skipped, undefined);
      const actual = result.findings.map((f) => `${f.range.start.line + 1}:${f.code}`).sort();
      const details = result.findings.map((f) => `  ${f.range.start.line + 1}:${f.code} ${f.message}`).join('\n');
      assert.deepEqual(actual, expectations(text).sort(), `findings differ\n${details}`);
    });
  }

  it('covers CLP001–CLP005 with at least three must-flag shapes each', () => {
    const counts = new Map<string, number>();
    for (const name of fixtures) for (const e of expectations(readFileSync(join(DIR, name), 'utf8'))) counts.set(e.split(':')[1], (counts.get(e.split(':')[1]) ?? 0) + 1);
    for (const code of ['CLP001', 'CLP002', 'CLP003', 'CLP004', 'CLP005']) assert.ok((counts.get(code) ?? 0) >= 3, `${code} has ${counts.get(code) ?? 0} must-flag shapes`);
  });
});

// Reads the expectations written into fixture files: `# expect: CLP001` (or `# expect: CLP001, CLP003`)
// on the line where a finding must be reported.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'python');

export interface Fixture {
  name: string;
  path: string;
  text: string;
  /** "line:CODE" with 1-based lines. */
  expected: string[];
}

export function loadFixtures(dir = FIXTURES): Fixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const text = readFileSync(path, 'utf8');
      const expected: string[] = [];
      text.split('\n').forEach((line, index) => {
        const match = /#\s*expect:\s*([A-Z0-9,\s]+)$/.exec(line);
        if (match) for (const code of match[1].split(/[\s,]+/).filter(Boolean)) expected.push(`${index + 1}:${code}`);
      });
      return { name, path, text, expected };
    });
}

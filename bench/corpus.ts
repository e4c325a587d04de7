// A 10,000-line PyTorch-style Python file for the analysis benchmarks: the project's own
// fixtures and examples (real training loops, buggy and correct, models, helpers), repeated
// with renamed definitions until it is long enough. Deterministic, so runs compare.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

function sources(): string[] {
  const dirs = [join(ROOT, 'test', 'fixtures', 'python'), join(ROOT, 'examples'), join(ROOT, 'examples', 'correct')];
  const texts: string[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).sort()) if (name.endsWith('.py')) texts.push(readFileSync(join(dir, name), 'utf8'));
  }
  return texts;
}

export function pythonCorpus(lines = 10_000): string {
  const parts: string[] = [];
  let count = 0;
  const texts = sources();
  for (let copy = 0; count < lines; copy++) {
    for (const text of texts) {
      const renamed = text.replace(/^(\s*)(def|class) (\w+)/gm, (_m, indent: string, kind: string, name: string) => `${indent}${kind} ${name}_${copy}`);
      parts.push(renamed);
      count += renamed.split('\n').length;
      if (count >= lines) break;
    }
  }
  return parts.join('\n').split('\n').slice(0, lines).join('\n') + '\n';
}

// The fixture files, and a fresh file URI per test so documents never leak between tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DIR = join(import.meta.dirname, 'fixtures');
let counter = 0;

export function fixture(name: string): { uri: string; text: string } {
  const text = readFileSync(join(DIR, name), 'utf8');
  // A distinct URI per use: the server keys its state by URI.
  const uri = pathToFileURL(join(DIR, name)).href + (counter++ ? `?${counter}` : '');
  return { uri, text };
}

/** 0-based line of the first line of code (not a comment) that starts with `needle`. */
export function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.trimStart().startsWith(needle));
  if (line < 0) throw new Error(`"${needle}" not in text`);
  return line;
}

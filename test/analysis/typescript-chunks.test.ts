// The TypeScript front end's chunks: each chunk is whole top-level statements (checked against
// typescript-estree's Program.body), an edit re-splits to exactly what a fresh split gives, and
// the analysis of the chunked file (only chunks that can matter parsed) gives the findings of the
// whole-file parse — on every TypeScript/JavaScript file of the project, the fixtures, the
// examples, generated inputs, truncations and random edits.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@typescript-eslint/typescript-estree';
import { Analyzer } from '../../analysis/analyzer';
import { ChunkSplitter, splitChunks } from '../../analysis/typescript/chunks';
import { TypeScriptFrontEnd } from '../../analysis/typescript';
import { typescriptCorpus } from '../../bench/analysis';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Code the split must read right: regexes and divisions, templates with braces, ASI, decorators, clauses on their own lines. */
const TRICKY = `import { SGD, clipGradNorm_ } from 'clipwise/engine';
export { a, b }
from './other';
const re = /[}{'"\`]+\\//g; const half = total / 2 / count;
if (ok) /}/.test(s);
const t = \`\${ { a: '}' }.a } \${\`nested \${x}\`}\`;
let o = {}
;(function () {})();
const p = {}
(maybe);
const q = {}
[0];
class A {}
@decorate()
class B { m() { return 1; } }
if (x) {
}
else {
}
try {
} catch {
}
finally {
}
do {
} while (x)
function f() {
}
/* a comment
   over lines */ function g() {}
const optimizer = new SGD(model.parameters(), { lr: 0.1 });
for (const batch of batches) {
  optimizer.zeroGrad();
  model.loss(batch).backward();
  optimizer.step();
  clipGradNorm_(model.parameters(), 1.0);
}
const div = a.b! / 2; const s2 = x++ / 3
label:
for (;;) { break label; }
type T = { a: 1 }
| { b: 2 };
export default {
}
`;

function inputs(): Array<{ name: string; text: string }> {
  const files = [
    ...filesUnder(join(ROOT, 'test', 'fixtures', 'typescript')),
    ...['engine', 'webview', 'analysis'].flatMap((d) => filesUnder(join(ROOT, d))),
    ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, 'examples', f)),
  ];
  return [
    ...files.map((path) => ({ name: path.slice(ROOT.length + 1), text: readFileSync(path, 'utf8') })),
    { name: 'tricky', text: TRICKY },
    { name: 'tricky (CRLF)', text: TRICKY.replace(/\n/g, '\r\n') },
    { name: 'bench corpus', text: typescriptCorpus() },
  ];
}

/** Chunks straddling no statement of typescript-estree's Program.body (undefined: estree cannot read the text). */
function straddled(text: string, jsx: boolean): string[] | undefined {
  let body: Array<{ range: [number, number] }>;
  try {
    body = parse(text, { range: true, jsx }).body as Array<{ range: [number, number] }>;
  } catch {
    return undefined;
  }
  const bad: string[] = [];
  for (const { start } of splitChunks(text).slice(1)) {
    for (const statement of body) if (statement.range[0] < start && start < statement.range[1]) bad.push(`${start}: ${JSON.stringify(text.slice(start - 30, start + 30))}`);
  }
  return bad;
}

function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const PIECES = ['x', '\n', '}', '{', '(', ')', ';', '`', '${', "'", '/', '/*', '*/', '//', 'else ', '@d\n', 'loss.backward();\n', '  optimizer.step();\n', 'clipGradNorm_(model.parameters(), 1.0);\n', ''];

function edit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const removed = rnd() < 0.3 ? Math.floor(rnd() * 20) : 0;
  return text.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)] + text.slice(at + removed);
}

const summary = (r: ReturnType<Analyzer['analyze']>) => ({
  findings: r.findings.map((f) => `${f.code} ${JSON.stringify(f.range)} ${JSON.stringify(f.statementRange)} ${f.message} ${JSON.stringify(f.fix ?? null)}`),
  clips: r.clips,
  loops: r.loops,
  skipped: r.skipped,
});

const whole = () => new Analyzer('typescript', new TypeScriptFrontEnd({ whole: true }));

describe('TypeScript chunks', () => {
  it('each chunk is one or more whole statements of typescript-estree', () => {
    let checked = 0;
    for (const { name, text } of inputs()) {
      const bad = straddled(text, /\.[jt]sx$/.test(name));
      if (!bad) continue;
      checked++;
      assert.deepEqual(bad, [], name);
    }
    assert.ok(checked > 100, `only ${checked} files read`);
  });

  it('splits the generated inputs where statements end, and keeps a half-typed block with the rest', () => {
    const spans = splitChunks(TRICKY).map((s) => TRICKY.slice(s.start, s.end));
    assert.ok(spans.length >= 18, `${spans.length} chunks`);
    assert.ok(spans.some((s) => s.startsWith('@decorate()\nclass B')), 'the decorator stays with its class');
    assert.ok(spans.some((s) => s.startsWith('if (x) {\n}\nelse {\n}\n')), 'else stays with its if');
    assert.ok(spans.some((s) => s.startsWith('const p = {}\n(maybe);')), 'a call on the next line continues the statement');
    const open = 'function f() {\n  loss.backward();\n';
    assert.equal(splitChunks(`const a = 1;\n${open}const b = 2;\nconst c = 3;\n`).length, 2, 'an unclosed brace: the rest is one chunk');
  });

  it('after random edits, the chunks equal a fresh split', () => {
    const rnd = random(7);
    for (const { name, text: original } of inputs().filter((_, i) => i % 3 === 0)) {
      const splitter = new ChunkSplitter(() => ({}));
      let text = original;
      splitter.split(text);
      for (let i = 0; i < 30; i++) {
        text = edit(text, rnd);
        const incremental = splitter.split(text).chunks.map((c) => `${c.start}:${c.piece.text.length}`);
        const fresh = splitChunks(text).map((s) => `${s.start}:${s.end - s.start}`);
        assert.deepEqual(incremental, fresh, `${name}, edit ${i}`);
      }
    }
  });

  it('the chunked analysis gives the whole-file parse\'s findings, clips and loops', () => {
    for (const { name, text } of inputs()) {
      assert.deepEqual(summary(new Analyzer('typescript').analyze(text)), summary(whole().analyze(text)), name);
    }
  });

  it('truncated at every line, the chunked analysis still gives the whole-file parse\'s findings', () => {
    for (const { name, text } of inputs().filter((f) => f.name.includes('fixtures') || f.name === 'tricky')) {
      const lines = text.split('\n');
      const chunked = new Analyzer('typescript');
      for (let n = 0; n <= lines.length; n++) {
        const part = lines.slice(0, n).join('\n');
        assert.deepEqual(summary(chunked.analyze(part)), summary(whole().analyze(part)), `${name} cut at line ${n}`);
      }
    }
  });

  it('after random edits, the incremental chunked analysis gives the whole-file parse\'s findings', () => {
    const rnd = random(3);
    for (const { name, text: original } of inputs().filter((f) => f.name.includes('fixtures') || f.name === 'tricky')) {
      const analyzer = new Analyzer('typescript');
      let text = original;
      analyzer.analyze(text);
      for (let i = 0; i < 40; i++) {
        text = edit(text, rnd);
        assert.deepEqual(summary(analyzer.analyze(text)), summary(whole().analyze(text)), `${name}, edit ${i}`);
      }
    }
  });
});

// Analysis budgets: whole-file analysis of a 10,000-line file against ruff's own check of the
// same file (same process, same run), re-analysis after a one-character edit, the CLI over the
// examples as a cold process, and the parser against tree-sitter's full parse (why our own parser).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pythonCorpus } from './corpus';
import { lowerIsBetter, median, type BenchRecord } from './record';

const ROOT = join(import.meta.dirname, '..');

function time(fn: () => void, runs: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/**
 * Medians of two measurements taken in alternating blocks (a few runs of one, then of the other),
 * so that a busy machine slows both alike while neither runs in the other's garbage.
 */
function timePair(ours: () => void, peer: () => void, runs: number, warmup = 3, block = 5): [number, number] {
  for (let i = 0; i < warmup; i++) {
    ours();
    peer();
  }
  const a: number[] = [];
  const b: number[] = [];
  const sample = (fn: () => void, into: number[]) => {
    for (let i = 0; i < block; i++) {
      const started = performance.now();
      fn();
      into.push(performance.now() - started);
    }
  };
  while (a.length < runs) {
    sample(ours, a);
    sample(peer, b);
  }
  return [median(a), median(b)];
}

function packageVersion(name: string): string {
  // Read the manifest from disk: some packages do not export ./package.json.
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

async function ruffCheck(): Promise<{ check: (text: string) => unknown; version: string }> {
  const ruff = (await import('@astral-sh/ruff-wasm-nodejs')) as unknown as {
    Workspace: { new (options: unknown, encoding: unknown): { check(text: string): unknown }; defaultSettings(): unknown };
    PositionEncoding: Record<string, unknown>;
  };
  const workspace = new ruff.Workspace(ruff.Workspace.defaultSettings(), ruff.PositionEncoding.Utf16 ?? 'utf-16');
  return { check: (text) => workspace.check(text), version: packageVersion('@astral-sh/ruff-wasm-nodejs') };
}

async function treeSitterParse(): Promise<{ parse: (text: string) => unknown; version: string }> {
  const { Parser, Language } = await import('web-tree-sitter');
  await Parser.init();
  const python = await Language.load(join(ROOT, 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm'));
  const parser = new Parser();
  parser.setLanguage(python);
  return { parse: (text) => parser.parse(text)?.delete(), version: packageVersion('web-tree-sitter') };
}

/** The analysis as it ships: bundled by esbuild like dist/, not through a development loader. */
async function shippedAnalysis(): Promise<typeof import('../analysis/index') & typeof import('../analysis/python/module') & { ts: typeof import('typescript') }> {
  const dir = mkdtempSync(join(tmpdir(), 'clipwise-bench-'));
  const outfile = join(dir, 'analysis.mjs');
  // TypeScript's compiler (the TypeScript front end) is CommonJS: it calls require() and reads __filename at load.
  const banner = "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __filename.replace(/[\\\\/][^\\\\/]*$/, '');";
  await build({ stdin: { contents: "export * from './analysis/index'; export { PythonParser } from './analysis/python/module'; export { default as ts } from 'typescript';", resolveDir: ROOT, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning', banner: { js: banner } });
  return import(outfile);
}

export async function run(): Promise<BenchRecord[]> {
  const text = pythonCorpus(10_000);
  const { Analyzer, PythonParser, ts } = await shippedAnalysis();
  const records: BenchRecord[] = [];

  const ruff = await ruffCheck();
  const [ours, peer] = timePair(() => new Analyzer().analyze(text), () => ruff.check(text), 40, 15);
  records.push(lowerIsBetter('python-10k-analysis', 'ms', ours, `ruff ${ruff.version} (wasm)`, peer));

  // One keystroke: a character typed into (then removed from) a function in the middle.
  const analyzer = new Analyzer();
  analyzer.analyze(text);
  const middle = text.indexOf('loss.backward()', text.length >> 1);
  const edited = text.slice(0, middle) + 'x' + text.slice(middle);
  let flip = false;
  const keystroke = time(() => {
    flip = !flip;
    analyzer.analyze(flip ? edited : text);
  }, 41, 5);
  records.push(lowerIsBetter('python-keystroke', 'ms', keystroke, 'budget', 2));

  const treeSitter = await treeSitterParse();
  const [parseOurs, parsePeer] = timePair(() => new PythonParser().parse(text), () => treeSitter.parse(text), 15);
  records.push(lowerIsBetter('python-10k-parse', 'ms', parseOurs, `tree-sitter ${treeSitter.version} full parse`, parsePeer));

  records.push(...typescriptRecords(Analyzer, ts));

  const cli = join(ROOT, 'dist', 'cli.js');
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    spawnSync(process.execPath, [cli, 'check', join(ROOT, 'examples')], { encoding: 'utf8' });
    cold.push(performance.now() - started);
  }
  records.push(lowerIsBetter('cli-examples-cold', 'ms', median(cold), 'budget', 1000));
  return records;
}

/**
 * A 10,000-line TypeScript file (training loops on our engine among model and utility code):
 * whole-file analysis against TypeScript's own parse of it alone, same run; one keystroke in a
 * helper in the middle of the file, and one inside the training loop (code that matters).
 */
export function typescriptRecords(Analyzer: typeof import('../analysis/index').Analyzer, ts: typeof import('typescript')): BenchRecord[] {
  const text = typescriptCorpus();
  const [ours, peer] = timePair(() => new Analyzer('typescript').analyze(text), () => ts.createSourceFile('bench.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS), 15, 5);
  const keystroke = (at: number, typed: string): number => {
    if (at < 0) throw new Error('the bench text has no place for the edit');
    const edited = text.slice(0, at) + typed + text.slice(at);
    const analyzer = new Analyzer('typescript');
    analyzer.analyze(text);
    let flip = false;
    return time(() => {
      flip = !flip;
      analyzer.analyze(flip ? edited : text);
    }, 41, 5);
  };
  // A letter typed into the body of the helper in the middle of the file.
  const middle = text.indexOf('Math.sqrt', text.length >> 1);
  // A digit typed into the loop's logging condition (`epoch % 10` → `epoch % 100`).
  const inLoop = text.indexOf('epoch % 10') + 'epoch % 10'.length;
  return [
    lowerIsBetter('ts-10k-analysis', 'ms', ours, `typescript ${ts.version} createSourceFile alone (budget 1.5x)`, peer),
    lowerIsBetter('ts-keystroke', 'ms', keystroke(middle, 'x'), 'budget', 2),
    lowerIsBetter('ts-keystroke-in-loop', 'ms', keystroke(inLoop, '0'), 'budget', 2),
  ];
}

/** The 10,000-line file: the engine example's loop first, then helpers, a commented-out copy of the loop every 400 helpers. */
export function typescriptCorpus(): string {
  const loop = readFileSync(join(ROOT, 'examples', 'engine_clip_after_step.ts'), 'utf8');
  const lines: string[] = [];
  for (let i = 0; lines.length < 10_000; i++) {
    lines.push(`export function helper${i}(x: number, scale = ${i % 7}): number {`, `  const y = x * scale + Math.sqrt(Math.abs(x));`, `  if (y > 3) { console.log(\`big \${y}\`); }`, `  return y > 3 ? y : -y;`, `}`);
    if (i % 400 === 0) lines.push(...loop.replace(/^import.*$/m, '').split('\n').map((l) => `// ${l}`));
  }
  return `${loop}\n${lines.join('\n')}\n`;
}

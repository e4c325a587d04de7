// engine/math, the engine's own elementary functions: within 1 ulp of Node's Math.* on a million
// arguments per function (Node 20's Math is fdlibm too, so nearly all agree to the bit), the
// special values ECMAScript prescribes for Math (NaN, ±0, ±inf), integer powers exact,
// tanh's written-out expm1 steps equal to tanh through expm1 to the bit, and no engine or Lab code
// left calling a Math function whose last bits depend on the JavaScript engine.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { math } from '../../engine';
import { ROOT } from '../cli/run-cli';
import { mathCases, type MathCase, type UnaryName } from './math-inputs';
import { hexBits, ulpDistance } from './ulps';

const COUNT = 1_000_000;
const REFERENCE: Record<Exclude<UnaryName, 'erf' | 'erfc'>, (x: number) => number> = {
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
};

function worstGap(c: MathCase, ours: (x: number, y: number) => number, reference: (x: number, y: number) => number): { ulps: number; at: string; differing: number } {
  let worst = { ulps: 0, at: '', differing: 0 };
  const step = c.arity;
  for (let i = 0; i < c.inputs.length; i += step) {
    const x = c.inputs[i];
    const y = c.inputs[i + 1];
    const a = ours(x, y);
    const b = reference(x, y);
    if (a === b || (a !== a && b !== b)) continue;
    worst.differing++;
    const ulps = ulpDistance(a, b);
    if (ulps > worst.ulps) worst = { ...worst, ulps, at: `${c.name}(${step === 2 ? `${x}, ${y}` : x}) = ${a}, Math gives ${b}` };
  }
  return worst;
}

describe('engine math: portable elementary functions', function () {
  this.timeout(120_000);
  let cases: MathCase[];
  before(() => {
    cases = mathCases(COUNT);
  });
  const caseOf = (name: string) => cases.find((c) => c.name === name)!;

  for (const name of Object.keys(REFERENCE) as Array<keyof typeof REFERENCE>) {
    it(`${name} is within 1 ulp of Math.${name} on ${COUNT.toLocaleString('en')} arguments`, () => {
      const c = caseOf(name);
      const gap = worstGap(c, math[name], REFERENCE[name]);
      assert.ok(gap.ulps <= 1, `${gap.at}: ${gap.ulps} ulps apart (${gap.differing} of ${c.inputs.length} differ)`);
    });
  }

  it(`pow is within 1 ulp of Math.pow on ${COUNT.toLocaleString('en')} pairs`, () => {
    const c = caseOf('pow');
    const gap = worstGap(c, math.pow, Math.pow);
    assert.ok(gap.ulps <= 1, `${gap.at}: ${gap.ulps} ulps apart (${gap.differing} of ${c.inputs.length / 2} differ)`);
  });

  it('gives the special values ECMAScript prescribes for Math (NaN, ±0, ±inf, ±1), to the bit', () => {
    const specials = [NaN, 0, -0, Infinity, -Infinity, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308];
    const wrong: string[] = [];
    for (const name of Object.keys(REFERENCE) as Array<keyof typeof REFERENCE>) {
      for (const x of specials) if (!Object.is(math[name](x), REFERENCE[name](x))) wrong.push(`${name}(${x}) = ${math[name](x)}, not ${REFERENCE[name](x)}`);
    }
    for (const x of specials) {
      for (const y of specials) {
        const a = math.pow(x, y);
        const b = Math.pow(x, y);
        if (!Object.is(a, b)) wrong.push(`pow(${x}, ${y}) = ${a}, not ${b}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('raises integers to integer powers exactly while the result fits in 53 bits', () => {
    for (let x = -20; x <= 20; x++) {
      for (let y = 0; y <= 64; y++) {
        const exact = BigInt(x) ** BigInt(y);
        if (exact > 2n ** 53n || exact < -(2n ** 53n)) break;
        assert.equal(math.pow(x, y), Number(exact), `${x} ** ${y}`);
      }
    }
    for (let y = -1074; y <= 1023; y++) assert.equal(math.pow(2, y), 2 ** y, `2 ** ${y}`);
  });

  it("computes tanh with expm1's own steps: the same bits as tanh through expm1", () => {
    // fdlibm's s_tanh.c, calling expm1.
    const throughExpm1 = (x: number) => {
      const ax = Math.abs(x);
      if (!(ax < 22)) return ax >= 22 ? Math.sign(x) : x;
      if (ax < 2 ** -28) return x;
      let z: number;
      if (ax >= 1) z = 1 - 2 / (math.expm1(2 * ax) + 2);
      else {
        const t = math.expm1(-2 * ax);
        z = -t / (t + 2);
      }
      return x > 0 ? z : -z;
    };
    const { inputs } = caseOf('tanh');
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i];
      if (hexBits(math.tanh(x)) !== hexBits(throughExpm1(x)) && !Number.isNaN(x)) assert.fail(`tanh(${x}) = ${math.tanh(x)}, through expm1 ${throughExpm1(x)}`);
    }
  });

  it('is what engine/ and webview/lab/ use: no call of an engine-dependent Math function outside engine/math', () => {
    const engineDependent = /\bMath\.(exp|expm1|log|log1p|log2|log10|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|pow|cbrt|hypot)\b/;
    // `**` rounds like Math.pow, except between integer literals (folded exactly, e.g. 2 ** 64).
    const exponentiation = (line: string) => /\*\*/.test(line.replace(/\b\d+\s*\*\*\s*\d+\b/g, ''));
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) {
          if (path !== join(ROOT, 'engine', 'math')) visit(path);
          continue;
        }
        if (!entry.endsWith('.ts')) continue;
        const text = readFileSync(path, 'utf8');
        // Code only: comments and strings (the exported Python source writes ** and math.sqrt) removed.
        const code = text
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\/\/.*$/gm, '')
          .replace(/`(?:[^`\\]|\\.)*`/g, '``')
          .replace(/'(?:[^'\\\n]|\\.)*'/g, "''");
        code.split('\n').forEach((line, i) => {
          if (engineDependent.test(line) || exponentiation(line)) offenders.push(`${relative(ROOT, path)}:${i + 1}: ${line.trim()}`);
        });
      }
    };
    visit(join(ROOT, 'engine'));
    visit(join(ROOT, 'webview', 'lab'));
    assert.deepEqual(offenders, []);
  });
});

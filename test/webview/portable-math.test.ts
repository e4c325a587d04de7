// engine/math gives the same bits in Chromium as in Node: the functions are bundled as the Lab's
// worker bundles them, evaluated in a Web Worker of real headless Chromium (a newer V8, whose own
// Math.log, sin, cos, exp … round differently) on the same arguments as in this process, and the
// results compared bit for bit.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { math } from '../../engine';
import { ROOT } from '../../scripts/lab-server.mjs';
import { mathCases, type MathCase } from '../engine/math-inputs';
import { hexBits } from '../engine/ulps';
import { CHROMIUM, CHROMIUM_ARGS } from './harness';

const COUNT = 50_000;

/** engine/math as one script that defines `portableMath` (what esbuild makes of it for the worker). */
async function mathScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'engine', 'math', 'index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'portableMath',
    target: 'es2022',
    platform: 'browser',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

function evaluateInNode(c: MathCase): Float64Array {
  const out = new Float64Array(c.inputs.length / c.arity);
  const x = c.inputs;
  if (c.arity === 2) for (let i = 0; i < out.length; i++) out[i] = math.pow(x[2 * i], x[2 * i + 1]);
  else {
    const f = math[c.name as Exclude<MathCase['name'], 'pow'>];
    for (let i = 0; i < out.length; i++) out[i] = f(x[i]);
  }
  return out;
}

const base64 = (values: Float64Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
const fromBase64 = (text: string) => {
  const bytes = Buffer.from(text, 'base64');
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

describe('engine math in Chromium', function () {
  this.timeout(90_000);
  let browser: Browser;
  let script: string;

  before(async () => {
    script = await mathScript();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });
  after(async () => browser?.close());

  it(`returns the same bits in a Chromium Web Worker as in Node, for every function on ${COUNT.toLocaleString('en')} arguments each`, async () => {
    const page = await browser.newPage();
    try {
      // tsx keeps function names through a helper, `__name`, which the function handed to the page may call.
      await page.evaluate('globalThis.__name = (target) => target;');
      const cases = mathCases(COUNT, 7);
      const sent = cases.map((c) => ({ name: c.name, arity: c.arity, inputs: base64(c.inputs) }));
      // The worker decodes the arguments, applies the bundled function and sends the results back, all as base64 float64s.
      const workerSource = `${script}
const decode = (text) => { const s = atob(text); const bytes = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i); return new Float64Array(bytes.buffer); };
const encode = (values) => { const bytes = new Uint8Array(values.buffer); let s = ''; for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192)); return btoa(s); };
onmessage = (event) => {
  postMessage(event.data.map(({ name, arity, inputs }) => {
    const x = decode(inputs);
    const f = portableMath[name];
    const out = new Float64Array(x.length / arity);
    if (arity === 2) for (let i = 0; i < out.length; i++) out[i] = f(x[2 * i], x[2 * i + 1]);
    else for (let i = 0; i < out.length; i++) out[i] = f(x[i]);
    return encode(out);
  }));
};`;
      const received = await page.evaluate(
        ({ source, cases }) =>
          new Promise<string[]>((resolve, reject) => {
            const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
            worker.onmessage = (event: MessageEvent<string[]>) => resolve(event.data);
            worker.onerror = (event) => reject(new Error(event.message));
            worker.postMessage(cases);
          }),
        { source: workerSource, cases: sent },
      );
      assert.equal(received.length, cases.length);
      cases.forEach((c, k) => {
        const chromiumBits = fromBase64(received[k]);
        const nodeBits = evaluateInNode(c);
        assert.equal(chromiumBits.length, nodeBits.length, c.name);
        for (let i = 0; i < nodeBits.length; i++) {
          // Equal bits, or both NaN (a NaN's payload is nothing the Lab can see).
          if (hexBits(chromiumBits[i]) === hexBits(nodeBits[i]) || (Number.isNaN(chromiumBits[i]) && Number.isNaN(nodeBits[i]))) continue;
          const args = c.arity === 2 ? `${c.inputs[2 * i]}, ${c.inputs[2 * i + 1]}` : `${c.inputs[i]}`;
          assert.fail(`${c.name}(${args}): Chromium ${chromiumBits[i]} (${hexBits(chromiumBits[i])}), Node ${nodeBits[i]} (${hexBits(nodeBits[i])})`);
        }
      });
    } finally {
      await page.close();
    }
  });
});

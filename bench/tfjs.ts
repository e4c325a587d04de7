// TensorFlow.js for the engine benchmarks: tfjs-core with its gradients, the CPU backend and the
// WebAssembly backend (its SIMD build, single-threaded, loaded from node_modules by file path:
// nothing comes from the network).
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '../engine';

export type Tf = typeof import('@tensorflow/tfjs-core');
export type TfTensor = import('@tensorflow/tfjs-core').Tensor;
export type TfScalar = import('@tensorflow/tfjs-core').Scalar;
export type TfVariable = import('@tensorflow/tfjs-core').Variable;

/** tfjs copies of a weight [out, in] (stored transposed, [in, out], as tfjs's matMul wants) and a bias. */
export function tfDense(tf: Tf, weight: Tensor, bias: Tensor): { w: TfVariable; b: TfVariable } {
  const [outputs, inputs] = weight.shape;
  return {
    // .slice(): tfjs may keep the array it is given, and our optimizer updates ours in place.
    w: tf.variable(tf.transpose(tf.tensor(Float32Array.from(weight.data), [outputs, inputs]))),
    b: tf.variable(tf.tensor(Float32Array.from(bias.data), [outputs])),
  };
}

export interface Tfjs {
  tf: Tf;
  /** Peer names with versions, for bench/results.json. */
  cpuName: string;
  wasmName: string;
}

interface Bundle {
  tf: Tf;
  setWasmPaths(paths: Record<string, string>): void;
}

function version(pkg: string): string {
  return JSON.parse(readFileSync(join(process.cwd(), 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

/** Silences tfjs's console banners (about tfjs-node, about backends) while `fn` runs. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  console.log = console.warn = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

/**
 * tfjs-core's Node entry point ships without gradient definitions (the @tensorflow/tfjs umbrella
 * package registers them from tfjs-core's ES modules). Bundle exactly that — tfjs-core's ES build,
 * its register_all_gradients, the CPU backend and the WebAssembly backend, unmodified — into one
 * module, so both backends register with the same tfjs-core and minimize() works on either.
 */
export async function loadTfjs(): Promise<Tfjs> {
  const dir = mkdtempSync(join(tmpdir(), 'clipwise-tfjs-'));
  const outfile = join(dir, 'tfjs.cjs');
  let bundle: Bundle;
  try {
    await build({
      stdin: {
        contents: [
          "export * as tf from '@tensorflow/tfjs-core';",
          "import '@tensorflow/tfjs-core/dist/register_all_gradients';",
          "import '@tensorflow/tfjs-backend-cpu';",
          "export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';",
        ].join('\n'),
        resolveDir: process.cwd(),
        loader: 'js',
      },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      mainFields: ['module', 'main'],
      outfile,
      logLevel: 'silent',
    });
    bundle = createRequire(import.meta.url)(outfile) as Bundle;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { tf, setWasmPaths } = bundle;
  const dist = join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  const binaries = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  setWasmPaths(Object.fromEntries(binaries.map((name) => [name, join(dist, name)])));
  // One thread, like our engine and like tfjs-cpu: the SIMD build is the one that loads.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await quietly(async () => {
    if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) throw new Error('this Node has no WebAssembly SIMD: tfjs-wasm would run its scalar build');
    for (const backend of ['wasm', 'cpu']) {
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not initialise`);
      tf.tidy(() => tf.grad((x: TfTensor) => tf.sum(tf.square(x)))(tf.ones([2])).dataSync());
    }
  });
  return {
    tf,
    cpuName: `tfjs-cpu ${version('@tensorflow/tfjs-backend-cpu')}`,
    wasmName: `tfjs-wasm ${version('@tensorflow/tfjs-backend-wasm')} (SIMD)`,
  };
}

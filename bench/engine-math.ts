// The engine's own elementary functions (engine/math: the same bits in every JavaScript engine)
// against Node's Math.* on the same arguments, in calls per second: what portability costs. Each
// step evaluates one function over 4,096 arguments from its working range, as a tensor op does.
import { math, Rng } from '../engine';
import { compareStepsPerSecond } from './contest';
import { higherIsBetter, type BenchRecord } from './record';

const N = 4096;

type Loop = (x: Float64Array, out: Float64Array) => number;

// One loop per function and side, written out: a shared loop would see several callees at one
// call site and inline none of them, unlike the engine's own loops.
const LOOPS: Record<'exp' | 'log' | 'tanh' | 'sin' | 'cos', { range: [number, number]; ours: Loop; peer: Loop }> = {
  exp: {
    range: [-10, 10],
    ours: (x, out) => { for (let i = 0; i < N; i++) out[i] = math.exp(x[i]); return out[0]; },
    peer: (x, out) => { for (let i = 0; i < N; i++) out[i] = Math.exp(x[i]); return out[0]; },
  },
  log: {
    range: [1e-3, 100],
    ours: (x, out) => { for (let i = 0; i < N; i++) out[i] = math.log(x[i]); return out[0]; },
    peer: (x, out) => { for (let i = 0; i < N; i++) out[i] = Math.log(x[i]); return out[0]; },
  },
  tanh: {
    range: [-5, 5],
    ours: (x, out) => { for (let i = 0; i < N; i++) out[i] = math.tanh(x[i]); return out[0]; },
    peer: (x, out) => { for (let i = 0; i < N; i++) out[i] = Math.tanh(x[i]); return out[0]; },
  },
  sin: {
    range: [0, 2 * Math.PI],
    ours: (x, out) => { for (let i = 0; i < N; i++) out[i] = math.sin(x[i]); return out[0]; },
    peer: (x, out) => { for (let i = 0; i < N; i++) out[i] = Math.sin(x[i]); return out[0]; },
  },
  cos: {
    range: [0, 2 * Math.PI],
    ours: (x, out) => { for (let i = 0; i < N; i++) out[i] = math.cos(x[i]); return out[0]; },
    peer: (x, out) => { for (let i = 0; i < N; i++) out[i] = Math.cos(x[i]); return out[0]; },
  },
};

export function mathRecords(): BenchRecord[] {
  const rng = new Rng(9);
  const peer = `Math.* (Node ${process.versions.node}, V8 ${process.versions.v8})`;
  return Object.entries(LOOPS).map(([name, { range, ours, peer: theirs }]) => {
    const x = Float64Array.from({ length: N }, () => rng.uniform(range[0], range[1]));
    const out = new Float64Array(N);
    const [o, p] = compareStepsPerSecond(() => ours(x, out), () => theirs(x, out), 200, 7);
    return higherIsBetter(`engine-math-${name}`, 'Mcalls/s', (o * N) / 1e6, peer, (p * N) / 1e6);
  });
}

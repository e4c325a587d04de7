// Steps per second of two contenders, measured in alternating windows so that both see the same
// background load on a shared machine; each side's median window counts.
import { higherIsBetter, median, type BenchRecord } from './record';

export function compareStepsPerSecond(ours: () => number, peer: () => number, windowMs = 400, windows = 7): [number, number] {
  let checksum = 0;
  const warm = (step: () => number) => {
    const end = performance.now() + 300;
    for (let i = 0; i < 5 || performance.now() < end; i++) checksum += step();
  };
  const window = (step: () => number) => {
    const start = performance.now();
    let n = 0;
    let now = start;
    while (now - start < windowMs || n < 3) {
      checksum += step();
      n++;
      now = performance.now();
    }
    return (n * 1000) / (now - start);
  };
  warm(ours);
  warm(peer);
  const a: number[] = [];
  const b: number[] = [];
  for (let w = 0; w < windows; w++) {
    a.push(window(ours));
    b.push(window(peer));
  }
  if (!Number.isFinite(checksum)) throw new Error('a benchmark diverged');
  return [median(a), median(b)];
}

export function stepsRecord(name: string, peerName: string, ours: () => number, peer: () => number): BenchRecord {
  const [o, p] = compareStepsPerSecond(ours, peer);
  return higherIsBetter(name, 'steps/s', o, peerName, p);
}

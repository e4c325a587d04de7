/** One line of bench/results.json: a budget measured against a peer in the same run. */
export interface BenchRecord {
  name: string;
  /** Unit of `ours` and `peer_value`, e.g. "ms", "steps/s", "GFLOP/s", "bytes". */
  unit: string;
  ours: number;
  /** The peer and its version, or "budget" where no peer exists. */
  peer: string;
  peer_value: number;
  /** How many times better ours is than the peer (> 1 means ahead). */
  ratio: number;
}

/** Ratio for a quantity where smaller is better (time, bytes). */
export function lowerIsBetter(name: string, unit: string, ours: number, peer: string, peerValue: number): BenchRecord {
  return { name, unit, ours, peer, peer_value: peerValue, ratio: peerValue / ours };
}

/** Ratio for a quantity where larger is better (throughput). */
export function higherIsBetter(name: string, unit: string, ours: number, peer: string, peerValue: number): BenchRecord {
  return { name, unit, ours, peer, peer_value: peerValue, ratio: ours / peerValue };
}

/** Median of repeated timings: robust against a stray slow run on a shared machine. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

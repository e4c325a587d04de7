// A chart series that grows as records arrive: a typed array that doubles when full (so a step
// costs no allocation), with the finite extremes kept as values come in (so a chart's range
// needs no scan). A run that stopped simply stops growing: the chart reads past its end as a gap.
// Non-finite values are stored as +Infinity, which a log chart places off the canvas (NaN would be
// drawn at the floor, like 0).

export class GrowingSeries {
  private values: Float64Array;
  length = 0;
  /** Smallest and largest finite values, and the smallest one above 0 (for log scales). */
  min = Infinity;
  max = -Infinity;
  minPositive = Infinity;

  constructor(capacity = 256) {
    this.values = new Float64Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    const finite = Number.isFinite(value);
    this.values[this.length++] = finite ? value : Infinity;
    if (!finite) return;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value > 0 && value < this.minPositive) this.minPositive = value;
  }

  at(index: number): number {
    return index < this.length ? this.values[index] : NaN;
  }

  /** The values so far, without copying (valid until the next push). */
  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.minPositive = Infinity;
  }
}

/** Decades a log chart shows at most. */
export const MAX_DECADES = 12;

/** A log scale's range around the positive values of some series, whole decades, never empty. */
export function logRange(series: readonly GrowingSeries[], extra: number[] = []): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const s of series) {
    if (s.minPositive < low) low = s.minPositive;
    if (s.max > high) high = s.max;
  }
  for (const v of extra) {
    if (v > 0 && v < low) low = v;
    if (v > high) high = v;
  }
  if (!(low < Infinity) || !(high > 0)) return [0.1, 10];
  let min = 10 ** Math.floor(Math.log10(low));
  let max = 10 ** Math.ceil(Math.log10(high));
  if (max <= min) max = min * 10;
  // An exploding run spans hundreds of decades: keep the bottom ones readable (where the other run
  // and the threshold are) and let the explosion leave the chart at the top.
  if (max / min > 10 ** MAX_DECADES) max = min * 10 ** MAX_DECADES;
  if (!(min > 0)) min = Number.MIN_VALUE;
  return [min, Number.isFinite(max) ? max : Number.MAX_VALUE];
}

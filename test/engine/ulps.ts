// Distance between two float64s in units in the last place: how many representable numbers lie
// between them (0 for equal values, and for two NaNs; Infinity when only one is NaN).

const float = new Float64Array(1);
const bits = new BigInt64Array(float.buffer);

/** The float64s in increasing order mapped to consecutive integers (−0 and +0 both to 0). */
function ordinal(x: number): bigint {
  float[0] = x;
  const b = bits[0];
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}

export function ulpDistance(a: number, b: number): number {
  if (a === b) return 0;
  const nanA = Number.isNaN(a);
  const nanB = Number.isNaN(b);
  if (nanA || nanB) return nanA && nanB ? 0 : Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** The bit pattern of x as 16 hex digits (which shows a NaN's payload and the sign of zero). */
export function hexBits(x: number): string {
  float[0] = x;
  return BigInt.asUintN(64, bits[0]).toString(16).padStart(16, '0');
}

import { highWord } from './bits';
import { reduced, remPio2 } from './rem-pio2';
import { kernelCos, kernelSin } from './trig-kernels';

/** sin, fdlibm's s_sin.c: x reduced to y = x − n·π/2 in [−π/4, π/4], then ±sin(y) or ±cos(y) by n mod 4. */
export function sin(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, false); // |x| ≤ π/4
  if (ix >= 0x7ff00000) return x - x; // NaN for ±inf and NaN
  const n = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelSin(reduced[0], reduced[1], true);
    case 1:
      return kernelCos(reduced[0], reduced[1]);
    case 2:
      return -kernelSin(reduced[0], reduced[1], true);
    default:
      return -kernelCos(reduced[0], reduced[1]);
  }
}

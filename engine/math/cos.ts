import { highWord } from './bits';
import { reduced, remPio2 } from './rem-pio2';
import { kernelCos, kernelSin } from './trig-kernels';

/** cos, fdlibm's s_cos.c: x reduced to y = x − n·π/2 in [−π/4, π/4], then ±cos(y) or ±sin(y) by n mod 4. */
export function cos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0); // |x| ≤ π/4
  if (ix >= 0x7ff00000) return x - x; // NaN for ±inf and NaN
  const n = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelCos(reduced[0], reduced[1]);
    case 1:
      return -kernelSin(reduced[0], reduced[1], true);
    case 2:
      return -kernelCos(reduced[0], reduced[1]);
    default:
      return kernelSin(reduced[0], reduced[1], true);
  }
}

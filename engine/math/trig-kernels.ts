import { fromWords, highWord } from './bits';

/*
 * sin and cos on [−π/4, π/4], for an argument given as x + y (y the tail that argument reduction
 * leaves), fdlibm's k_sin.c and k_cos.c: odd and even Remez polynomials of degree 13 and 14, with
 * first-order corrections for y. Each is within 2⁻⁵⁸ of the function before rounding.
 */

/** sin(x + y) for |x| ≤ π/4; `hasTail` false means y is 0. */
export function kernelSin(x: number, y: number, hasTail: boolean): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) return x; // |x| < 2⁻²⁷
  const z = x * x;
  const v = z * x;
  const r = 8.33333333332248946124e-3 + z * (-1.98412698298579493134e-4 + z * (2.75573137070700676789e-6 + z * (-2.50507602534068634195e-8 + z * 1.58969099521155010221e-10)));
  if (!hasTail) return x + v * (-1.66666666666666324348e-1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * -1.66666666666666324348e-1);
}

/** cos(x + y) for |x| ≤ π/4. */
export function kernelCos(x: number, y: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) return 1; // |x| < 2⁻²⁷
  const z = x * x;
  const r =
    z *
    (4.16666666666666019037e-2 +
      z * (-1.38888888888741095749e-3 + z * (2.48015872894767294178e-5 + z * (-2.75573143513906633035e-7 + z * (2.08757232129817482790e-9 + z * -1.13596475577881948265e-11)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  // 1 − qx and ½x² − qx are exact, and the second is at least a quarter of ½x²: less cancellation.
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0); // |x|/4, or 0.28125 above 0.78125
  const iz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (iz - (z * r - x * y));
}

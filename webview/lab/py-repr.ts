// A float as Python's repr() writes it, the way training code spells its settings: always with a
// point or an exponent ("1.0", "0.05", "1e-05", "10000.0"), the shortest digits that read back to
// the same value. The panel shows thresholds and learning rates this way everywhere, so a slider at
// 1 reads like the user's `max_norm=1.0` (a JavaScript number would print "1").

export function pyRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // toExponential() without digits gives the shortest digits that identify the value.
  const [mantissa, power] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(power);
  const sign = value < 0 ? '-' : '';
  // Python's rule: positional while the decimal point falls within -4 < point <= 16.
  const point = exponent + 1;
  if (point <= -4 || point > 16) {
    const lead = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${lead}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Whether a piece of code is a plain number literal (Python or TypeScript: "1.0", ".5", "1e-3", "1_000"), not a name or an expression. */
export function isNumberLiteral(text: string): boolean {
  return /^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?$/.test(text.trim());
}

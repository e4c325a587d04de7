// Reading literal values out of expressions: thresholds such as `1.0`, `-1`, `float('inf')`,
// `math.inf`. Anything computed at run time reads as undefined.
import type { Expr } from './ast';

/** Numeric value of a literal expression, or undefined when it is not a literal. */
export function literalNumber(expr: Expr): number | undefined {
  switch (expr.type) {
    case 'Constant':
      if (expr.kind === 'number') {
        const text = expr.raw.replace(/_/g, '').replace(/[jJ]$/, '');
        if (/^0[oO]/.test(text)) return parseInt(text.slice(2), 8);
        if (/^0[bB]/.test(text)) return parseInt(text.slice(2), 2);
        const value = Number(text);
        return Number.isNaN(value) ? undefined : value;
      }
      if (expr.kind === 'true') return 1;
      if (expr.kind === 'false') return 0;
      return undefined;
    case 'UnaryOp': {
      const inner = literalNumber(expr.operand);
      if (inner === undefined) return undefined;
      return expr.op === '-' ? -inner : expr.op === '+' ? inner : undefined;
    }
    case 'Call':
      if (expr.func.type === 'Name' && expr.func.id === 'float' && expr.args.length === 1) {
        const arg = expr.args[0].value;
        if (arg.type === 'Constant' && arg.kind === 'string') return pythonFloat(stringContent(arg.raw));
        return literalNumber(arg);
      }
      return undefined;
    case 'Attribute':
      if (expr.attr === 'inf' && expr.value.type === 'Name' && /^(math|np|numpy|torch)$/.test(expr.value.id)) return Infinity;
      return undefined;
    case 'Name':
      return expr.id === 'inf' ? Infinity : undefined;
    default:
      return undefined;
  }
}

/** The characters of a string literal without prefix and quotes (escapes left as written). */
export function stringContent(raw: string): string {
  const match = /^[a-zA-Z]*('''|"""|'|")([\s\S]*)\1$/.exec(raw);
  return match ? match[2] : raw;
}

/** What Python's float() makes of a string, or undefined where it raises. */
export function pythonFloat(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/_/g, '');
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return Number(t);
  return undefined;
}

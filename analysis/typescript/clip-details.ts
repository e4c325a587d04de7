// The facts of a TypeScript/JavaScript clip call as events carry them (model/events.ts
// ClipDetails): its callee and library, its threshold arguments and their values where written
// as numbers, and for TensorFlow.js a clip API that does not exist and what to use instead.
import ts from 'typescript';
import type { Range } from '../api';
import type { ClipDetails, ThresholdArgument } from '../model/events';
import { clipApi } from './clip-api';

/** How a node's text and range are read (the builder's line map). */
export interface Spans {
  text(node: ts.Node): string;
  range(node: ts.Node): Range;
}

/** A TensorFlow.js clip (`tf.clipByValue`, a helper of the file) or a tfjs clip API that does not exist (`tf.clipByNorm`). */
export function tfjsClipDetails(call: ts.CallExpression, by: 'norm' | 'value', resolved: string, missing: boolean | undefined, spans: Spans): ClipDetails {
  const name = resolved.slice(resolved.lastIndexOf('.') + 1);
  // `tf.clipByValue(g, -c, c)` / `g.clipByValue(-c, c)`: the clip value, where the bounds are literals around zero (for the Lab).
  const bounds = name === 'clipByValue' ? call.arguments.slice(resolved.startsWith('tf.Tensor.') ? 0 : 1) : [];
  const [low, high] = bounds.map((b) => numberOf(b));
  const thresholds: ThresholdArgument[] = high !== undefined && low === -high && high > 0 ? [{ parameter: 'clip_value', text: spans.text(bounds[1]), range: spans.range(bounds[1]), value: high }] : [];
  return {
    callee: spans.text(call.expression),
    calleeRange: spans.range(call.expression),
    resolved,
    kind: missing ? 'missing' : by,
    api: { library: 'tfjs', name, by, thresholdMeaningKnown: false },
    missing: missing ? { why: 'no-function', raises: 'TypeError', use: replacements(name) } : undefined,
    clipValue: thresholds[0]?.value,
    measuresOnly: false,
    thresholds,
  };
}

export function clipDetails(call: ts.CallExpression, kind: 'norm' | 'value', resolved: string, spans: Spans): ClipDetails {
  const thresholds: ThresholdArgument[] = [];
  const threshold = call.arguments[1];
  let value: number | undefined;
  if (threshold) {
    value = numberOf(threshold);
    thresholds.push({ parameter: kind === 'norm' ? 'max_norm' : 'clip_value', text: spans.text(threshold), range: spans.range(threshold), value });
  }
  return {
    callee: spans.text(call.expression),
    calleeRange: spans.range(call.expression),
    resolved,
    kind,
    api: clipApi(resolved, kind),
    maxNorm: kind === 'norm' ? value : undefined,
    clipValue: kind === 'value' ? value : undefined,
    measuresOnly: kind === 'norm' && value === Infinity,
    thresholds,
  };
}

function numberOf(node: ts.Expression): number | undefined {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
  if (ts.isIdentifier(node) && node.text === 'Infinity') return Infinity;
  if (ts.isPropertyAccessExpression(node) && node.getText() === 'Number.POSITIVE_INFINITY') return Infinity;
  return undefined;
}

/**
 * What to write instead of a TensorFlow.js clip that does not exist: a global-norm clip scales
 * every gradient by one factor from the norm of all of them, not each by its own norm.
 */
function replacements(name: string): string[] {
  if (name === 'clipByGlobalNorm') {
    return ['Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.mul(tf.minimum(1, tf.div(maxNorm, globalNorm)))]))', 'tf.clipByValue(grad, -clipValue, clipValue)'];
  }
  return ['tf.clipByValue(grad, -clipValue, clipValue)', 'grad.mul(tf.minimum(1, tf.div(maxNorm, tf.norm(grad))))'];
}

// Where a clip's value goes, for the events of gradient values (gradient-values.ts): the name that
// first holds it and whether that name always holds it, the container an assignment writes it
// into, and the gradient maps a step could be given instead (the fix of a copy never applied).
import ts from 'typescript';
import { unwrap } from './tfjs';
import { nameOfKey, sameFunction, type ScopedNames } from './scoped-names';
import type { GradientNames } from './gradient-names';

/**
 * The name that first holds a call's value, whether it is a `const` initialized by it on every
 * run, and whether the name is given the value (`g = clip(g)`, `const c = clip(g)`) rather than
 * written into (`m[k] = clip(…)`, `this.grads = …`), and whether that is an assignment to an
 * existing name (`g = clip(g)`). `keyOf` is how names are tracked.
 */
export function holderOf(call: ts.CallExpression, scopes: ScopedNames, keyOf: (node: ts.Node) => string | undefined): { holder?: string; definite: boolean; rebinds?: boolean; reassigned?: boolean } {
  let node: ts.Node = call;
  let definite = true;
  for (;;) {
    const parent: ts.Node | undefined = node.parent;
    if (!parent || ts.isExpressionStatement(parent) || ts.isBlock(parent) || ts.isSourceFile(parent)) return { definite: false };
    if (ts.isConditionalExpression(parent) || (ts.isBinaryExpression(parent) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(parent.operatorToken.kind))) definite = false;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
      const constant = ts.isVariableDeclarationList(parent.parent) && (parent.parent.flags & ts.NodeFlags.Const) !== 0;
      return { holder: scopes.key(parent.name), definite: definite && constant, rebinds: true };
    }
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node) {
      const target = unwrap(parent.left);
      const key = keyOf(target) ?? (ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target) ? keyOf(target.expression) : undefined);
      return { holder: key, definite: false, rebinds: ts.isIdentifier(target), reassigned: ts.isIdentifier(target) };
    }
    if (ts.isStatement(parent) && !ts.isVariableStatement(parent)) return { definite: false };
    node = parent;
  }
}

/** Constant gradient maps of the unit whose values include `id` (the names a clipped value ends up in). */
export function carriersOf(id: string, scopes: ScopedNames, names: GradientNames): string[] {
  const out: string[] = [];
  for (const [key, known] of scopes.declarations) if (known.constant && names.isMap(key) && names.carried(key)?.has(id)) out.push(nameOfKey(key));
  return out.sort();
}

/** Gradient maps declared once, with `const`, in a block that holds the call, before it. */
export function mapsInScope(call: ts.CallExpression, file: ts.SourceFile, scopes: ScopedNames, names: GradientNames): string[] {
  const at = call.getStart(file);
  const out: string[] = [];
  for (const key of scopes.visibleAt(call)) {
    const known = scopes.declarations.get(key);
    if (!known?.declaration || !known.constant || !names.isMap(key)) continue;
    if (known.declaration.end <= at && sameFunction(known.scope, call)) out.push(nameOfKey(key));
  }
  return out.sort();
}

/** The container an assignment writes a call's value into (`m` of `m[k] = call`, `m.p = call`), or undefined. */
export function containerAssigned(call: ts.CallExpression): ts.Expression | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent || !ts.isBinaryExpression(parent) || parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken || parent.right !== node) return undefined;
  const target = unwrap(parent.left);
  return ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target) ? target.expression : undefined;
}

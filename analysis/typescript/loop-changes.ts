// What a TypeScript/JavaScript loop may change from one pass to the next (the names and attribute
// paths it assigns, and which tested conditions vary when evaluated again), and the condition
// "the iterable is empty" of a `for … of`/`for … in`: the facts the shared flow wiring puts on a
// loop's edges.
import ts from 'typescript';
import { emptinessKey, testsAccumulationIsOn } from '../model/conditions';

/** Condition text that counts micro-batches: `%`, `accum…`, `sync…`. */
const ACCUMULATION_TEXT = /%|accum|sync/i;

/** A condition that counts micro-batches; `accumSteps > 1` only says whether accumulation is on. */
export function isAccumulationCondition(key: string): boolean {
  return ACCUMULATION_TEXT.test(key) && !testsAccumulationIsOn(key);
}

/** A condition that may change by being evaluated again with nothing in sight assigned: it calls something, or it counts micro-batches. */
export function variesWhenTested(key: string): boolean {
  return key.includes('(') || isAccumulationCondition(key);
}

/**
 * The condition key of "this `for … of`/`for … in` runs zero times" (the iterable's text), or
 * undefined for an array written out with elements, which cannot be empty.
 */
export function emptinessOf(iterable: ts.Expression, text: (node: ts.Node) => string): string | undefined {
  let e = iterable;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (ts.isArrayLiteralExpression(e) && e.elements.some((element) => !ts.isSpreadElement(element) && !ts.isOmittedExpression(element))) return undefined;
  return emptinessKey(text(e).replace(/\s+/g, ''));
}

/**
 * Every name and attribute path a loop rebinds or assigns on a pass: its body, its test and
 * update, a `for … of` variable (not a `for (;;)` initializer, which runs once). Nested functions
 * are not entered; a function declared inside counts as its name.
 */
export function assignedInLoop(loop: ts.IterationStatement): Set<string> {
  const into = new Set<string>();
  const parts: Array<ts.Node | undefined> = [loop.statement];
  if (ts.isForStatement(loop)) parts.push(loop.condition, loop.incrementor);
  else if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) {
    if (ts.isVariableDeclarationList(loop.initializer)) for (const d of loop.initializer.declarations) addBinding(d.name, into);
    else addTarget(loop.initializer, into);
  } else if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) parts.push(loop.expression);
  for (const part of parts) if (part) visit(part, into);
  return into;
}

function visit(node: ts.Node, into: Set<string>): void {
  if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) {
    if (node.name) into.add(node.name.text);
    return;
  }
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) addTarget(node.left, into);
  else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) addTarget(node.operand, into);
  else if (ts.isVariableDeclaration(node)) addBinding(node.name, into);
  else if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) addTarget(node.initializer, into);
  ts.forEachChild(node, (child) => visit(child, into));
}

function addBinding(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name, into);
}

/** What an assignment target changes: a name, an attribute path (`this.state.step`), the container of `a[i]`; destructuring, each part. */
function addTarget(target: ts.Node, into: Set<string>): void {
  let e = target;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  const path = pathOf(e);
  if (path !== undefined) into.add(path);
  else if (ts.isElementAccessExpression(e)) addTarget(e.expression, into);
  else if (ts.isArrayLiteralExpression(e)) for (const element of e.elements) addTarget(ts.isSpreadElement(element) ? element.expression : element, into);
  else if (ts.isObjectLiteralExpression(e)) {
    for (const property of e.properties) {
      if (ts.isShorthandPropertyAssignment(property)) into.add(property.name.text);
      else if (ts.isPropertyAssignment(property)) addTarget(property.initializer, into);
      else if (ts.isSpreadAssignment(property)) addTarget(property.expression, into);
    }
  } else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) addTarget(e.left, into); // a default in a pattern
  // Anything else (an attribute of a call's result): say it changes every name it mentions.
  else visitNames(e, into);
}

function pathOf(e: ts.Node): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(e)) {
    const inner = pathOf(e.expression);
    return inner === undefined ? undefined : `${inner}.${e.name.text}`;
  }
  return undefined;
}

function visitNames(node: ts.Node, into: Set<string>): void {
  if (ts.isIdentifier(node)) into.add(node.text);
  ts.forEachChild(node, (child) => visitNames(child, into));
}

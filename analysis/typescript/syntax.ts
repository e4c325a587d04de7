// TypeScript/JavaScript spelling for fixes: statements end with `;`, a block left empty stays
// `{}` (the line is removed), guards are `if (…) {…}`, names are read with TypeScript's scanner.
import ts from 'typescript';
import type { LanguageSyntax } from '../syntax';

export const TYPESCRIPT_SYNTAX: LanguageSyntax = {
  statement: (expression) => `${expression};`,
  guard: (condition) => ({ open: `if (${condition}) {`, close: '}' }),
  unscaleCall: (scaler, optimizer) => `${scaler}.unscale_(${optimizer});`,
  mayTradePlaces,
  lineComment: '//',
};

interface Names {
  reads: Set<string>;
  writes: Set<string>;
}

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.PercentEqualsToken, ts.SyntaxKind.AsteriskAsteriskEqualsToken,
  ts.SyntaxKind.AmpersandEqualsToken, ts.SyntaxKind.BarEqualsToken, ts.SyntaxKind.CaretEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken, ts.SyntaxKind.LessThanLessThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
]);

/**
 * Names a piece of code reads and writes, from its tokens: a name before `=` / `+=` / `++` or
 * after `const`/`let`/`var` is written (the root of `a.b = …` too), every name is read. Errs
 * towards "conflict": a move not made is safe, a wrong one is not.
 */
export function namesOf(text: string): Names {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const reads = new Set<string>();
  const writes = new Set<string>();
  let chainRoot: string | undefined;
  let afterDot = false;
  let declaring = false;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.Identifier) {
      const name = scanner.getTokenText();
      if (!afterDot) chainRoot = name;
      reads.add(name);
      if (declaring && !afterDot) writes.add(name);
      afterDot = false;
      continue;
    }
    if (kind === ts.SyntaxKind.ConstKeyword || kind === ts.SyntaxKind.LetKeyword || kind === ts.SyntaxKind.VarKeyword) {
      declaring = true;
      continue;
    }
    if (kind === ts.SyntaxKind.DotToken || kind === ts.SyntaxKind.QuestionDotToken) {
      afterDot = true;
      continue;
    }
    afterDot = false;
    if ((ASSIGNMENTS.has(kind) || kind === ts.SyntaxKind.PlusPlusToken || kind === ts.SyntaxKind.MinusMinusToken) && chainRoot) writes.add(chainRoot);
    if (kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.SemicolonToken) declaring = false;
    if (kind !== ts.SyntaxKind.CloseBracketToken && kind !== ts.SyntaxKind.CloseParenToken && !ASSIGNMENTS.has(kind)) chainRoot = kind === ts.SyntaxKind.OpenBracketToken ? chainRoot : undefined;
  }
  return { reads, writes };
}

export function mayTradePlaces(moving: string, passed: string): boolean {
  const a = namesOf(moving);
  const b = namesOf(passed);
  for (const name of a.writes) if (b.reads.has(name)) return false;
  for (const name of b.writes) if (a.reads.has(name)) return false;
  return true;
}

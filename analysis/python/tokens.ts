// Token kinds of the Python tokenizer. Kept as a const enum of small integers: the parser
// compares kinds in its hottest loops.

export const enum Tok {
  Name,
  Number,
  String,
  Op,
  Newline,
  Indent,
  Dedent,
  EndOfFile,
  /** A character no Python token starts with; the parser skips it. */
  Error,
}

export interface Token {
  kind: Tok;
  /** Offset of the first character, relative to the text being tokenized. */
  start: number;
  end: number;
  /** Identifier, operator or literal text as written. */
  value: string;
}

/** A `#` comment: kept apart from the token stream, read by suppression handling. */
export interface Comment {
  start: number;
  end: number;
  text: string;
}

/** Words that begin a statement: where a line inside unclosed brackets is taken as a new statement. */
export const STATEMENT_KEYWORDS = new Set([
  'def', 'class', 'return', 'import', 'from', 'raise', 'try', 'except', 'finally', 'with',
  'while', 'elif', 'del', 'pass', 'break', 'continue', 'global', 'nonlocal', 'assert', 'async',
]);

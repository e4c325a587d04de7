// An error-tolerant Python tokenizer. It never throws: unknown characters become Error tokens,
// unterminated strings end at the line (or the file, for triple quotes), and a statement keyword
// at or left of an unclosed bracket's line closes the brackets, so half-typed code still yields
// the statements after it.
import { Tok, STATEMENT_KEYWORDS, type Token, type Comment } from './tokens';

export interface Tokens {
  tokens: Token[];
  comments: Comment[];
}

const CH_TAB = 9, CH_LF = 10, CH_FF = 12, CH_CR = 13, CH_SPACE = 32, CH_DQUOTE = 34,
  CH_HASH = 35, CH_SQUOTE = 39, CH_DOT = 46, CH_0 = 48, CH_9 = 57, CH_BACKSLASH = 92, CH_LBRACE = 123, CH_RBRACE = 125;

const identStart = new Uint8Array(128);
const identPart = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) identStart[c] = identPart[c] = 1;
  if (/[0-9]/.test(ch)) identPart[c] = 1;
}
const isIdentStart = (c: number) => (c < 128 ? identStart[c] === 1 : c !== 0xfeff && !isSpaceLike(c));
const isIdentPart = (c: number) => (c < 128 ? identPart[c] === 1 : c !== 0xfeff && !isSpaceLike(c));
const isSpaceLike = (c: number) => c === 0xa0 || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200b) || c === 0x3000;

const STRING_PREFIXES = new Set(['r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf', 't', 'tr', 'rt']);

const THREE_CHAR_OPS = ['**=', '//=', '>>=', '<<=', '...'];
const TWO_CHAR_OPS = ['->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@='];
const ONE_CHAR_OPS = '+-*/%@&|^~<>()[]{},:.;=';

/** Operators by first character, longest first: no substrings are allocated to find one. */
const OPERATORS_BY_FIRST: string[][] = [];
for (const op of [...THREE_CHAR_OPS, ...TWO_CHAR_OPS, ...ONE_CHAR_OPS]) (OPERATORS_BY_FIRST[op.charCodeAt(0)] ??= []).push(op);

function operatorAt(text: string, pos: number, c: number): string | undefined {
  const candidates = OPERATORS_BY_FIRST[c];
  if (!candidates) return undefined;
  for (const op of candidates) {
    if (op.length === 1 || (text.charCodeAt(pos + 1) === op.charCodeAt(1) && (op.length === 2 || text.charCodeAt(pos + 2) === op.charCodeAt(2)))) return op;
  }
  return undefined;
}

/**
 * Token objects are re-used from one call to the next: a chunk's tokens die as soon as it is
 * parsed, and allocating them afresh for every chunk is most of the parser's garbage. The tokens
 * `tokenize` returns are therefore valid only until it is called again.
 */
const TOKEN_POOL: Token[] = [];
const POOL_LIMIT = 1 << 15;

export function tokenize(text: string): Tokens {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const n = text.length;
  const indents = [0];
  /** Indentation of the line on which each open bracket was opened. */
  const openerIndents: number[] = [];
  let pos = 0;
  let atLineStart = true;
  let lineIndent = 0;

  const push = (kind: Tok, start: number, end: number, value: string) => {
    const i = tokens.length;
    const t = TOKEN_POOL[i];
    if (t === undefined) {
      const fresh = { kind, start, end, value };
      if (i < POOL_LIMIT) TOKEN_POOL[i] = fresh;
      tokens.push(fresh);
    } else {
      t.kind = kind;
      t.start = start;
      t.end = end;
      t.value = value;
      tokens.push(t);
    }
  };
  const lastKind = () => (tokens.length ? tokens[tokens.length - 1].kind : Tok.Newline);

  while (pos < n) {
    if (atLineStart) {
      // Measure indentation; blank and comment-only lines do not count.
      let col = 0;
      let p = pos;
      for (; p < n; p++) {
        const c = text.charCodeAt(p);
        if (c === CH_SPACE) col++;
        else if (c === CH_TAB) col = (col & ~7) + 8;
        else if (c === CH_FF) col = 0;
        else break;
      }
      const c = p < n ? text.charCodeAt(p) : -1;
      if (c === -1) { pos = p; break; }
      if (c === CH_LF || c === CH_CR || c === CH_HASH || (c === CH_BACKSLASH && isLineBreak(text.charCodeAt(p + 1)))) {
        if (openerIndents.length === 0 || c !== CH_BACKSLASH) {
          pos = p;
          atLineStart = c === CH_LF || c === CH_CR ? true : false;
          if (c === CH_LF || c === CH_CR) { pos = skipLineBreak(text, p); continue; }
          if (c === CH_HASH) { pos = scanComment(text, p, comments); continue; }
        }
      }
      if (openerIndents.length > 0) {
        // Inside brackets: a statement keyword at or left of the opener's indentation means the
        // brackets were never closed. Close them and start a new logical line here.
        if (col <= openerIndents[0] && startsWithStatementKeyword(text, p)) {
          openerIndents.length = 0;
          if (lastKind() !== Tok.Newline) push(Tok.Newline, p, p, '');
        } else {
          pos = p;
          atLineStart = false;
          continue;
        }
      }
      lineIndent = col;
      const top = indents[indents.length - 1];
      if (col > top) {
        indents.push(col);
        push(Tok.Indent, pos, p, '');
      } else if (col < top) {
        while (indents.length > 1 && indents[indents.length - 1] > col) {
          indents.pop();
          push(Tok.Dedent, p, p, '');
        }
        if (indents[indents.length - 1] < col) {
          // Inconsistent dedent: treat as a new, shallower block level.
          indents.push(col);
          push(Tok.Indent, pos, p, '');
        }
      }
      pos = p;
      atLineStart = false;
      continue;
    }

    const c = text.charCodeAt(pos);
    if (c === CH_SPACE || c === CH_TAB || c === CH_FF) { pos++; continue; }
    if (c === CH_LF || c === CH_CR) {
      if (openerIndents.length === 0 && lastKind() !== Tok.Newline) push(Tok.Newline, pos, pos, '');
      pos = skipLineBreak(text, pos);
      atLineStart = true;
      continue;
    }
    if (c === CH_HASH) { pos = scanComment(text, pos, comments); continue; }
    if (c === CH_BACKSLASH) {
      const next = text.charCodeAt(pos + 1);
      if (isLineBreak(next)) { pos = skipLineBreak(text, pos + 1); continue; }
      push(Tok.Error, pos, pos + 1, '\\');
      pos++;
      continue;
    }
    if (c === CH_SQUOTE || c === CH_DQUOTE) {
      const end = scanString(text, pos, false);
      push(Tok.String, pos, end, text.slice(pos, end));
      pos = end;
      continue;
    }
    if (isIdentStart(c)) {
      let end = pos + 1;
      while (end < n && isIdentPart(text.charCodeAt(end))) end++;
      const word = text.slice(pos, end);
      const q = text.charCodeAt(end);
      if ((q === CH_SQUOTE || q === CH_DQUOTE) && end - pos <= 2 && STRING_PREFIXES.has(word.toLowerCase())) {
        const lower = word.toLowerCase();
        const stringEnd = scanString(text, end, lower.includes('f') || lower.includes('t'));
        push(Tok.String, pos, stringEnd, text.slice(pos, stringEnd));
        pos = stringEnd;
        continue;
      }
      push(Tok.Name, pos, end, word);
      pos = end;
      continue;
    }
    if ((c >= CH_0 && c <= CH_9) || (c === CH_DOT && isDigit(text.charCodeAt(pos + 1)))) {
      const end = scanNumber(text, pos);
      push(Tok.Number, pos, end, text.slice(pos, end));
      pos = end;
      continue;
    }
    const op = operatorAt(text, pos, c);
    if (op) {
      if (op.length === 1) {
        if (c === 40 || c === 91 || c === 123) openerIndents.push(lineIndent);
        else if ((c === 41 || c === 93 || c === 125) && openerIndents.length) openerIndents.pop();
      }
      push(Tok.Op, pos, pos + op.length, op);
      pos += op.length;
      continue;
    }
    const one = text[pos];
    push(Tok.Error, pos, pos + 1, one);
    pos++;
  }

  if (tokens.length && lastKind() !== Tok.Newline && lastKind() !== Tok.Dedent) push(Tok.Newline, n, n, '');
  while (indents.length > 1) {
    indents.pop();
    push(Tok.Dedent, n, n, '');
  }
  push(Tok.EndOfFile, n, n, '');
  return { tokens, comments };
}

function isLineBreak(c: number): boolean {
  return c === CH_LF || c === CH_CR;
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function skipLineBreak(text: string, pos: number): number {
  if (text.charCodeAt(pos) === CH_CR && text.charCodeAt(pos + 1) === CH_LF) return pos + 2;
  return pos + 1;
}

function scanComment(text: string, pos: number, comments: Comment[]): number {
  let end = pos;
  while (end < text.length && !isLineBreak(text.charCodeAt(end))) end++;
  comments.push({ start: pos, end, text: text.slice(pos, end) });
  return end;
}

function startsWithStatementKeyword(text: string, pos: number): boolean {
  let end = pos;
  while (end < text.length && end - pos < 9 && isIdentPart(text.charCodeAt(end))) end++;
  if (end === pos) return text.charCodeAt(pos) === 64 /* @ decorator */ && pos > 0 && isLineBreak(text.charCodeAt(pos - 1));
  return STATEMENT_KEYWORDS.has(text.slice(pos, end)) && !isIdentPart(text.charCodeAt(end));
}

function scanNumber(text: string, pos: number): number {
  let end = pos;
  const hex = text.charCodeAt(pos) === CH_0 && /[xXoObB]/.test(text[pos + 1] ?? '');
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (isIdentPart(c) || c === CH_DOT) { end++; continue; }
    const prev = text.charCodeAt(end - 1);
    if (!hex && (c === 43 || c === 45) && (prev === 101 || prev === 69)) { end++; continue; } // 1e-5
    break;
  }
  return end;
}

/**
 * Scans a string literal whose opening quote is at `pos`; returns the offset after it. An
 * unterminated single-quoted string ends at the line break, a triple-quoted one at the end.
 * In f-strings, replacement fields may hold nested strings with the same quote (Python 3.12).
 */
function scanString(text: string, pos: number, formatted: boolean): number {
  const n = text.length;
  const quote = text.charCodeAt(pos);
  const triple = text.charCodeAt(pos + 1) === quote && text.charCodeAt(pos + 2) === quote;
  let p = pos + (triple ? 3 : 1);
  while (p < n) {
    const c = text.charCodeAt(p);
    if (c === CH_BACKSLASH) {
      // Escapes are skipped in raw strings too: a raw string cannot end in an escaped quote either.
      p += 2;
      continue;
    }
    if (c === quote) {
      if (!triple) return p + 1;
      if (text.charCodeAt(p + 1) === quote && text.charCodeAt(p + 2) === quote) return p + 3;
      p++;
      continue;
    }
    if (!triple && isLineBreak(c)) return p;
    if (formatted && c === CH_LBRACE) {
      if (text.charCodeAt(p + 1) === CH_LBRACE) { p += 2; continue; }
      p = scanReplacementField(text, p + 1, triple);
      continue;
    }
    p++;
  }
  return n;
}

/** Skips an f-string replacement field `{expr!r:fmt}` starting after its `{`. */
function scanReplacementField(text: string, pos: number, triple: boolean): number {
  const n = text.length;
  let depth = 1;
  let p = pos;
  while (p < n && depth > 0) {
    const c = text.charCodeAt(p);
    if (c === CH_SQUOTE || c === CH_DQUOTE) {
      const prefix = text.slice(Math.max(pos, p - 2), p).toLowerCase();
      p = scanString(text, p, prefix.includes('f'));
      continue;
    }
    if (!triple && isLineBreak(c)) return p;
    if (c === CH_LBRACE || c === 40 || c === 91) depth++;
    else if (c === CH_RBRACE || c === 41 || c === 93) depth--;
    p++;
  }
  return p;
}

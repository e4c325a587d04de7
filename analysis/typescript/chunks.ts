// Splits a TypeScript/JavaScript file into top-level chunks with TypeScript's own scanner: each
// chunk is one or more whole top-level statements. A chunk ends after a `;` or a `}` at depth 0,
// at the end of its line, when the next token (on a later line) cannot continue the statement.
// Where the scan cannot be sure of the tokens (a `/` right after a `}`, brackets that do not
// match), the rest of the file is one chunk: merging is always correct, only slower. After an
// edit, only the chunks around it are scanned again (`ChunkSplitter`).
import ts from 'typescript';

export interface ChunkSpan {
  start: number;
  end: number;
}

const K = ts.SyntaxKind;

// Token kinds as plain numbers: the enum object is a large dictionary, slow to read in a loop.
const END_OF_FILE = K.EndOfFileToken;
const NEW_LINE = K.NewLineTrivia;
const OPEN_PAREN = K.OpenParenToken;
const CLOSE_PAREN = K.CloseParenToken;
const OPEN_BRACKET = K.OpenBracketToken;
const CLOSE_BRACKET = K.CloseBracketToken;
const OPEN_BRACE = K.OpenBraceToken;
const CLOSE_BRACE = K.CloseBraceToken;
const SEMICOLON = K.SemicolonToken;
const SLASH = K.SlashToken;
const SLASH_EQUALS = K.SlashEqualsToken;
const TEMPLATE_HEAD = K.TemplateHead;
const TEMPLATE_TAIL = K.TemplateTail;
const EXCLAMATION = K.ExclamationToken;
const SINGLE_LINE_COMMENT = K.SingleLineCommentTrivia;
const MULTI_LINE_COMMENT = K.MultiLineCommentTrivia;

/** Open brackets on the scan's stack. */
const PAREN = 1;
/** The parenthesised condition of `if`/`while`/`for`/`with`: a `/` after it starts a regex. */
const CONDITION = 2;
const BRACKET = 3;
const BRACE = 4;
/** A template literal's `${`: its `}` continues the template. */
const SUBSTITUTION = 5;

function table(kinds: Iterable<ts.SyntaxKind>): Uint8Array {
  const t = new Uint8Array(K.Count);
  for (const kind of kinds) t[kind] = 1;
  return t;
}

const range = (from: ts.SyntaxKind, to: ts.SyntaxKind) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Trivia other than line breaks. */
const TRIVIA = table([K.WhitespaceTrivia, K.SingleLineCommentTrivia, K.MultiLineCommentTrivia, K.ShebangTrivia, K.ConflictMarkerTrivia]);

/** Keywords that, first on a line after a finished statement, still continue it (or may). */
const CONTINUES = new Set<ts.SyntaxKind>([
  K.ElseKeyword, K.CatchKeyword, K.FinallyKeyword, K.WhileKeyword, K.InKeyword, K.InstanceOfKeyword, K.AsKeyword,
  K.SatisfiesKeyword, K.ExtendsKeyword, K.ImplementsKeyword, K.FromKeyword, K.OfKeyword, K.IsKeyword, K.KeyOfKeyword,
  K.CaseKeyword, K.DefaultKeyword, K.AssertKeyword, K.AssertsKeyword, K.WithKeyword, K.InferKeyword, K.UniqueKeyword,
  K.ReadonlyKeyword, K.OutKeyword, K.AccessorKeyword,
]);

/** Tokens that begin a new statement and can continue none: a name, a keyword that starts statements, a decorator. */
const STARTS = table([K.Identifier, K.AtToken, ...range(K.FirstKeyword, K.LastKeyword).filter((k) => !CONTINUES.has(k))]);

/**
 * Tokens after which an expression has ended, so a `/` divides (after anything else it starts a
 * regex). Contextual keywords are names wherever they are not keywords (`of / 2`); `await` takes
 * an operand. `!` ends one when it follows one (`x!`, a non-null assertion), see below.
 */
const ENDS = table([
  K.Identifier, K.PrivateIdentifier, K.NumericLiteral, K.BigIntLiteral, K.StringLiteral, K.RegularExpressionLiteral,
  K.NoSubstitutionTemplateLiteral, K.TemplateTail, K.CloseParenToken, K.CloseBracketToken, K.CloseBraceToken,
  K.ThisKeyword, K.SuperKeyword, K.TrueKeyword, K.FalseKeyword, K.NullKeyword, K.PlusPlusToken, K.MinusMinusToken,
  ...range(K.AbstractKeyword, K.DeferKeyword).filter((k) => k !== K.AwaitKeyword),
]);

/** Keywords whose parenthesised condition may be followed by a regex statement. */
const CONTROL = table([K.IfKeyword, K.WhileKeyword, K.ForKeyword, K.WithKeyword]);

const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard);

/** Chunk boundaries of the whole text. */
export function splitChunks(text: string): ChunkSpan[] {
  return splitFrom(text, 0).spans;
}

/**
 * Splits from `start`, a chunk start (or 0). When `stop` says so at a boundary, splitting ends
 * there and `stoppedAt` tells where (the rest is known already).
 */
export function splitFrom(text: string, start: number, stop?: (boundary: number) => boolean): { spans: ChunkSpan[]; stoppedAt?: number } {
  const spans: ChunkSpan[] = [];
  scanner.setText(text, start, text.length - start);
  const stack: number[] = [];
  let chunkStart = start;
  /** The last token was a `;` or `}` at depth 0: the statement may have ended. */
  let ended = false;
  /** After such a token: where the line it ends on ends (-1 until a line break outside comments). */
  let boundary = -1;
  let last: ts.SyntaxKind = K.Unknown;
  let lastEnds = false;
  /** The last `)` closed a condition (`if (x) /re/.test(s)`). */
  let closedCondition = false;
  for (;;) {
    let kind = scanner.scan();
    if (kind === END_OF_FILE) break;
    if (kind === NEW_LINE) {
      // A line in LineMap's sense: \n, \r\n or \r (not U+2028/U+2029).
      if (ended && boundary < 0 && text.charCodeAt(scanner.getTokenStart()) <= 13) boundary = scanner.getTokenEnd();
      continue;
    }
    if (TRIVIA[kind] === 1) continue;
    if (ended) {
      if (boundary > chunkStart && STARTS[kind] === 1) {
        spans.push({ start: chunkStart, end: boundary });
        if (stop?.(boundary)) return { spans, stoppedAt: boundary };
        chunkStart = boundary;
      }
      ended = false;
      boundary = -1;
    }
    if (kind === SLASH || kind === SLASH_EQUALS) {
      // After `}` a `/` is a regex (after a block) or a division (after an object): not knowable here.
      if (last === CLOSE_BRACE) break;
      if (!lastEnds || (last === CLOSE_PAREN && closedCondition)) kind = scanner.reScanSlashToken();
    }
    let doubt = false;
    switch (kind) {
      case OPEN_PAREN:
        stack.push(CONTROL[last] === 1 ? CONDITION : PAREN);
        break;
      case OPEN_BRACKET:
        stack.push(BRACKET);
        break;
      case OPEN_BRACE:
        stack.push(BRACE);
        break;
      case TEMPLATE_HEAD:
        stack.push(SUBSTITUTION);
        break;
      case CLOSE_PAREN: {
        const open = stack.pop();
        doubt = open !== PAREN && open !== CONDITION;
        closedCondition = open === CONDITION;
        break;
      }
      case CLOSE_BRACKET:
        doubt = stack.pop() !== BRACKET;
        break;
      case CLOSE_BRACE:
        if (stack[stack.length - 1] === SUBSTITUTION) {
          kind = scanner.reScanTemplateToken(false);
          if (kind === TEMPLATE_TAIL) stack.pop();
          break;
        }
        doubt = stack.pop() !== BRACE;
        ended = stack.length === 0;
        break;
      case SEMICOLON:
        ended = stack.length === 0;
        break;
    }
    // Brackets that do not match: the tokens are not what the scan took them for.
    if (doubt) break;
    lastEnds = kind === EXCLAMATION ? lastEnds : ENDS[kind] === 1;
    last = kind;
  }
  if (text.length > chunkStart || spans.length === 0) spans.push({ start: chunkStart, end: text.length });
  return { spans };
}

/** Offset of a text's first token (after comments and blanks; its length when there is none). */
export function codeStart(text: string): number {
  scanner.setText(text, 0, text.length);
  for (;;) {
    const kind = scanner.scan();
    if (kind === END_OF_FILE) return text.length;
    if (kind !== NEW_LINE && TRIVIA[kind] !== 1) return scanner.getTokenStart();
  }
}

/**
 * The comments of a text, as [start, end) pairs, read with the same care for regex and template
 * literals as the split (a `//` inside a regex or a template is no comment).
 */
export function commentSpans(text: string): Array<[number, number]> {
  const comments: Array<[number, number]> = [];
  scanner.setText(text, 0, text.length);
  const stack: number[] = [];
  let lastEnds = false;
  for (;;) {
    let kind = scanner.scan();
    if (kind === END_OF_FILE) break;
    if (kind === NEW_LINE) continue;
    if (TRIVIA[kind] === 1) {
      if (kind === SINGLE_LINE_COMMENT || kind === MULTI_LINE_COMMENT) comments.push([scanner.getTokenStart(), scanner.getTokenEnd()]);
      continue;
    }
    if ((kind === SLASH || kind === SLASH_EQUALS) && !lastEnds) kind = scanner.reScanSlashToken();
    if (kind === OPEN_BRACE) stack.push(BRACE);
    else if (kind === TEMPLATE_HEAD) stack.push(SUBSTITUTION);
    else if (kind === CLOSE_BRACE) {
      if (stack[stack.length - 1] === SUBSTITUTION) {
        kind = scanner.reScanTemplateToken(false);
        if (kind === TEMPLATE_TAIL) stack.pop();
      } else stack.pop();
    }
    lastEnds = kind === EXCLAMATION ? lastEnds : ENDS[kind] === 1;
  }
  return comments;
}

/** A chunk's text and what has been worked out from it: shared by every version that holds the same chunk. */
export class ChunkText<Memo extends object> {
  constructor(readonly text: string, readonly memo: Memo) {}
}

/** A chunk placed in one version of the file. */
export interface Chunk<Memo extends object> {
  piece: ChunkText<Memo>;
  start: number;
}

/**
 * How a version's chunks came from the previous version's: chunks before `from` are the old
 * ones, chunks from `kept` on are the old ones from `oldKept` on, moved by `delta` characters.
 */
export interface ChunkChange {
  from: number;
  kept: number;
  oldKept: number;
  delta: number;
}

/**
 * The chunks of successive versions of one document. After an edit, the chunks before it are
 * kept; splitting starts again at the chunk before the first one that changed (the boundary in
 * front of a chunk depends on its first token) and stops where a boundary lines up with an old
 * one in the unchanged rest: from there the old chunks, moved by the change in length, are what
 * a fresh split gives, since the scan's state at a boundary is always the same.
 */
/** Chunks compared at once while looking for the first and last changed chunk. */
const GROUP = 16;

export class ChunkSplitter<Memo extends object> {
  private last?: { text: string; chunks: Chunk<Memo>[] };

  constructor(private readonly memo: () => Memo) {}

  /** The chunks of `text`, kept for the next version; `change` says what is new since the last call (undefined: all). */
  split(text: string): { chunks: Chunk<Memo>[]; change?: ChunkChange } {
    const result = this.peek(text);
    this.last = { text, chunks: result.chunks };
    return result;
  }

  /** The chunks of `text` without keeping them (a trial variant of the current version). */
  peek(text: string): { chunks: Chunk<Memo>[]; change?: ChunkChange } {
    const last = this.last;
    if (!last) return { chunks: splitFrom(text, 0).spans.map((span) => this.chunk(text, span.start, span.end)) };
    const old = last.chunks;
    const n = old.length;
    const delta = text.length - last.text.length;
    if (delta === 0 && last.text === text) return { chunks: old, change: { from: n, kept: n, oldKept: n, delta } };
    // Slices compared whole (a native comparison), not character by character, a group of chunks at a time.
    const before = last.text;
    const end = (i: number) => (i < n ? old[i].start : before.length);
    const same = (from: number, to: number, shift: number) => text.slice(end(from) + shift, end(to) + shift) === before.slice(end(from), end(to));
    let head = 0;
    while (head + GROUP <= n && same(head, head + GROUP, 0)) head += GROUP;
    while (head < n && same(head, head + 1, 0)) head++;
    const changedFrom = end(head);
    // The unchanged tail: chunks whose text sits, moved by delta, after the unchanged head.
    let tail = n;
    const fits = (i: number) => old[i].start + delta >= changedFrom;
    while (tail - GROUP >= head && fits(tail - GROUP) && same(tail - GROUP, tail, delta)) tail -= GROUP;
    while (tail > head && fits(tail - 1) && same(tail - 1, tail, delta)) tail--;
    const from = Math.max(head - 1, 0);
    let next = tail;
    const { spans, stoppedAt } = splitFrom(text, old[from].start, (boundary) => {
      while (next < n && old[next].start + delta < boundary) next++;
      return next < n && old[next].start + delta === boundary;
    });
    const oldKept = stoppedAt === undefined ? n : next;
    const reusable = new Map<string, ChunkText<Memo>>();
    for (let i = from; i < oldKept; i++) reusable.set(old[i].piece.text, old[i].piece);
    const chunks = old.slice(0, from);
    for (const span of spans) {
      const piece = text.slice(span.start, span.end);
      chunks.push({ piece: reusable.get(piece) ?? new ChunkText(piece, this.memo()), start: span.start });
    }
    const kept = chunks.length;
    for (let i = oldKept; i < n; i++) chunks.push({ piece: old[i].piece, start: old[i].start + delta });
    return { chunks, change: { from, kept, oldKept, delta } };
  }

  private chunk(text: string, start: number, end: number): Chunk<Memo> {
    return { piece: new ChunkText(text.slice(start, end), this.memo()), start };
  }
}

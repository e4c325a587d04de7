// Splits a Python file into top-level chunks: each top-level statement with its indented body
// (decorators, `else`/`except` clauses and comments between them included). Chunks are parsed
// independently and cached by their text, so an edit re-parses only the chunk it touches.

export interface ChunkSpan {
  /** Offset of the chunk's first character in the file. */
  start: number;
  end: number;
  /** 0-based line of `start`. */
  startLine: number;
}

/** 1 for characters the line scan can skip (everything but quotes, brackets, #, \\ and line breaks). */
const PLAIN = new Uint8Array(65536).fill(1);
for (const c of '\'"#()[]{}\\\n\r') PLAIN[c.charCodeAt(0)] = 0;

const CONTINUATION_WORDS = /^(else|elif|except|finally)\b/;
const STATEMENT_START = /^(def|class|import|from|if|for|while|with|try|async|return|raise|@)/;
/** Lines that open a definition or a compound statement: always a chunk of their own. */
const COMPOUND_START = /^(def|class|if|for|while|with|try|async|match|case|else|elif|except|finally|@)\b|^@/;

/**
 * Consecutive simple top-level statements (`x = 1`, imports, calls) share a chunk, so a module of
 * a million assignments is a few thousand chunks rather than a million. Where a run breaks is
 * decided by the statement's own text (content-defined, as rsync cuts blocks), so after an edit
 * the boundaries further down line up with the old ones again and their parses are reused.
 */
const MIN_RUN = 8;
const MAX_RUN = 256;

function cutsRun(text: string, pos: number): boolean {
  // FNV-1a over the line's first 48 characters: about one statement in 16 starts a new chunk.
  let hash = 0x811c9dc5;
  const end = Math.min(text.length, pos + 48);
  for (let i = pos; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    hash = Math.imul(hash ^ c, 0x01000193);
  }
  return ((hash >>> 0) & 15) === 0;
}

/**
 * Top-level chunk boundaries. A new chunk starts at a line that begins in column 0 with code,
 * outside any string, bracket or backslash continuation, unless it continues the previous
 * statement (`else:`, `except:`, a decorated definition).
 */
export function splitChunks(text: string): ChunkSpan[] {
  return splitFrom(text, 0, 0).spans;
}

/**
 * Splits from `start` (a chunk start, where no string or bracket is open). When `stop` says so at
 * a chunk boundary, splitting ends there and `stoppedAt` tells where (the rest is known already).
 */
export function splitFrom(
  text: string,
  start: number,
  startLine: number,
  stop?: (offset: number, line: number) => boolean,
): { spans: ChunkSpan[]; stoppedAt?: { offset: number; line: number } } {
  const spans: ChunkSpan[] = [];
  const n = text.length;
  let chunkStart = start;
  let chunkStartLine = startLine;
  let line = startLine;
  let depth = 0;
  /** 0: code; otherwise the quote character code of an open triple-quoted string. */
  let tripleQuote = 0;
  let backslash = false;
  /** The quote of a one-quote string whose line ended in an escaped line break (it goes on). */
  let continuedQuote = 0;
  let previousWasDecorator = false;
  let sawCode = false;
  /** Statements in the current chunk while it holds only simple statements; -1 once it holds more. */
  let run = 0;
  let pos = start;
  while (pos < n) {
    const lineStart = pos;
    const first = text.charCodeAt(pos);
    // Decide whether this line opens a new chunk.
    if (tripleQuote === 0 && !backslash && first !== 32 && first !== 9 && first !== 10 && first !== 13 && first !== 35 && first !== 12) {
      const head = text.slice(pos, pos + 10);
      const recovering = depth > 0 && STATEMENT_START.test(head);
      if (depth === 0 || recovering) {
        depth = 0;
        const simple = !recovering && !COMPOUND_START.test(head);
        const joinsRun = simple && run > 0 && (run < MIN_RUN || (run < MAX_RUN && !cutsRun(text, pos)));
        if (sawCode && !previousWasDecorator && !CONTINUATION_WORDS.test(head) && lineStart > chunkStart && !joinsRun) {
          spans.push({ start: chunkStart, end: lineStart, startLine: chunkStartLine });
          if (stop?.(lineStart, line)) return { spans, stoppedAt: { offset: lineStart, line } };
          chunkStart = lineStart;
          chunkStartLine = line;
          run = 0;
        }
        run = simple && run >= 0 ? run + 1 : -1;
        previousWasDecorator = first === 64; // '@'
        sawCode = true;
      }
    } else if (tripleQuote === 0 && !backslash && depth === 0 && (first === 32 || first === 9) && run > 0 && lineHasCode(text, pos)) {
      // An indented line after a simple statement (an error, or code being typed): the run ends.
      run = -1;
    }
    backslash = false;
    if (continuedQuote !== 0) {
      // The rest of a one-quote string continued from the line above.
      const quote = continuedQuote;
      continuedQuote = 0;
      pos = scanQuoted(text, pos, quote);
      if (text.charCodeAt(pos) === quote) pos++;
      else if (text.charCodeAt(pos - 1) === 92) continuedQuote = quote;
    }
    // Scan the line, tracking strings and brackets.
    while (pos < n) {
      // Most characters are neither quotes, brackets, comments, backslashes nor line breaks.
      if (tripleQuote === 0) while (pos < n && PLAIN[text.charCodeAt(pos)] === 1) pos++;
      if (pos >= n) break;
      const c = text.charCodeAt(pos);
      if (c === 10 || c === 13) break;
      if (tripleQuote !== 0) {
        if (c === 92) {
          // An escape; an escaped line break is still a line break (the next line is counted).
          const next = text.charCodeAt(pos + 1);
          pos += next === 10 || next === 13 ? 1 : 2;
          continue;
        }
        if (c === tripleQuote && text.charCodeAt(pos + 1) === c && text.charCodeAt(pos + 2) === c) {
          tripleQuote = 0;
          pos += 3;
          continue;
        }
        pos++;
        continue;
      }
      if (c === 35) { // '#': rest of the line is a comment
        while (pos < n && text.charCodeAt(pos) !== 10 && text.charCodeAt(pos) !== 13) pos++;
        break;
      }
      if (c === 34 || c === 39) {
        if (text.charCodeAt(pos + 1) === c && text.charCodeAt(pos + 2) === c) {
          tripleQuote = c;
          pos += 3;
          continue;
        }
        pos++;
        pos = scanQuoted(text, pos, c);
        if (text.charCodeAt(pos) === c) pos++;
        // An escaped line break inside the string: it goes on on the next line.
        else if (text.charCodeAt(pos - 1) === 92) continuedQuote = c;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) depth++;
      else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
      else if (c === 92 && (text.charCodeAt(pos + 1) === 10 || text.charCodeAt(pos + 1) === 13)) backslash = true;
      pos++;
    }
    // Line break.
    if (pos < n) {
      if (text.charCodeAt(pos) === 13 && text.charCodeAt(pos + 1) === 10) pos += 2;
      else pos++;
      line++;
    }
  }
  if (n > chunkStart || spans.length === 0) spans.push({ start: chunkStart, end: n, startLine: chunkStartLine });
  return { spans };
}

/**
 * Scans a one-quote string's characters from `pos` to its closing quote or the end of the line
 * (an escaped line break stops just after the backslash, so the break is counted as a line).
 */
function scanQuoted(text: string, pos: number, quote: number): number {
  const n = text.length;
  while (pos < n) {
    const d = text.charCodeAt(pos);
    if (d === 92) {
      const next = text.charCodeAt(pos + 1);
      if (next === 10 || next === 13) return pos + 1;
      pos += 2;
      continue;
    }
    if (d === quote || d === 10 || d === 13) break;
    pos++;
  }
  return pos;
}

/** The line from `pos` holds something besides blanks and a comment. */
function lineHasCode(text: string, pos: number): boolean {
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 12) continue;
    return c !== 10 && c !== 13 && c !== 35;
  }
  return false;
}

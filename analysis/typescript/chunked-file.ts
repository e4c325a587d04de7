// One version of a TypeScript file as the analysis reads it, assembled from its chunks: the text
// the parser gets (every chunk that cannot matter blanked, positions unchanged), the line table,
// the comments and where the words regexes match. What each chunk yields is worked out once and
// kept with the chunk's text, so a keystroke redoes it only for the chunk it changed.
import ts from 'typescript';
import { ignoresFile, type LineComments } from '../suppression';
import { lineStarts } from '../text';
import { codeStart, commentSpans, type Chunk, type ChunkChange, type ChunkText } from './chunks';
import { BINDING_WORDS, GRADIENT_WORDS, TFJS_WORDS } from './vocabulary';
import { pieceMatches, WordIndex, type PieceMatches } from './words';

export interface PieceMemo {
  gradient?: PieceMatches;
  binding?: PieceMatches;
  /** Line starts within the chunk's text. */
  lines?: number[];
  /** Bits of what the chunk is (factsOf). */
  facts?: number;
  /** The chunk starts a new blanked run (cutsRun). */
  cut?: boolean;
  jsx?: boolean;
  tfjs?: boolean;
  constant?: boolean;
  /** Comment text by line within the chunk (comments that may suppress something). */
  comments?: Map<number, string>;
  ignoresFile?: boolean;
}

export type Piece = ChunkText<PieceMemo>;
export type FileChunk = Chunk<PieceMemo>;

const JSX = /<\/|\/>/;
const SUPPRESSION_WORDS = /clipwise|noqa/i;
const IGNORE_FILE = /clipwise-ignore-file\b/i;

function gradientMatches(piece: Piece): PieceMatches {
  return (piece.memo.gradient ??= pieceMatches(piece.text, GRADIENT_WORDS));
}

function bindingMatches(piece: Piece): PieceMatches {
  return (piece.memo.binding ??= pieceMatches(piece.text, BINDING_WORDS));
}

/** `const MAX_NORM = 1.0` at the top level: a setting a training loop may state by name. */
const NUMBER_CONSTANT = /(?:^|\n)[ \t]*(?:export[ \t]+)?const[ \t]+[A-Za-z_$][\w$]*[ \t]*(?::[ \t]*number[ \t]*)?=[ \t]*[-+]?\.?\d/;

/**
 * A chunk that can matter: its code (from its first token: comments before it are no node's own
 * text) mentions gradients, may bind an import, optimizer or scaler, or names a number.
 */
export function isRelevant(piece: Piece): boolean {
  const code = codeStart(piece.text);
  const after = (m: PieceMatches) => m.starts.length > 0 && m.starts[m.starts.length - 1] >= code;
  return after(gradientMatches(piece)) || after(bindingMatches(piece)) || (piece.memo.constant ??= NUMBER_CONSTANT.test(piece.text.slice(code)));
}

export function hasJsx(piece: Piece): boolean {
  return (piece.memo.jsx ??= JSX.test(piece.text));
}

/** TensorFlow.js code (see TFJS_WORDS). */
export function usesTfjs(piece: Piece): boolean {
  return (piece.memo.tfjs ??= TFJS_WORDS.test(piece.text));
}

const RELEVANT = 1;
const GRADIENTS = 2;
const SUPPRESSING = 4;
const CUT = 8;
const JSX_CODE = 16;
const TFJS_CODE = 32;

/** What a version's assembly reads of a chunk, as bits, worked out once per chunk text (with its line starts). */
function factsOf(piece: Piece): number {
  piece.memo.lines ??= lineStarts(piece.text);
  let facts = 0;
  if (isRelevant(piece)) facts |= RELEVANT;
  if (facts & RELEVANT && gradientMatches(piece).starts.length) facts |= GRADIENTS;
  if (SUPPRESSION_WORDS.test(piece.text)) facts |= SUPPRESSING;
  if (cutsRun(piece)) facts |= CUT;
  if (hasJsx(piece)) facts |= JSX_CODE;
  if (usesTfjs(piece)) facts |= TFJS_CODE;
  return facts;
}

/** Consecutive chunks that cannot matter make one blanked run; a run also ends where a chunk's text says so (about one in 16), so an edit rescans a short run. */
function cutsRun(piece: Piece): boolean {
  if (piece.memo.cut !== undefined) return piece.memo.cut;
  // FNV-1a over the chunk's first 64 characters.
  let hash = 0x811c9dc5;
  const text = piece.text;
  const end = Math.min(text.length, 64);
  for (let i = 0; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (piece.memo.cut = ((hash >>> 0) & 15) === 0);
}

const STAND_INS = new Map<number, string>();

/** A run's stand-in without its line break (see `parsed`), remembered by length: made again only when a run's length changes. */
function standIn(length: number): string {
  let text = STAND_INS.get(length);
  if (text === undefined) {
    text = length >= 7 ? `_(/*${' '.repeat(length - 7)}*/)` : ' '.repeat(length);
    // At most 1,024 kept, none longer than 16,384 characters: a few megabytes at worst.
    if (length <= 16_384) {
      if (STAND_INS.size >= 1024) STAND_INS.clear();
      STAND_INS.set(length, text);
    }
  }
  return text;
}

/** A stretch of the file parsed as it is (one relevant chunk) or blanked (a run of the others). */
interface Segment {
  start: number;
  end: number;
  /** Index of its first chunk. */
  first: number;
  relevant: boolean;
}

export class ChunkedFile {
  /** The first line of each chunk. */
  readonly startLines: number[] = [];
  /** Chunks whose text mentions a suppression (the only ones whose comments can matter). */
  readonly suppressing: number[] = [];
  readonly mentionsGradients: boolean;
  private readonly segments: Segment[] = [];
  private parsedText?: string;

  /** Some chunk holds JSX or TensorFlow.js code: the file is to be parsed whole. */
  readonly wantsWhole: boolean;

  /** `whole`: one chunk of the whole text, parsed as it is (JSX, TensorFlow.js code, or asked for). */
  constructor(readonly text: string, readonly chunks: FileChunk[], readonly whole = false) {
    let previous: Segment | undefined;
    let line = 0;
    let all = 0;
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i];
      const piece = chunk.piece;
      const facts = (piece.memo.facts ??= factsOf(piece));
      all |= facts;
      this.startLines.push(line);
      // A chunk ends with its line break: the next line is the next chunk's first.
      line += piece.memo.lines!.length - 1;
      if (facts & SUPPRESSING) this.suppressing.push(i);
      const relevant = (facts & RELEVANT) !== 0;
      const end = chunk.start + piece.text.length;
      if (previous && !relevant && !previous.relevant && !(facts & CUT)) previous.end = end;
      else this.segments.push((previous = { start: chunk.start, end, first: i, relevant }));
    }
    this.mentionsGradients = (all & GRADIENTS) !== 0;
    this.wantsWhole = (all & (JSX_CODE | TFJS_CODE)) !== 0;
  }

  /** Line starts of the whole text, as `lineStarts` gives them (made only if asked for: lookups go through the chunks). */
  lineStarts(): number[] {
    const starts: number[] = [];
    this.chunks.forEach((chunk, i) => {
      const own = chunk.piece.memo.lines!;
      const count = i === this.chunks.length - 1 ? own.length : own.length - 1;
      for (let k = 0; k < count; k++) starts.push(chunk.start + own[k]);
    });
    return starts;
  }

  /** The chunk holding an offset. */
  chunkAt(offset: number): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (chunks[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    const i = this.chunkAt(offset);
    const chunk = this.chunks[i];
    return this.startLines[i] + lineIn(chunk.piece.memo.lines!, offset - chunk.start);
  }

  /** Offset where a line starts (the text's length past the last line). */
  lineStart(line: number): number {
    const i = this.chunkAtLine(line);
    const chunk = this.chunks[i];
    const own = chunk.piece.memo.lines!;
    const local = line - this.startLines[i];
    return local < own.length ? chunk.start + own[local] : this.text.length;
  }

  get lineCount(): number {
    const last = this.chunks.length - 1;
    return last < 0 ? 1 : this.startLines[last] + this.chunks[last].piece.memo.lines!.length;
  }

  /**
   * The text the parser reads: relevant chunks as they are, each run of the others replaced by a
   * stand-in of the same length, so that every position is the original one. The stand-in is one
   * statement, `_(/* … *\/)` (a call with a comment of spaces inside), and the run's last line
   * break: the scanner passes a comment fastest, and inside the call it is no node's leading
   * trivia, so neither `getStart` nor the incremental parse (which, reusing the statement, skips
   * to its end) reads it again. The statement before ends as it did before the run's own first
   * token (a name or keyword on a new line, see chunks.ts).
   */
  get parsed(): string {
    if (this.parsedText !== undefined) return this.parsedText;
    const parts: string[] = [];
    const text = this.text;
    // Nothing after the last relevant chunk is read: the stand-ins there are left out.
    let last = this.segments.length - 1;
    while (last >= 0 && !this.segments[last].relevant) last--;
    for (let i = 0; i <= last; i++) {
      const segment = this.segments[i];
      if (segment.relevant) {
        parts.push(this.chunks[segment.first].piece.text);
        continue;
      }
      let body = segment.end - segment.start;
      if (text.charCodeAt(segment.end - 1) === 10) body -= text.charCodeAt(segment.end - 2) === 13 && body >= 2 ? 2 : 1;
      else if (text.charCodeAt(segment.end - 1) === 13) body -= 1;
      parts.push(standIn(body), text.slice(segment.start + body, segment.end));
    }
    return (this.parsedText = parts.join(''));
  }

  /**
   * The part of `parsed` that differs from the previous version's, given how the chunks changed:
   * from the segment holding the chunk before the first new one to the first segment that starts
   * at an old chunk after the new ones (segments there are cut as before, so they are the same).
   */
  changeSince(change: ChunkChange, oldLength: number): ts.TextChangeRange {
    const segments = this.segments;
    const before = Math.max(change.from - 1, 0);
    let i = 0;
    while (i + 1 < segments.length && segments[i + 1].first <= before) i++;
    const newLength = this.parsed.length;
    const start = Math.min(segments.length ? segments[i].start : 0, oldLength, newLength);
    while (i < segments.length && segments[i].first <= change.kept) i++;
    const newEnd = i < segments.length ? segments[i].start : this.text.length;
    const oldEnd = newEnd - change.delta;
    // Both texts stop after their last relevant chunk: what follows the change must be as long in both.
    const same = newEnd <= newLength && oldEnd <= oldLength && newLength - newEnd === oldLength - oldEnd && start <= newEnd && start <= oldEnd;
    return same ? ts.createTextChangeRange(ts.createTextSpan(start, oldEnd - start), newEnd - start) : ts.createTextChangeRange(ts.createTextSpan(start, oldLength - start), newLength - start);
  }

  /** Where GRADIENT_WORDS match in `parsed`. */
  gradientWords(): WordIndex {
    return WordIndex.ofPieces(this.parsed, GRADIENT_WORDS, this.relevantMatches(gradientMatches));
  }

  /** Where BINDING_WORDS match in `parsed`. */
  bindingWords(): WordIndex {
    return WordIndex.ofPieces(this.parsed, BINDING_WORDS, this.relevantMatches(bindingMatches));
  }

  private relevantMatches(matches: (piece: Piece) => PieceMatches): Array<{ offset: number; matches: PieceMatches }> {
    const out: Array<{ offset: number; matches: PieceMatches }> = [];
    for (const segment of this.segments) if (segment.relevant) out.push({ offset: segment.start, matches: matches(this.chunks[segment.first].piece) });
    return out;
  }

  comments(): LineComments {
    return new ChunkComments(this);
  }

  /** The chunk holding a line. */
  chunkAtLine(line: number): number {
    const lines = this.startLines;
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid] <= line) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Comments by line, read chunk by chunk: only chunks that mention a suppression are scanned for them. */
class ChunkComments implements LineComments {
  private ignored?: boolean;

  constructor(private readonly file: ChunkedFile) {}

  get(line: number): string | undefined {
    if (line < 0 || !this.file.chunks.length) return undefined;
    const i = this.file.chunkAtLine(line);
    return commentsOf(this.file.chunks[i].piece).get(line - this.file.startLines[i]);
  }

  get fileIgnored(): boolean {
    return (this.ignored ??= this.file.suppressing.some((i) => {
      const c = this.file.chunks[i];
      const memo = c.piece.memo;
      if (memo.ignoresFile === undefined) {
        memo.ignoresFile = false;
        for (const comment of commentsOf(c.piece).values()) if (IGNORE_FILE.test(comment) || ignoresFile(comment)) memo.ignoresFile = true;
      }
      return memo.ignoresFile;
    }));
  }
}

function commentsOf(piece: Piece): Map<number, string> {
  if (piece.memo.comments) return piece.memo.comments;
  const byLine = new Map<number, string>();
  if (SUPPRESSION_WORDS.test(piece.text)) {
    const lines = (piece.memo.lines ??= lineStarts(piece.text));
    for (const [start, end] of commentSpans(piece.text)) {
      const line = lineIn(lines, start);
      byLine.set(line, (byLine.get(line) ?? '') + piece.text.slice(start, end));
    }
  }
  return (piece.memo.comments = byLine);
}

function lineIn(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

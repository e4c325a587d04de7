// One version of a TypeScript file as the analysis reads it, assembled from its chunks: the text
// the parser gets (every chunk that cannot matter blanked, positions unchanged), the line table,
// the comments and where the words regexes match. What each chunk yields is worked out once and
// kept with the chunk's text, so a keystroke redoes it only for the chunk it changed.
import { ignoresFile, type LineComments } from '../suppression';
import { lineStarts } from '../text';
import { commentSpans, type Chunk, type ChunkChange, type ChunkText } from './chunks';
import { BINDING_WORDS, GRADIENT_WORDS, TFJS_WORDS } from './vocabulary';
import { pieceMatches, WordIndex, type PieceMatches } from './words';

export interface PieceMemo {
  gradient?: PieceMatches;
  binding?: PieceMatches;
  /** Line starts within the chunk's text. */
  lines?: number[];
  /** The chunk starts a new blanked run (cutsRun). */
  cut?: boolean;
  jsx?: boolean;
  tfjs?: boolean;
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

/** A chunk that can matter: it mentions gradients, or may bind an import, optimizer or scaler. */
export function isRelevant(piece: Piece): boolean {
  return gradientMatches(piece).starts.length > 0 || bindingMatches(piece).starts.length > 0;
}

export function hasJsx(piece: Piece): boolean {
  return (piece.memo.jsx ??= JSX.test(piece.text));
}

/** TensorFlow.js code (see TFJS_WORDS). */
export function usesTfjs(piece: Piece): boolean {
  return (piece.memo.tfjs ??= TFJS_WORDS.test(piece.text));
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
    if (STAND_INS.size > 4096) STAND_INS.clear();
    text = length >= 7 ? `_(/*${' '.repeat(length - 7)}*/)` : ' '.repeat(length);
    STAND_INS.set(length, text);
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
  /** Line starts of the whole text (as `lineStarts` gives them). */
  readonly lineStarts: number[] = [];
  private readonly segments: Segment[] = [];
  private parsedText?: string;

  /** `whole`: one chunk of the whole text, parsed as it is (JSX, TensorFlow.js code, or asked for). */
  constructor(readonly text: string, readonly chunks: FileChunk[], readonly whole = false) {
    const starts = this.lineStarts;
    let previous: Segment | undefined;
    chunks.forEach((chunk, i) => {
      const piece = chunk.piece;
      this.startLines.push(starts.length);
      const own = (piece.memo.lines ??= lineStarts(piece.text));
      // A chunk ends with its line break: the next line is the next chunk's first.
      const count = i === chunks.length - 1 ? own.length : own.length - 1;
      for (let k = 0; k < count; k++) starts.push(chunk.start + own[k]);
      const relevant = isRelevant(piece);
      const end = chunk.start + piece.text.length;
      if (previous && !relevant && !previous.relevant && !cutsRun(piece)) previous.end = end;
      else this.segments.push((previous = { start: chunk.start, end, first: i, relevant }));
    });
  }

  get mentionsGradients(): boolean {
    return this.chunks.some((c) => gradientMatches(c.piece).starts.length > 0);
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
    for (const segment of this.segments) {
      if (segment.relevant) {
        parts.push(this.chunks[segment.first].piece.text);
        continue;
      }
      const text = this.text;
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
  changeSince(change: ChunkChange): { start: number; oldEnd: number; newEnd: number } {
    const segments = this.segments;
    const before = Math.max(change.from - 1, 0);
    let i = 0;
    while (i + 1 < segments.length && segments[i + 1].first <= before) i++;
    const start = segments.length ? segments[i].start : 0;
    while (i < segments.length && segments[i].first <= change.kept) i++;
    const newEnd = i < segments.length ? segments[i].start : this.text.length;
    return { start, oldEnd: newEnd - change.delta, newEnd };
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
    return (this.ignored ??= this.file.chunks.some((c) => {
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
      const line = lineOf(lines, start);
      byLine.set(line, (byLine.get(line) ?? '') + piece.text.slice(start, end));
    }
  }
  return (piece.memo.comments = byLine);
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

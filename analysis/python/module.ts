// A parsed Python file: its top-level chunks, each tokenized and parsed on its own. Parsed chunks
// are cached by text per document, so re-parsing after an edit touches only the changed chunk.
import type { Range } from '../api';
import { LineMap } from '../text';
import { splitChunks, splitFrom, type ChunkSpan } from './chunks';
import { tokenize } from './tokenizer';
import { parseStatements } from './statements';
import type { Stmt } from './ast';
import type { Comment } from './tokens';

/** What parsing a chunk's text yields; shared by every chunk with the same text. */
export interface ParsedChunk {
  readonly text: string;
  readonly lines: LineMap;
  readonly body: Stmt[];
  readonly comments: Comment[];
}

const chunkIds = new WeakMap<ParsedChunk, number>();
let nextChunkId = 1;

/** A stable number for a parsed chunk: equal while its text is unchanged and cached. */
export function chunkIdOf(parsed: ParsedChunk): number {
  let id = chunkIds.get(parsed);
  if (id === undefined) chunkIds.set(parsed, (id = nextChunkId++));
  return id;
}

/** Chunks whose positions or text a unit's analysis read: what its cached result depends on. */
let recording: Set<Chunk> | undefined;

export function recordChunks<T>(build: () => T): { value: T; chunks: Set<Chunk> } {
  const outer = recording;
  const chunks = new Set<Chunk>();
  recording = chunks;
  try {
    return { value: build(), chunks };
  } finally {
    recording = outer;
    if (outer) for (const chunk of chunks) outer.add(chunk);
  }
}

/** A parsed chunk placed in a file. */
export class Chunk {
  constructor(readonly parsed: ParsedChunk, readonly startLine: number, readonly startOffset: number) {}

  get id(): number {
    return chunkIdOf(this.parsed);
  }

  /** Marks this chunk as read by the unit being analysed (see recordChunks). */
  touch(): void {
    recording?.add(this);
  }

  get body(): Stmt[] {
    return this.parsed.body;
  }

  /** Absolute range of a chunk-relative span. */
  range(start: number, end: number): Range {
    recording?.add(this);
    const s = this.parsed.lines.position(start);
    const e = this.parsed.lines.position(end);
    return {
      start: { line: s.line + this.startLine, character: s.character },
      end: { line: e.line + this.startLine, character: e.character },
    };
  }

  slice(start: number, end: number): string {
    recording?.add(this);
    return this.parsed.text.slice(start, end);
  }
}

export interface ParsedModule {
  text: string;
  chunks: Chunk[];
}

export class PythonParser {
  private cache = new Map<string, ParsedChunk>();
  private previous?: { text: string; spans: ChunkSpan[]; parsed: ParsedChunk[] };

  parse(text: string): ParsedModule {
    // Spans that only moved keep their parse without slicing or hashing their text again.
    const spans: Respan[] = this.previous ? respan(this.previous, text) : splitChunks(text);
    const next = new Map<string, ParsedChunk>();
    const parsed: ParsedChunk[] = [];
    const chunks: Chunk[] = [];
    for (const span of spans) {
      let chunk = span.reuse;
      if (!chunk) {
        const chunkText = text.slice(span.start, span.end);
        chunk = next.get(chunkText) ?? this.cache.get(chunkText) ?? parseChunk(chunkText);
      }
      next.set(chunk.text, chunk);
      parsed.push(chunk);
      chunks.push(new Chunk(chunk, span.startLine, span.start));
    }
    // Keep only what this version uses: memory stays bounded by the document's size.
    this.cache = next;
    this.previous = { text, spans, parsed };
    return { text, chunks };
  }

  /** Parses using the cache but without changing it. */
  peek(text: string): ParsedModule {
    const chunks = splitChunks(text).map((span) => {
      const chunkText = text.slice(span.start, span.end);
      return new Chunk(this.cache.get(chunkText) ?? parseChunk(chunkText), span.startLine, span.start);
    });
    return { text, chunks };
  }
}

interface Respan extends ChunkSpan {
  /** The parse of an unchanged chunk carried over from the previous version. */
  reuse?: ParsedChunk;
}

/**
 * The chunk spans of `text` given those of the previous version: chunks before the first change
 * are kept, splitting resumes one chunk before it, and stops as soon as a boundary lines up with
 * an old one inside the unchanged tail (from there on, everything only moved).
 */
function respan(previous: { text: string; spans: ChunkSpan[]; parsed: ParsedChunk[] }, text: string): Respan[] {
  const { text: oldText, spans: oldSpans, parsed } = previous;
  const n = Math.min(oldText.length, text.length);
  // Compare in blocks first: native string equality is far faster than a loop over characters.
  const BLOCK = 2048;
  let prefix = 0;
  while (prefix + BLOCK <= n && oldText.substr(prefix, BLOCK) === text.substr(prefix, BLOCK)) prefix += BLOCK;
  while (prefix < n && oldText.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  if (prefix === oldText.length && prefix === text.length) return oldSpans.map((span, i) => ({ ...span, reuse: parsed[i] }));
  const limit = n - prefix;
  let suffix = 0;
  while (suffix + BLOCK <= limit && oldText.substr(oldText.length - suffix - BLOCK, BLOCK) === text.substr(text.length - suffix - BLOCK, BLOCK)) suffix += BLOCK;
  while (suffix < limit && oldText.charCodeAt(oldText.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const delta = text.length - oldText.length;

  let changed = oldSpans.findIndex((span) => span.end > prefix);
  if (changed < 0) changed = oldSpans.length - 1;
  const resume = Math.max(0, changed - 1);
  const head: Respan[] = oldSpans.slice(0, resume).map((span, i) => ({ ...span, reuse: parsed[i] }));
  const oldStartIndex = new Map<number, number>();
  for (let i = resume; i < oldSpans.length; i++) oldStartIndex.set(oldSpans[i].start, i);
  const tailStart = text.length - suffix;
  const from = oldSpans[resume] ?? { start: 0, startLine: 0 };
  const { spans, stoppedAt } = splitFrom(text, from.start, from.startLine, (offset) => offset >= tailStart && oldStartIndex.has(offset - delta));
  if (!stoppedAt) return [...head, ...spans];
  const j = oldStartIndex.get(stoppedAt.offset - delta)!;
  const lineDelta = stoppedAt.line - oldSpans[j].startLine;
  const tail: Respan[] = oldSpans.slice(j).map((span, k) => ({ start: span.start + delta, end: span.end + delta, startLine: span.startLine + lineDelta, reuse: parsed[j + k] }));
  return [...head, ...spans, ...tail];
}

export function parseChunk(text: string): ParsedChunk {
  const { tokens, comments } = tokenize(text);
  return { text, lines: new LineMap(text), body: parseStatements(tokens), comments };
}

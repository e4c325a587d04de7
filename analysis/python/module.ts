// A parsed Python file: its top-level chunks, each tokenized and parsed on its own. Parsed chunks
// are cached by text per document, so re-parsing after an edit touches only the changed chunk.
import type { Range } from '../api';
import { LineMap } from '../text';
import { splitChunks, splitFrom, type ChunkSpan } from './chunks';
import { chunkFacts, chunksNeedingBodies, headerEnd, type ChunkFacts } from './outline';
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
  /** Only the definition's header was parsed (its body cannot matter to the analysis). */
  readonly partial: boolean;
  /** A number unique to this parse: equal while the chunk's text is unchanged and cached. */
  readonly id: number;
  /**
   * Facts derived from this chunk's text alone, remembered with it (plain fields, not weak maps:
   * weak maps keyed by short-lived objects make every garbage collection slower).
   */
  readonly memo: ChunkMemo;
}

export interface ChunkMemo {
  /** What decides whether the chunk needs its body (outline.ts). */
  facts?: ChunkFacts;
  /** Comment text by line within the chunk. */
  commentsByLine?: Map<number, string>;
  ignoresFile?: boolean;
  errors?: number;
  /** Offset of the first block nested too deeply to parse, if any. */
  tooDeepAt?: number;
  /** Per definition in the chunk, by its start offset (made on first use: most chunks have none). */
  definitions?: Map<number, DefinitionMemo>;
  /** The whole chunk parsed, for a chunk read only by its header when its body turns out to matter. */
  full?: ParsedChunk;
  /** On such a full parse: the header-only parse it completes. */
  headerOf?: ParsedChunk;
  /** The modules the chunk's text imports (see import-names.ts). */
  importedNames?: string[];
}

export interface DefinitionMemo {
  mentionsGradients?: boolean;
  callees?: import('./ast').Expr[];
  hasNestedDefinitions?: boolean;
}

export function definitionMemo(chunk: ParsedChunk, start: number): DefinitionMemo {
  const definitions = (chunk.memo.definitions ??= new Map());
  let memo = definitions.get(start);
  if (!memo) definitions.set(start, (memo = {}));
  return memo;
}

let nextChunkId = 1;

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
    return this.parsed.id;
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
  private previous?: Version;

  parse(text: string): ParsedModule {
    const version = this.version(text);
    this.previous = version;
    return version.module;
  }

  /** Parses a variant of the last text (a trial edit) without making it the last text. */
  peek(text: string): ParsedModule {
    return this.version(text).module;
  }

  private version(text: string): Version {
    // Chunks that are unchanged (only moved) keep their parse: nothing is sliced, hashed or re-read.
    const spans: Respan[] = this.previous ? respan(this.previous, text) : splitChunks(text);
    const texts = spans.map((span) => span.reuse?.text ?? text.slice(span.start, span.end));
    const facts = spans.map((span, i) => span.reuse?.memo.facts ?? chunkFacts(texts[i]));
    const needsBody = chunksNeedingBodies(texts, facts);
    const parsed: ParsedChunk[] = [];
    const chunks: Chunk[] = [];
    spans.forEach((span, i) => {
      let chunk = span.reuse;
      if (!chunk || (chunk.partial && needsBody[i])) chunk = needsBody[i] ? parseChunk(texts[i]) : parseHeader(texts[i]);
      chunk.memo.facts ??= facts[i];
      parsed.push(chunk);
      chunks.push(new Chunk(chunk, span.startLine, span.start));
    });
    return { text, spans, parsed, module: { text, chunks } };
  }
}

interface Version {
  text: string;
  spans: ChunkSpan[];
  parsed: ParsedChunk[];
  module: ParsedModule;
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
function respan(previous: Version, text: string): Respan[] {
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
  const { spans: window, stoppedAt } = splitFrom(text, from.start, from.startLine, (offset) => offset >= tailStart && oldStartIndex.has(offset - delta));
  const j = stoppedAt ? oldStartIndex.get(stoppedAt.offset - delta)! : oldSpans.length;
  // Chunks of the re-split window whose text did not change (the one before the edit, usually).
  const oldWindow = new Map<string, ParsedChunk>();
  for (let k = resume; k < j; k++) oldWindow.set(parsed[k].text, parsed[k]);
  const spans: Respan[] = window.map((span) => ({ ...span, reuse: oldWindow.get(text.slice(span.start, span.end)) }));
  if (!stoppedAt) return [...head, ...spans];
  const lineDelta = stoppedAt.line - oldSpans[j].startLine;
  const tail: Respan[] = oldSpans.slice(j).map((span, k) => ({ start: span.start + delta, end: span.end + delta, startLine: span.startLine + lineDelta, reuse: parsed[j + k] }));
  return [...head, ...spans, ...tail];
}

export function parseChunk(text: string): ParsedChunk {
  const { tokens, comments } = tokenize(text);
  return new ChunkParse(text, parseStatements(tokens), comments, false);
}

/**
 * A definition whose body cannot matter: only its header (decorators, `def`/`class` line) is
 * read, and only when something asks for it (a base class, a helper's parameters).
 */
export function parseHeader(text: string): ParsedChunk {
  return new ChunkParse(text, undefined, undefined, true);
}

class ChunkParse implements ParsedChunk {
  private lineMap?: LineMap;
  readonly id = nextChunkId++;
  readonly memo: ChunkMemo = {};

  constructor(readonly text: string, private parsedBody: Stmt[] | undefined, private parsedComments: Comment[] | undefined, readonly partial: boolean) {}

  get body(): Stmt[] {
    if (!this.parsedBody) this.parseHeader();
    return this.parsedBody!;
  }

  get comments(): Comment[] {
    if (!this.parsedComments) this.parseHeader();
    return this.parsedComments!;
  }

  private parseHeader(): void {
    const { tokens, comments } = tokenize(this.text.slice(0, headerEnd(this.text)));
    this.parsedBody = parseStatements(tokens);
    this.parsedComments = comments;
  }

  /** Built on first use: most chunks' lines are never asked for. */
  get lines(): LineMap {
    return (this.lineMap ??= new LineMap(this.text));
  }
}

// A parsed Python file: its top-level chunks, each tokenized and parsed on its own. Parsed chunks
// are cached by text per document, so re-parsing after an edit touches only the changed chunk.
import type { Range } from '../api';
import { LineMap } from '../text';
import { splitChunks } from './chunks';
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

/** A parsed chunk placed in a file. */
export class Chunk {
  constructor(readonly parsed: ParsedChunk, readonly startLine: number, readonly startOffset: number) {}

  get body(): Stmt[] {
    return this.parsed.body;
  }

  /** Absolute range of a chunk-relative span. */
  range(start: number, end: number): Range {
    const s = this.parsed.lines.position(start);
    const e = this.parsed.lines.position(end);
    return {
      start: { line: s.line + this.startLine, character: s.character },
      end: { line: e.line + this.startLine, character: e.character },
    };
  }

  slice(start: number, end: number): string {
    return this.parsed.text.slice(start, end);
  }
}

export interface ParsedModule {
  text: string;
  chunks: Chunk[];
}

export class PythonParser {
  private cache = new Map<string, ParsedChunk>();

  parse(text: string): ParsedModule {
    const next = new Map<string, ParsedChunk>();
    const chunks: Chunk[] = [];
    for (const span of splitChunks(text)) {
      const chunkText = text.slice(span.start, span.end);
      let parsed = next.get(chunkText) ?? this.cache.get(chunkText);
      if (!parsed) parsed = parseChunk(chunkText);
      next.set(chunkText, parsed);
      chunks.push(new Chunk(parsed, span.startLine, span.start));
    }
    // Keep only what this version uses: memory stays bounded by the document's size.
    this.cache = next;
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

export function parseChunk(text: string): ParsedChunk {
  const { tokens, comments } = tokenize(text);
  return { text, lines: new LineMap(text), body: parseStatements(tokens), comments };
}

// The file's lines read through its chunks: each chunk already has a line table, so nothing is
// rescanned when one chunk changes.
import type { Position } from '../api';
import type { SourceLines } from '../text';
import type { Chunk } from './module';

export class ChunkedLines implements SourceLines {
  private eolCache?: string;

  constructor(readonly text: string, private readonly chunks: Chunk[]) {}

  get lineCount(): number {
    const last = this.chunks[this.chunks.length - 1];
    return last ? last.startLine + last.parsed.lines.lineCount : 1;
  }

  get eol(): string {
    this.eolCache ??= this.chunks.some((c) => c.parsed.text.includes('\r\n')) ? '\r\n' : '\n';
    return this.eolCache;
  }

  private chunkAt(line: number): Chunk | undefined {
    return chunkAtLine(this.chunks, line);
  }

  lineText(line: number): string {
    const chunk = this.chunkAt(line);
    if (!chunk) return '';
    const local = line - chunk.startLine;
    return local < chunk.parsed.lines.lineCount ? chunk.parsed.lines.lineText(local) : '';
  }

  indentOf(line: number): string {
    const text = this.lineText(line);
    return text.slice(0, text.length - text.trimStart().length);
  }

  offset(position: Position): number {
    const chunk = this.chunkAt(position.line);
    if (!chunk || position.line >= this.lineCount) return this.text.length;
    return chunk.startOffset + chunk.parsed.lines.offset({ line: position.line - chunk.startLine, character: position.character });
  }
}

/** The chunk holding a line (a chunk's last, empty line is the next chunk's first). */
export function chunkAtLine(chunks: Chunk[], line: number): Chunk | undefined {
  let lo = 0;
  let hi = chunks.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunks[mid].startLine <= line) lo = mid;
    else hi = mid - 1;
  }
  return chunks[lo];
}

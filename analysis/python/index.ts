// The Python front end's entry: text in, units and comments out.
import type { FrontEndResult } from '../frontend';
import { ignoresFile, type LineComments } from '../suppression';
import type { Stmt } from './ast';
import { childBlocks } from './ast';
import { PythonParser, type Chunk, type ParsedModule } from './module';
import { pythonUnits } from './frontend';
import { ChunkedLines, chunkAtLine } from './source-lines';

export class PythonFrontEnd {
  private readonly parser = new PythonParser();
  private readonly signatures = new Map<string, number>();

  run(text: string): FrontEndResult {
    return this.result(this.parser.parse(text));
  }

  /** Parses without touching this front end's cache (for trial edits such as fix verification). */
  trial(text: string): FrontEndResult {
    return this.result(this.parser.peek(text));
  }

  private result(module: ParsedModule): FrontEndResult {
    const pieceLines = new Map<number, number>();
    let syntaxErrors = 0;
    for (const chunk of module.chunks) {
      syntaxErrors += (chunk.parsed.memo.errors ??= chunk.parsed.partial ? 0 : countErrors(chunk.parsed.body));
      pieceLines.set(chunk.id, chunk.startLine);
    }
    return {
      units: pythonUnits(module, this.signatures),
      pieceLines,
      comments: new ChunkComments(module.chunks),
      syntaxErrors,
      source: new ChunkedLines(module.text, module.chunks),
    };
  }
}

/** Comments looked up through the chunk holding a line: nothing is collected for the whole file. */
class ChunkComments implements LineComments {
  private ignored?: boolean;

  constructor(private readonly chunks: Chunk[]) {}

  get(line: number): string | undefined {
    const chunk = chunkAtLine(this.chunks, line);
    if (!chunk) return undefined;
    const parsed = chunk.parsed;
    parsed.memo.commentsByLine ??= new Map(parsed.comments.map((c) => [parsed.lines.lineOf(c.start), c.text]));
    return parsed.memo.commentsByLine.get(line - chunk.startLine);
  }

  get fileIgnored(): boolean {
    // The comment may sit in a body that was not parsed: look in the text (its comments only
    // where the text mentions it at all).
    this.ignored ??= this.chunks.some((chunk) => (chunk.parsed.memo.ignoresFile ??= ignoresFile(chunk.parsed.text) && [...chunk.parsed.text.matchAll(/#[^\n]*/g)].some((m) => ignoresFile(m[0]))));
    return this.ignored;
  }
}

function countErrors(body: Stmt[]): number {
  let count = 0;
  for (const stmt of body) {
    if (stmt.type === 'Error') count++;
    for (const block of childBlocks(stmt)) count += countErrors(block);
  }
  return count;
}

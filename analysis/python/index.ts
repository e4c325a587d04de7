// The Python front end's entry: text in, units and comments out.
import type { FrontEndResult } from '../frontend';
import { ignoresFile, type LineComments } from '../suppression';
import type { Stmt } from './ast';
import { childBlocks } from './ast';
import { tokenize } from './tokenizer';
import { MAX_BLOCK_DEPTH } from './statements';
import { PythonParser, type Chunk, type ParsedModule } from './module';
import { pythonUnits } from './frontend';
import { ChunkedLines, chunkAtLine } from './source-lines';
import { indentUnit } from '../rules/fixes';
import type { ProjectContext } from '../project/context';

export class PythonFrontEnd {
  private readonly parser = new PythonParser();
  private readonly signatures = new Map<string, number>();

  /** `project`: the project around the file, for imports of its other modules (cross-file analysis). */
  run(text: string, project?: ProjectContext): FrontEndResult {
    return this.result(this.parser.parse(text), project);
  }

  /** Parses without touching this front end's cache (for trial edits such as fix verification). */
  trial(text: string, project?: ProjectContext): FrontEndResult {
    return this.result(this.parser.peek(text), project);
  }

  private result(module: ParsedModule, project: ProjectContext | undefined): FrontEndResult {
    const pieceLines = new Map<number, number>();
    let syntaxErrors = 0;
    let tooDeep: number | undefined;
    for (const chunk of module.chunks) {
      const parsed = chunk.parsed;
      if (parsed.memo.errors === undefined) {
        const counted = parsed.partial ? { errors: 0 } : countErrors(parsed.body);
        parsed.memo.errors = counted.errors;
        parsed.memo.tooDeepAt = counted.tooDeepAt;
      }
      syntaxErrors += parsed.memo.errors;
      if (tooDeep === undefined && parsed.memo.tooDeepAt !== undefined) tooDeep = chunk.startLine + parsed.lines.lineOf(parsed.memo.tooDeepAt);
      pieceLines.set(chunk.id, chunk.startLine);
    }
    const source = new ChunkedLines(module.text, module.chunks);
    return {
      // Fixes are written in the file's own indentation: a unit's kept result holds only while it is the same.
      units: pythonUnits(module, this.signatures, indentUnit(source), project),
      pieceLines,
      comments: new ChunkComments(module.chunks),
      syntaxErrors,
      partlySkipped: tooDeep === undefined ? undefined : `code nested more than ${MAX_BLOCK_DEPTH} blocks deep (from line ${tooDeep + 1}) was not analysed`,
      source,
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
    // The comment may sit in a body that was not parsed: where the text mentions it at all, the
    // chunk's real comments (not a `#` inside a string) are read by tokenizing it.
    this.ignored ??= this.chunks.some((chunk) => (chunk.parsed.memo.ignoresFile ??= ignoresFile(chunk.parsed.text) && tokenize(chunk.parsed.text).comments.some((c) => ignoresFile(c.text))));
    return this.ignored;
  }
}

/** Syntax errors in a chunk's statements, and where the first block too deep to read begins. */
function countErrors(body: Stmt[], into: { errors: number; tooDeepAt?: number } = { errors: 0 }): { errors: number; tooDeepAt?: number } {
  for (const stmt of body) {
    if (stmt.type === 'Error') {
      if (stmt.tooDeep) into.tooDeepAt ??= stmt.start;
      else into.errors++;
    }
    for (const block of childBlocks(stmt)) countErrors(block, into);
  }
  return into;
}

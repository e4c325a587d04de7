// The Python front end's entry: text in, units and comments out.
import type { FrontEndResult } from '../frontend';
import type { Stmt } from './ast';
import { childBlocks } from './ast';
import { PythonParser, type ParsedChunk, type ParsedModule } from './module';
import { pythonUnits } from './frontend';
import { ChunkedLines } from './source-lines';

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
    const comments = new Map<number, string>();
    const pieceLines = new Map<number, number>();
    let syntaxErrors = 0;
    for (const chunk of module.chunks) {
      const facts = chunkFacts(chunk.parsed);
      for (const [line, text] of facts.comments) comments.set(chunk.startLine + line, text);
      syntaxErrors += facts.errors;
      pieceLines.set(chunk.id, chunk.startLine);
      if (chunk.parsed.partial && chunk.parsed.text.includes('ignore-file')) {
        // A file-level suppression may sit in a body that was not parsed: find it in the text.
        for (const match of chunk.parsed.text.matchAll(/#[^\n]*clipwise:\s*ignore-file[^\n]*/g)) {
          comments.set(chunk.startLine + chunk.parsed.lines.lineOf(match.index ?? 0), match[0]);
        }
      }
    }
    return { units: pythonUnits(module, this.signatures), pieceLines, comments, syntaxErrors, source: new ChunkedLines(module.text, module.chunks) };
  }
}

/** Per-chunk facts that depend only on its text, kept with the parsed chunk. */
function chunkFacts(parsed: ParsedChunk): { comments: Array<[number, string]>; errors: number } {
  const memo = parsed.memo;
  memo.comments ??= parsed.comments.map((c) => [parsed.lines.lineOf(c.start), c.text]);
  memo.errors ??= countErrors(parsed.body);
  return { comments: memo.comments, errors: memo.errors };
}

function countErrors(body: Stmt[]): number {
  let count = 0;
  for (const stmt of body) {
    if (stmt.type === 'Error') count++;
    for (const block of childBlocks(stmt)) count += countErrors(block);
  }
  return count;
}

// The Python front end's entry: text in, units and comments out.
import type { FrontEndResult } from '../frontend';
import type { Stmt } from './ast';
import { childBlocks } from './ast';
import { PythonParser, type ParsedModule } from './module';
import { pythonUnits } from './frontend';

export class PythonFrontEnd {
  private readonly parser = new PythonParser();

  run(text: string): FrontEndResult {
    return frontEndResult(this.parser.parse(text));
  }

  /** Parses without touching this front end's cache (for trial edits such as fix verification). */
  trial(text: string): FrontEndResult {
    return frontEndResult(this.parser.peek(text));
  }
}

function frontEndResult(module: ParsedModule): FrontEndResult {
  const comments = new Map<number, string>();
  let syntaxErrors = 0;
  for (const chunk of module.chunks) {
    for (const comment of chunk.parsed.comments) comments.set(chunk.startLine + chunk.parsed.lines.lineOf(comment.start), comment.text);
    syntaxErrors += countErrors(chunk.body);
  }
  return { units: pythonUnits(module), comments, syntaxErrors };
}

function countErrors(body: Stmt[]): number {
  let count = 0;
  for (const stmt of body) {
    if (stmt.type === 'Error') count++;
    for (const block of childBlocks(stmt)) count += countErrors(block);
  }
  return count;
}

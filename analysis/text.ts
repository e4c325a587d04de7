// Text positions: offsets (UTF-16 code units, as JavaScript strings count) to 0-based line and
// column. Columns are UTF-16 as LSP expects by default.
import type { Position, Range } from './api';

/** Offsets at which each line starts; `starts[0] === 0`. A line ends at \n, \r\n or a lone \r. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Read access to a source text by lines: what messages and fixes need. */
export interface SourceLines {
  readonly text: string;
  readonly lineCount: number;
  /** The line break the text uses ("\r\n" or "\n"). */
  readonly eol: string;
  lineText(line: number): string;
  indentOf(line: number): string;
  offset(position: Position): number;
  /** The language's spelling for fixes (Python's when absent). */
  readonly syntax?: import('./syntax').LanguageSyntax;
}

/** A text with its line table, converting offsets to positions by binary search. */
export class LineMap implements SourceLines {
  private startsCache?: number[];

  /**
   * `starts`, when given, gives `lineStarts(text)` when first asked (a front end that has the
   * text's lines in pieces, and may answer lookups without the whole table).
   */
  constructor(readonly text: string, private readonly startsOf?: () => number[]) {}

  get starts(): number[] {
    return (this.startsCache ??= this.startsOf ? this.startsOf() : lineStarts(this.text));
  }

  get lineCount(): number {
    return this.starts.length;
  }

  get eol(): string {
    return this.text.includes('\r\n') ? '\r\n' : '\n';
  }

  lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(offset: number): Position {
    const line = this.lineOf(offset);
    return { line, character: offset - this.starts[line] };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  offset(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const line = Math.max(position.line, 0);
    const lineEnd = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    return Math.min(this.starts[line] + Math.max(position.character, 0), lineEnd);
  }

  /** The text of a line without its line break. */
  lineText(line: number): string {
    const start = this.starts[line];
    let end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }

  /** Leading whitespace of a line. */
  indentOf(line: number): string {
    const text = this.lineText(line);
    return text.slice(0, text.length - text.trimStart().length);
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** `inner` lies within `outer` (ends included). */
export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

export function shiftRange(range: Range, lines: number): Range {
  return {
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  };
}

// Suppression comments: `# clipwise: ignore[CLP002]`, bare `# clipwise: ignore`, `# noqa: CLP002`,
// bare `# noqa`, `// clipwise-ignore-next-line CLP002` (TypeScript) and a file-level
// `# clipwise: ignore-file`. Also the edit behind "Disable CLPxxx for this line".
import type { Finding, RuleCode, TextEdit } from './api';
import type { SourceLines } from './text';

/** Comment text by 0-based line, and whether the file asks not to be checked at all. */
export interface LineComments {
  get(line: number): string | undefined;
  readonly fileIgnored: boolean;
}

/** Comments held in a plain map (front ends without chunks, tests). */
export class MapComments implements LineComments {
  constructor(private readonly byLine: Map<number, string>) {}

  get(line: number): string | undefined {
    return this.byLine.get(line);
  }

  get fileIgnored(): boolean {
    for (const text of this.byLine.values()) if (FILE.test(text)) return true;
    return false;
  }
}

const IGNORE = /clipwise:\s*ignore(?!-)(?:\[([^\]]*)\])?/i;
const NOQA = /\bnoqa\b(?::\s*([A-Z]+\d+(?:[\s,]+[A-Z]+\d+)*))?/i;
const NEXT_LINE = /clipwise-ignore-next-line\b([\s,A-Z0-9]*)/i;
const FILE = /clipwise:\s*ignore-file\b/i;

function codesOf(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const codes = list.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase());
  return codes.length ? codes : undefined;
}

function lineSuppresses(comment: string | undefined, code: RuleCode): boolean {
  if (!comment) return false;
  const ignore = IGNORE.exec(comment);
  if (ignore) {
    const codes = codesOf(ignore[1]);
    if (!codes || codes.includes(code)) return true;
  }
  const noqa = NOQA.exec(comment);
  if (noqa) {
    const codes = codesOf(noqa[1]);
    if (!codes || codes.includes(code)) return true;
  }
  return false;
}

/** A comment asking that the whole file not be checked. */
export function ignoresFile(commentText: string): boolean {
  return FILE.test(commentText);
}

export function isSuppressed(finding: Pick<Finding, 'code' | 'range' | 'statementRange'>, comments: LineComments): boolean {
  const first = Math.min(finding.range.start.line, finding.statementRange.start.line);
  const last = Math.max(finding.range.end.line, finding.statementRange.end.line);
  for (let line = first; line <= last; line++) if (lineSuppresses(comments.get(line), finding.code)) return true;
  const previous = comments.get(first - 1);
  if (previous) {
    const next = NEXT_LINE.exec(previous);
    if (next) {
      const codes = codesOf(next[1]);
      if (!codes || codes.includes(finding.code)) return true;
    }
  }
  return false;
}

/**
 * The edit that silences `finding` on its line: merged into an existing `clipwise: ignore[…]`
 * or `noqa:` comment, else appended as a new comment.
 */
export function suppressionEdit(source: SourceLines, finding: Pick<Finding, 'code' | 'range' | 'statementRange'>, language: 'python' | 'typescript'): TextEdit {
  const code = finding.code;
  if (language === 'typescript') {
    const line = finding.statementRange.start.line;
    const indent = source.indentOf(line);
    const position = { line, character: 0 };
    return { range: { start: position, end: position }, newText: `${indent}// clipwise-ignore-next-line ${code}\n` };
  }
  let line = finding.range.start.line;
  if (source.lineText(line).trimEnd().endsWith('\\')) line = finding.statementRange.end.line;
  const text = source.lineText(line);
  const hash = commentStart(text);
  if (hash >= 0) {
    const comment = text.slice(hash);
    const bracket = /clipwise:\s*ignore\[([^\]]*)\]/i.exec(comment);
    if (bracket) {
      const at = hash + bracket.index + bracket[0].length - 1;
      return { range: { start: { line, character: at }, end: { line, character: at } }, newText: `, ${code}` };
    }
    const noqa = /\bnoqa:\s*[A-Z]+\d+(?:[\s,]+[A-Z]+\d+)*/i.exec(comment);
    if (noqa) {
      const at = hash + noqa.index + noqa[0].length;
      return { range: { start: { line, character: at }, end: { line, character: at } }, newText: `, ${code}` };
    }
  }
  const end = { line, character: text.length };
  const trimmed = text.trimEnd();
  const start = { line, character: trimmed.length };
  return { range: { start, end }, newText: `  # clipwise: ignore[${code}]` };
}

/** Offset of a `#` comment in a line of Python, skipping `#` inside strings. */
function commentStart(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return i;
  }
  return -1;
}

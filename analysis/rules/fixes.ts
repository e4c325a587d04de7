// Text edits that move or insert whole statements, keeping indentation and trailing comments.
// Every edit works on whole lines, so the result re-parses the way the original did.
import type { Range, TextEdit } from '../api';
import { reportSite, type Site, type StepEvent } from '../model/events';
import { comparePositions, rangeContains, type SourceLines } from '../text';
import { syntaxOf } from '../syntax';

/**
 * `a` (or the helper call it was inlined through) and `b` are written in the same body, so a fix
 * may move the one next to the other.
 */
export function sameBody(a: StepEvent, b: StepEvent): boolean {
  return b.via.length === 0 && reportSite(a).body === b.site.body;
}

function eolOf(source: SourceLines): string {
  return source.eol;
}

/** True when nothing but indentation precedes `range` on its first line. */
function startsLine(source: SourceLines, range: Range): boolean {
  return source.lineText(range.start.line).slice(0, range.start.character).trim() === '';
}

/** True when only a comment (or nothing) follows `range` on its last line. */
function endsLine(source: SourceLines, range: Range): boolean {
  const rest = source.lineText(range.end.line).slice(range.end.character).trim();
  return rest === '' || rest.startsWith('#') || rest.startsWith('//');
}

/** The indentation one level deeper than `indent`, in the file's own style. */
export function indentUnit(source: SourceLines): string {
  for (let line = 0; line < Math.min(source.lineCount, 2000); line++) {
    const indent = source.indentOf(line);
    if (indent.length && source.lineText(line).trim()) return indent.startsWith('\t') ? '\t' : indent.length <= 8 ? indent : '    ';
  }
  return '    ';
}

function linesOf(source: SourceLines, range: Range): string[] {
  const lines: string[] = [];
  for (let line = range.start.line; line <= range.end.line; line++) lines.push(source.lineText(line));
  return lines;
}

function reindent(lines: string[], from: string, to: string): string[] {
  return lines.map((line) => (line.startsWith(from) ? to + line.slice(from.length) : line.trim() === '' ? '' : line));
}

/** Removes a statement's lines (or leaves `pass` where the block would be empty). */
function removal(source: SourceLines, moving: Site['movable']): TextEdit {
  const { range, soleInBlock } = moving;
  const empty = syntaxOf(source).emptyBlock;
  if (soleInBlock && empty !== undefined) {
    const indent = source.indentOf(range.start.line);
    const lastLine = source.lineText(range.end.line);
    return {
      range: { start: { line: range.start.line, character: indent.length }, end: { line: range.end.line, character: lastLine.length } },
      newText: empty,
    };
  }
  if (range.end.line + 1 < source.lineCount) {
    return { range: { start: { line: range.start.line, character: 0 }, end: { line: range.end.line + 1, character: 0 } }, newText: '' };
  }
  // Last line of the file: take the line break before it instead.
  const previous = range.start.line - 1;
  const start = previous >= 0 ? { line: previous, character: source.lineText(previous).length } : { line: 0, character: 0 };
  return { range: { start, end: { line: range.end.line, character: source.lineText(range.end.line).length } }, newText: '' };
}

function movable(source: SourceLines, site: Site): boolean {
  return startsLine(source, site.movable.range) && endsLine(source, site.movable.range);
}

/**
 * Moving a statement over some lines must not change what either computes: the statement and
 * the lines it passes may trade places only when neither writes a name the other reads or
 * writes (`grad_norm = clip(…)` may not pass `if not torch.isfinite(grad_norm): …`, nor
 * `clip(params, max_norm)` pass `max_norm = max_norm * 0.5`).
 */
function namesSafe(source: SourceLines, moving: Range, destination: Range, carried: string[] = []): boolean {
  const down = comparePositions(destination.start, moving.end) >= 0;
  const first = down ? moving.end.line + 1 : destination.start.line;
  const last = down ? destination.start.line - 1 : moving.start.line - 1;
  const between: string[] = [];
  for (let line = first; line <= last; line++) between.push(source.lineText(line));
  if (!between.join('').trim()) return true;
  return syntaxOf(source).mayTradePlaces([...carried, ...linesOf(source, moving)].join('\n'), between.join('\n'));
}

/** True when the statement at `moving` may move to just before line `line` without changing what any code computes. */
export function mayMoveTo(source: SourceLines, moving: Range, line: number): boolean {
  const at = { line, character: 0 };
  return namesSafe(source, moving, { start: at, end: at });
}

/** The move keeps `moving` inside the compound statement around it (the destination is in there too). */
function staysInside(moving: Site, destination: Range): boolean {
  const container = moving.movable.container;
  return !container || rangeContains(container, destination);
}

/**
 * Moves `moving` to the line before `target`'s statement, at `target`'s indentation, after any
 * `leading` lines of code inserted with it.
 */
export function moveBefore(source: SourceLines, moving: Site, target: Site, leading: string[] = []): TextEdit[] | undefined {
  const to = target.statementRange;
  if (!movable(source, moving) || !startsLine(source, to) || !staysInside(moving, to)) return undefined;
  const m = moving.movable.range;
  if (!namesSafe(source, m, to, leading)) return undefined;
  if (to.start.line >= m.start.line && to.start.line <= m.end.line + 1 && !leading.length) return undefined;
  if (to.start.line >= m.start.line && to.start.line <= m.end.line) return undefined;
  const indent = source.indentOf(to.start.line);
  const text = [...leading.map((line) => indent + line), ...reindent(linesOf(source, m), source.indentOf(m.start.line), indent)];
  const eol = eolOf(source);
  return [removal(source, moving.movable), { range: { start: { line: to.start.line, character: 0 }, end: { line: to.start.line, character: 0 } }, newText: text.join(eol) + eol }];
}

/** Moves `moving` to the line after `target`'s statement, at `target`'s indentation. */
export function moveAfter(source: SourceLines, moving: Site, target: Site): TextEdit[] | undefined {
  const to = target.statementRange;
  if (!movable(source, moving) || !startsLine(source, to) || !endsLine(source, to) || !staysInside(moving, to)) return undefined;
  const m = moving.movable.range;
  if (!namesSafe(source, m, { start: { line: to.end.line + 1, character: 0 }, end: { line: to.end.line + 1, character: 0 } })) return undefined;
  if (to.end.line >= m.start.line - 1 && to.end.line <= m.end.line) return undefined;
  const text = reindent(linesOf(source, m), source.indentOf(m.start.line), source.indentOf(to.start.line));
  const eol = eolOf(source);
  const insertLine = to.end.line + 1;
  if (insertLine >= source.lineCount) {
    const end = { line: to.end.line, character: source.lineText(to.end.line).length };
    return [removal(source, moving.movable), { range: { start: end, end }, newText: eol + text.join(eol) }];
  }
  return [removal(source, moving.movable), { range: { start: { line: insertLine, character: 0 }, end: { line: insertLine, character: 0 } }, newText: text.join(eol) + eol }];
}

/**
 * Removes a statement that is moving elsewhere in pieces (its text re-inserted by the caller
 * before `destination`): only the statement itself, never an `if` around it, and only where the
 * destination lies in the same block structure.
 */
export function removeStatement(source: SourceLines, site: Site, destination: Range): TextEdit[] | undefined {
  const { range } = site.movable;
  const same = comparePositions(range.start, site.statementRange.start) === 0 && comparePositions(range.end, site.statementRange.end) === 0;
  if (!same || !movable(source, site) || !staysInside(site, destination)) return undefined;
  return [removal(source, site.movable)];
}

/** Inserts a line of code before `target`'s statement, at its indentation. */
export function insertBefore(source: SourceLines, target: Site, code: string): TextEdit[] | undefined {
  const to = target.statementRange;
  if (!startsLine(source, to)) return undefined;
  const position = { line: to.start.line, character: 0 };
  return [{ range: { start: position, end: position }, newText: source.indentOf(to.start.line) + code + eolOf(source) }];
}

/** Puts a statement under a guard on `condition` (the language's `if`), one indentation level deeper. */
export function wrapInIf(source: SourceLines, target: Site, condition: string): TextEdit[] | undefined {
  if (!movable(source, target)) return undefined;
  const m = target.movable.range;
  const indent = source.indentOf(m.start.line);
  const lines = reindent(linesOf(source, m), indent, indent + indentUnit(source));
  const eol = eolOf(source);
  const end = { line: m.end.line, character: source.lineText(m.end.line).length };
  const { open, close } = syntaxOf(source).guard(condition);
  const closing = close === undefined ? '' : `${eol}${indent}${close}`;
  return [{ range: { start: { line: m.start.line, character: 0 }, end }, newText: `${indent}${open}${eol}${lines.join(eol)}${closing}` }];
}

// Notebooks: the code cells analysed as one program in cell order (a clip in one cell and the
// step in the next are one loop), every result mapped back to the cell it lies in, each cell
// published as its own document. Related locations keep their own cell, so "the step in cell 3"
// links to cell 3.
import type { Analyzer, AnalyzerOptions } from '../../analysis/analyzer';
import type { Finding, LoopShape, Range, TextEdit } from '../../analysis/api';
import { joinCells, messageInCell, type NotebookCell } from '../../analysis/notebook';
import { LineMap } from '../../analysis/text';
import { applyEdits } from '../../analysis/edits';
import { verification, type FileView, type LocatedRelated, type ViewFinding } from './fileView';
import { lineEndingOf } from '../workspace/line-endings';

export interface CellInput {
  uri: string;
  version: number;
  kind: NotebookCell['kind'];
  source: string;
}

interface Span {
  cell: number;
  firstLine: number;
  lineCount: number;
}

export function analyseNotebookCells(cells: CellInput[], analyzer: Analyzer, options: AnalyzerOptions): FileView[] {
  const { text, spans } = joinCells(cells);
  const result = analyzer.analyze(text, options);
  const rawOf = new Map<ViewFinding, Finding>();
  const verify = verification(analyzer.verifier(text, options), (finding) => rawOf.get(finding));

  const views = new Map<number, FileView>();
  for (const span of spans) {
    const cell = cells[span.cell];
    views.set(span.cell, {
      uri: cell.uri,
      version: cell.version,
      language: analyzer.language,
      lines: new LineMap(cell.source),
      eol: lineEndingOf(cell.source),
      findings: [],
      clips: [],
      unclippedSteps: [],
      loops: [],
      skipped: result.skipped,
      partlySkipped: result.partlySkipped,
      ...verify,
    });
  }
  const locate = (range: Range): { span: Span; range: Range } | undefined => {
    const span = spanOf(spans, range.start.line);
    if (!span || spanOf(spans, range.end.line) !== span) return undefined;
    return { span, range: shift(range, -span.firstLine) };
  };
  const editsIn = (span: Span, edits: TextEdit[]): TextEdit[] | undefined => {
    const moved: TextEdit[] = [];
    for (const edit of edits) {
      const at = locate(edit.range);
      if (at?.span !== span) return undefined;
      moved.push({ range: at.range, newText: edit.newText });
    }
    return withinCell(cells[span.cell].source, moved);
  };

  for (const raw of result.findings) {
    const at = locate(raw.range);
    if (!at) continue;
    const statement = locate(raw.statementRange);
    const related: LocatedRelated[] = raw.related.flatMap((r) => {
      const where = locate(r.range);
      return where ? [{ range: where.range, message: r.message, uri: cells[where.span.cell].uri }] : [];
    });
    // A fix whose edits reach into another cell cannot be applied as one cell's edit: leave it out.
    const fixEdits = raw.fix ? editsIn(at.span, raw.fix.edits) : undefined;
    const finding: ViewFinding = {
      ...raw,
      // Lines named in the message as this cell's editor shows them (cell K, line M for another cell).
      message: messageInCell(raw.message, spans, at.span),
      range: at.range,
      statementRange: statement?.span === at.span ? statement.range : at.range,
      related,
      fix: raw.fix && fixEdits ? { ...raw.fix, edits: fixEdits } : undefined,
    };
    rawOf.set(finding, raw);
    views.get(at.span.cell)!.findings.push(finding);
  }
  for (const clip of result.clips) {
    const at = locate(clip.range);
    if (at) views.get(at.span.cell)!.clips.push({ ...clip, range: at.range });
  }
  for (const step of result.unclippedSteps) {
    const at = locate(step.range);
    const insertClip = at && editsIn(at.span, step.insertClip);
    if (at && insertClip) views.get(at.span.cell)!.unclippedSteps.push({ range: at.range, insertClip });
  }
  for (const loop of result.loops) {
    for (const span of spans) {
      const clipped = clampToSpan(loop, span);
      if (clipped) views.get(span.cell)!.loops.push(clipped);
    }
  }
  return [...views.values()];
}

/**
 * A cell's edits that reach the separator line after it (the joined text's, not the cell's) as one
 * edit of the cell's own text, with that line's break dropped: the cell ends as `--fix` leaves it
 * (a moved last line leaves no empty line behind).
 */
function withinCell(source: string, edits: TextEdit[]): TextEdit[] {
  const lines = new LineMap(source);
  const separator = lines.lineCount;
  if (!edits.some((e) => e.range.end.line >= separator)) return edits;
  const eol = lines.eol;
  // The cell with its separator line, as the edits see it; then without that line again.
  const extended = source + eol;
  let after = applyEdits(extended, edits);
  if (after.endsWith(eol)) after = after.slice(0, -eol.length);
  else if (after.endsWith('\n')) after = after.slice(0, -1);
  let start = 0;
  while (start < source.length && start < after.length && source[start] === after[start]) start++;
  let end = 0;
  while (end < source.length - start && end < after.length - start && source[source.length - 1 - end] === after[after.length - 1 - end]) end++;
  return [{ range: lines.range(start, source.length - end), newText: after.slice(start, after.length - end) }];
}

function spanOf(spans: Span[], line: number): Span | undefined {
  return spans.find((s) => line >= s.firstLine && line < s.firstLine + s.lineCount);
}

function shift(range: Range, lines: number): Range {
  return {
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  };
}

/** The part of a loop that lies in one cell, in that cell's coordinates. */
function clampToSpan(loop: LoopShape, span: Span): LoopShape | undefined {
  const last = span.firstLine + span.lineCount - 1;
  if (loop.range.end.line < span.firstLine || loop.range.start.line > last) return undefined;
  const start = loop.range.start.line < span.firstLine ? { line: span.firstLine, character: 0 } : loop.range.start;
  const end = loop.range.end.line > last ? { line: last, character: Number.MAX_SAFE_INTEGER } : loop.range.end;
  return { ...loop, range: shift({ start, end }, -span.firstLine) };
}

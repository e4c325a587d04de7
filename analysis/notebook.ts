// Jupyter notebooks: the code cells analysed as one program in cell order (a clip in one cell
// and the step in the next are one loop), findings mapped back to their cells. IPython magics
// (`%timeit`, `!pip`, `%%bash` cells) are blanked so they parse as nothing; a `%%time` or
// `%%capture` cell is Python after its first line.
import type { AnalysisResult, Finding, Range, TextEdit } from './api';
import { Analyzer, type AnalyzerOptions } from './analyzer';

export interface NotebookCell {
  kind: 'code' | 'markdown' | 'raw';
  source: string;
}

export interface NotebookFinding extends Finding {
  /** Index of the cell in the notebook's `cells`. */
  cell: number;
}

export interface NotebookResult {
  findings: NotebookFinding[];
  skipped?: string;
  partlySkipped?: boolean;
}

export interface CellSpan {
  cell: number;
  firstLine: number;
  lineCount: number;
}

/** The notebook's code as one Python text, with each cell's place in it. */
export function joinCells(cells: NotebookCell[]): { text: string; spans: CellSpan[] } {
  const parts: string[] = [];
  const spans: CellSpan[] = [];
  let line = 0;
  cells.forEach((cell, index) => {
    if (cell.kind !== 'code') return;
    const lines = cell.source.split(/\r\n|\r|\n/);
    const blanked = lines.map(blankMagic);
    const cellMagic = /^\s*%%(\w+)/.exec(cell.source)?.[1];
    // `%%bash`, `%%html`…: the cell is not Python. `%%time`, `%%capture`…: the rest of it is.
    if (cellMagic !== undefined && !PYTHON_CELL_MAGICS.has(cellMagic)) blanked.fill('');
    // A blank separator line after each cell belongs to the cell: an edit that removes a cell's
    // last line then ends inside the same cell.
    spans.push({ cell: index, firstLine: line, lineCount: lines.length + 1 });
    parts.push(blanked.join('\n') + '\n\n');
    line += lines.length + 1;
  });
  return { text: parts.join(''), spans };
}

/** Cell magics whose cell body IPython runs as Python. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'memit', 'mprun', 'profile', 'snakeviz', 'scalene']);

function blankMagic(line: string): string {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('%') || trimmed.startsWith('!')) return line.slice(0, line.length - trimmed.length) + '#' + trimmed.slice(1);
  return line;
}

export function analyzeNotebook(cells: NotebookCell[], options: AnalyzerOptions = {}, analyzer = new Analyzer('python')): NotebookResult {
  const { text, spans } = joinCells(cells);
  const result: AnalysisResult = analyzer.analyze(text, options);
  const findings: NotebookFinding[] = [];
  for (const finding of result.findings) {
    const span = spanOf(spans, finding.range.start.line);
    if (!span) continue;
    const toCell = (range: Range): Range | undefined => {
      const s = spanOf(spans, range.start.line);
      const e = spanOf(spans, range.end.line);
      if (s !== span || e !== span) return undefined;
      return shift(range, -span.firstLine);
    };
    const range = toCell(finding.range)!;
    const statementRange = toCell(finding.statementRange) ?? range;
    const related = finding.related.flatMap((r) => {
      const other = spanOf(spans, r.range.start.line);
      if (!other) return [];
      return [{ ...r, range: shift(r.range, -other.firstLine), message: other === span ? r.message : `${r.message} (cell ${other.cell + 1})` }];
    });
    let fix = finding.fix;
    if (fix) {
      const cellLines = cells[span.cell].source.split(/\r\n|\r|\n/);
      const edits = fix.edits.map((e) => {
        const r = toCell(e.range);
        if (!r) return undefined;
        // An insertion on the separator line after the cell goes after the cell's last line,
        // which in a notebook usually has no line break of its own.
        if (r.start.line === cellLines.length && r.end.line === cellLines.length && r.start.character === 0 && r.end.character === 0) {
          const end = { line: cellLines.length - 1, character: cellLines[cellLines.length - 1].length };
          return { range: { start: end, end }, newText: '\n' + e.newText.replace(/\r?\n$/, '') };
        }
        return { ...e, range: r };
      });
      fix = edits.every((e): e is TextEdit => !!e) ? { ...fix, edits } : undefined;
    }
    const message = messageInCell(finding.message, spans, span);
    findings.push({ ...finding, message, cell: span.cell, range, statementRange, related, fix });
  }
  return { findings, skipped: result.skipped, partlySkipped: result.partlySkipped };
}

/**
 * A message's "line N" (a line of the joined text) in the coordinates the user sees: "line M" of
 * the finding's own cell, or "cell K, line M" when the line is in another cell. Used by the CLI
 * and by the editor, which shows each cell as its own document.
 */
export function messageInCell(message: string, spans: readonly CellSpan[], span: CellSpan): string {
  return message.replace(/\bline (\d+)\b/g, (_text, n: string) => {
    const target = spanOf(spans, Number(n) - 1);
    if (!target) return `line ${n}`;
    const local = Number(n) - target.firstLine;
    return target === span ? `line ${local}` : `cell ${target.cell + 1}, line ${local}`;
  });
}

function spanOf(spans: readonly CellSpan[], line: number): CellSpan | undefined {
  return spans.find((s) => line >= s.firstLine && line < s.firstLine + s.lineCount);
}

function shift(range: Range, lines: number): Range {
  return { start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } };
}

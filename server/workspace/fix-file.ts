// Applying safe fixes to a file's text: each fix is verified (the result re-parses and
// re-analyses with that finding gone and nothing new), fixes that overlap wait for the next
// round, and rounds repeat until nothing fixable is left.
import type { Finding, Language, TextEdit } from '../../analysis/api';
import { Analyzer, type AnalyzerOptions } from '../../analysis/analyzer';
import { applyEdits, editsOverlap } from '../../analysis/edits';
import { parseNotebook } from './notebook-file';
import { analyzeNotebook, joinCells } from '../../analysis/notebook';
import { lineEndingOf, withLineEnding } from './line-endings';

export interface FixOutcome {
  text: string;
  applied: Array<{ code: string; title: string; line: number; cell?: number }>;
}

const MAX_ROUNDS = 6;

export function fixPython(text: string, options: AnalyzerOptions = {}, language: Language = 'python'): FixOutcome {
  const analyzer = new Analyzer(language);
  const applied: FixOutcome['applied'] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const findings = analyzer.analyze(text, options).findings.filter((f) => f.fix?.safe);
    const verdicts = analyzer.verifier(text, options).verifyAll(findings);
    const chosen: Finding[] = [];
    for (const [i, finding] of findings.entries()) {
      if (!verdicts[i] || chosen.some((c) => editsOverlap(text, c.fix!.edits, finding.fix!.edits))) continue;
      chosen.push(finding);
    }
    if (!chosen.length) break;
    const edits: TextEdit[] = inFileEndings(text, chosen.flatMap((f) => f.fix!.edits));
    let next: string;
    try {
      next = applyEdits(text, edits);
    } catch {
      // Verified one by one but clashing together: take the first alone this round.
      next = applyEdits(text, inFileEndings(text, chosen[0].fix!.edits));
      chosen.length = 1;
    }
    for (const f of chosen) applied.push({ code: f.code, title: f.fix!.title, line: f.range.start.line + 1 });
    if (next === text) break;
    text = next;
  }
  return { text, applied };
}

export function fixNotebook(text: string, options: AnalyzerOptions = {}): FixOutcome {
  const notebook = parseNotebook(text);
  const applied: FixOutcome['applied'] = [];
  const sources = new Map<number, string>();
  const cells = notebook.cells.map((c) => ({ ...c }));
  // Fix cell by cell: each fix's edits lie in one cell (others are not offered for notebooks).
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const findings = analyzeNotebook(cells, options).findings.filter((f) => f.fix?.safe);
    const target = findings[0];
    if (!target) break;
    const before = cells[target.cell].source;
    let after: string;
    try {
      after = keepCellLayout(before, applyEdits(before, target.fix!.edits));
    } catch {
      break;
    }
    const trial = cells.map((c, i) => (i === target.cell ? { ...c, source: after } : c));
    const beforeCount = findings.filter((f) => f.code === target.code).length;
    const afterFindings = analyzeNotebook(trial, options).findings;
    if (afterFindings.filter((f) => f.code === target.code).length >= beforeCount) break;
    // Like every fix: the fixed code parses as well as before.
    const errors = (c: typeof cells) => new Analyzer('python').analyzeTrial(joinCells(c).text).syntaxErrors;
    if (errors(trial) > errors(cells)) break;
    cells[target.cell].source = after;
    sources.set(target.cell, after);
    applied.push({ code: target.code, title: target.fix!.title, line: target.range.start.line + 1, cell: target.cell });
  }
  return { text: sources.size ? notebook.withSources(sources) : text, applied };
}

/** A fixed cell keeps the cell's line endings, and its lack of a final line break. */
function keepCellLayout(before: string, after: string): string {
  let out = before.includes('\r\n') ? after.replace(/\r?\n/g, '\r\n') : after;
  if (!/\r?\n$/.test(before)) out = out.replace(/\r?\n$/, '');
  return out;
}

/** Line breaks an edit inserts, in the file's own ending (CR-only, CRLF or LF, whichever it uses most). */
function inFileEndings(text: string, edits: TextEdit[]): TextEdit[] {
  return withLineEnding(edits, lineEndingOf(text));
}

// What the server keeps about one file (a text document, or one cell of a notebook) after an
// analysis. Diagnostics are made from it; code actions, hovers and lenses read it instead of
// analysing again.
import type { Analyzer, AnalyzerOptions, FixVerifier } from '../../analysis/analyzer';
import type { ClipSite, Finding, Language, LoopShape, Range, RelatedLocation, UnclippedStep } from '../../analysis/api';
import { LineMap } from '../../analysis/text';
import { lineEndingOf, type LineEnding } from '../workspace/line-endings';

/** A related location, in another file when `uri` says so (a notebook's other cell). */
export interface LocatedRelated extends RelatedLocation {
  uri?: string;
}

export type ViewFinding = Omit<Finding, 'related'> & { related: LocatedRelated[] };

export interface FileView {
  uri: string;
  /** The document version analysed (for a cell, the cell document's version). */
  version: number;
  language: Language;
  /** This file's text with its line table (for a cell, the cell's own text). */
  lines: LineMap;
  /** The line ending the text uses most: the one every edit sent to the editor inserts (as `--fix` does). */
  readonly eol: LineEnding;
  findings: ViewFinding[];
  clips: ClipSite[];
  unclippedSteps: UnclippedStep[];
  loops: LoopShape[];
  /** Why the file was not (fully) analysed, when it was not. */
  skipped?: string;
  /** Only part of the file was skipped (code nested too deeply): the rest was analysed. */
  partlySkipped?: boolean;
  /** True when the finding's fix re-parses and re-analyses with the finding gone (asked once per finding). */
  verifyFix(finding: ViewFinding): boolean;
  /** The same for many findings at once (fixes that cannot interact are checked together). */
  verifyFixes(findings: readonly ViewFinding[]): boolean[];
}

/** The analysis of a plain text document. */
export function analyseDocument(uri: string, version: number, text: string, analyzer: Analyzer, options: AnalyzerOptions): FileView {
  const result = analyzer.analyze(text, options);
  let lines: LineMap | undefined;
  let eol: LineEnding | undefined;
  return {
    uri,
    version,
    language: analyzer.language,
    // Built on first use: a keystroke in a clean file needs no line table at all.
    get lines() {
      return (lines ??= new LineMap(text));
    },
    // Found only when an action has edits to send.
    get eol() {
      return (eol ??= lineEndingOf(text));
    },
    findings: result.findings,
    clips: result.clips,
    unclippedSteps: result.unclippedSteps,
    loops: result.loops,
    skipped: result.skipped,
    partlySkipped: result.partlySkipped,
    ...verification(analyzer.verifier(text, options)),
  };
}

/** A view's fix checks through one verifier (it remembers each finding's verdict). */
export function verification(verifier: FixVerifier, toRaw: (finding: ViewFinding) => Finding | undefined = (f) => f): Pick<FileView, 'verifyFix' | 'verifyFixes'> {
  const verifyFixes = (findings: readonly ViewFinding[]) => {
    const raw = findings.map(toRaw);
    const known = raw.filter((f): f is Finding => !!f);
    const verdicts = new Map<Finding, boolean>();
    verifier.verifyAll(known).forEach((ok, i) => verdicts.set(known[i], ok));
    return raw.map((f) => (f ? (verdicts.get(f) ?? false) : false));
  };
  return { verifyFix: (finding) => verifyFixes([finding])[0], verifyFixes };
}

export function contains(range: Range, position: { line: number; character: number }): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

export function overlaps(a: Range, b: Range): boolean {
  const startsBeforeEnd = a.start.line < b.end.line || (a.start.line === b.end.line && a.start.character <= b.end.character);
  const endsAfterStart = a.end.line > b.start.line || (a.end.line === b.start.line && a.end.character >= b.start.character);
  return startsBeforeEnd && endsAfterStart;
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

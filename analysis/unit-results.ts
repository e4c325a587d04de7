// What analysing one unit yields, kept per unit so that an unchanged unit is never analysed
// twice: between keystrokes (the unit cache) and between a text and its fixed variants (fix
// verification). Findings are assembled from these candidates at the end.
import type { ClipSite, LoopShape, RuleCode, UnclippedStep } from './api';
import type { Dependency, FrontEndResult } from './frontend';
import type { FindingDraft } from './rules/rule';

/** What one unit contributes to a result: plain data, so it can be kept and reused. */
export interface UnitOutput {
  candidates: Candidate[];
  clips: ClipSite[];
  unclippedSteps: UnclippedStep[];
  loops: LoopShape[];
}

/** A finding as a rule reported it in one unit, before the file's findings are assembled. */
export interface Candidate {
  code: RuleCode;
  draft: Omit<FindingDraft, 'anchor'>;
  /** Identity of the anchor event (shared by its inlined copies) and how deeply it was inlined. */
  origin: { line: number; character: number; kind: string };
  depth: number;
}

export interface CachedUnit {
  anchorLine: number;
  dependencies: Dependency[];
  output: UnitOutput;
  rules: string;
}

/** Results of units kept between analyses of one document, by unit key. */
export type UnitCache = Map<string, CachedUnit>;

/** One text's analysis, unit by unit: what assembling a result, and verifying fixes, read. */
export interface AnalysisRun {
  text: string;
  /** What the front end said about the text (not its units: they hold the whole parse's scopes). */
  front: Pick<FrontEndResult, 'pieceLines' | 'comments' | 'syntaxErrors' | 'partlySkipped'> & {
    /** The edit every clip insertion of this version needs once (an import), made for this text. */
    clipImport?: import('./api').TextEdit;
  };
  units: UnitRun[];
}

export interface UnitRun {
  key: string;
  /** The unit's result as computed or as kept (then its positions are `shift` lines off). */
  unit: CachedUnit;
  reused: boolean;
  shift: number;
}

/** The event a candidate is about, `lines` further down: inlined copies of one event share it. */
export function originKey(c: Candidate, lines = 0): string {
  return `${c.code}@${c.origin.line + lines}:${c.origin.character}:${c.origin.kind}`;
}

/** Where a candidate would be reported, `lines` further down. */
export function placeKey(c: Candidate, lines = 0): string {
  return `${c.code}@${c.draft.range.start.line + lines}:${c.draft.range.start.character}`;
}

/**
 * One finding per event and code, reported where it is most local: an event written in the unit
 * beats its inlined copies; among copies, the shortest chain of helper calls wins.
 */
export function mostLocal(candidates: Candidate[]): Candidate[] {
  const best = new Map<string, number>();
  for (const c of candidates) {
    const k = originKey(c);
    const known = best.get(k);
    if (known === undefined || c.depth < known) best.set(k, c.depth);
  }
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const c of candidates) {
    if (c.depth !== best.get(originKey(c))) continue;
    const at = `${placeKey(c)}:${c.draft.message}`;
    if (seen.has(at)) continue;
    seen.add(at);
    out.push(c);
  }
  return out;
}

// Verifying fixes: a fix is offered or applied only when the fixed text re-parses with no new
// syntax error, its finding is gone and no other finding appeared. The text is analysed once;
// a fixed variant re-analyses only the units its edits reach (the others come from the unit
// cache). Fixes in different definitions, reaching disjoint units, are applied together in one
// variant and judged each by the units it changed, so checking every fix of a file costs about
// one re-analysis of the units they touch, not one re-analysis of the file per fix.
import type { Finding, RuleCode, TextEdit } from './api';
import { applyEdits } from './edits';
import type { LineComments } from './suppression';
import { isSuppressed } from './suppression';
import { LineMap } from './text';
import { originKey, placeKey, type AnalysisRun, type Candidate, type UnitRun } from './unit-results';

type Counts = Map<RuleCode, number>;

interface Baseline {
  run: AnalysisRun;
  counts: Counts;
  lines: LineMap;
  /** Piece ids by start line, ascending. */
  pieces: Array<{ id: number; line: number }>;
  /** Units (by index) that read each piece. */
  readers?: Map<number, number[]>;
  /** Units (by index) holding a candidate with each origin or place key. */
  keys?: Map<string, number[]>;
}

/** A fix in a batch: the pieces its edits touch and the units reading them. */
interface Member {
  finding: Finding & { fix: NonNullable<Finding['fix']> };
  pieces: Set<number>;
  units: Set<number>;
  /** Lines of the text its edits span, and how many lines they add. */
  firstLine: number;
  lastLine: number;
  addedLines: number;
}

export class FixVerifier {
  private base?: Baseline;
  private readonly verdicts = new Map<Finding, boolean>();

  constructor(
    private readonly baseline: () => AnalysisRun,
    private readonly trial: (text: string) => AnalysisRun,
    private readonly maxChars: number,
  ) {}

  verify(finding: Finding): boolean {
    return this.verifyAll([finding])[0];
  }

  /** Verdicts for many fixes of the same text, in order. */
  verifyAll(findings: readonly Finding[]): boolean[] {
    const pending = findings.filter((f): f is Member['finding'] => !!f.fix && !this.verdicts.has(f));
    if (pending.length) {
      let base: Baseline | undefined;
      try {
        base = this.baselineState();
      } catch {
        base = undefined;
      }
      if (!base) for (const f of pending) this.verdicts.set(f, false);
      else for (const group of batches(base, pending)) this.judge(base, group);
    }
    return findings.map((f) => (f.fix ? (this.verdicts.get(f) ?? false) : false));
  }

  private judge(base: Baseline, group: Member[]): void {
    const together = group.length > 1 ? this.together(base, group) : undefined;
    for (const member of group) this.verdicts.set(member.finding, together?.get(member) ?? this.alone(base, member));
  }

  private baselineState(): Baseline {
    if (this.base) return this.base;
    const run = this.baseline();
    const pieces = [...run.front.pieceLines].map(([id, line]) => ({ id, line })).sort((a, b) => a.line - b.line);
    this.base = { run, counts: counts(run.units, run.front.comments), lines: new LineMap(run.text), pieces };
    return this.base;
  }

  /** The fix applied alone: the whole variant's findings against the text's. */
  private alone(base: Baseline, member: Member): boolean {
    try {
      const fixed = applyEdits(base.run.text, member.finding.fix.edits, base.lines);
      if (fixed.length > this.maxChars) return false;
      const after = this.trial(fixed);
      if (after.front.syntaxErrors > base.run.front.syntaxErrors) return false;
      return improves(base.counts, counts(after.units, after.front.comments), member.finding.code);
    } catch {
      return false;
    }
  }

  /**
   * The group's fixes applied together, each judged by the units it changed: the text's counts,
   * less what its old units reported, plus what its new units report. Undefined when the variant
   * does not split cleanly into the members' parts (then each is checked alone); a member whose
   * findings could interact with other units' is left out of the map, to be checked alone.
   */
  private together(base: Baseline, group: Member[]): Map<Member, boolean> | undefined {
    const { run } = base;
    if (run.front.syntaxErrors) return undefined;
    let after: AnalysisRun;
    try {
      const fixed = applyEdits(run.text, group.flatMap((m) => m.finding.fix.edits), base.lines);
      if (fixed.length > this.maxChars) return undefined;
      after = this.trial(fixed);
    } catch {
      return undefined;
    }
    if (after.front.syntaxErrors || after.front.comments.fileIgnored !== run.front.comments.fileIgnored) return undefined;

    // Where each member's edits lie in the variant (members in text order, each shifted by those above).
    const ordered = [...group].sort((a, b) => a.firstLine - b.firstLine);
    const regions = new Map<Member, { first: number; last: number }>();
    let shift = 0;
    for (const m of ordered) {
      regions.set(m, { first: m.firstLine + shift, last: m.lastLine + shift + Math.max(0, m.addedLines) });
      shift += m.addedLines;
    }
    // New pieces (changed text) belong to the member whose edits they hold.
    const known = run.front.pieceLines;
    const starts = [...after.front.pieceLines].map(([id, line]) => ({ id, line })).sort((a, b) => a.line - b.line);
    const ownerOfPiece = new Map<number, Member>();
    let next = 0;
    for (let i = 0; i < starts.length; i++) {
      if (known.has(starts[i].id)) continue;
      const first = starts[i].line;
      const last = i + 1 < starts.length ? starts[i + 1].line - 1 : Number.MAX_SAFE_INTEGER;
      // Regions are ordered and disjoint: skip those that end above this piece.
      while (next < ordered.length && regions.get(ordered[next])!.last < first) next++;
      const owner = ordered[next];
      const region = owner && regions.get(owner)!;
      if (!region || region.first > last) return undefined;
      const another = ordered[next + 1];
      if (another && regions.get(another)!.first <= last) return undefined;
      ownerOfPiece.set(starts[i].id, owner);
    }
    // Every unit that changed belongs to exactly one member.
    const oldParts = new Map<Member, number[]>(group.map((m) => [m, []]));
    const newParts = new Map<Member, number[]>(group.map((m) => [m, []]));
    const ownerOfUnit = new Map<number, Member>();
    for (const m of group) for (const u of m.units) ownerOfUnit.set(u, m);
    const kept = new Set(after.units.filter((u) => u.reused).map((u) => u.key));
    for (let i = 0; i < run.units.length; i++) {
      if (kept.has(run.units[i].key)) continue;
      const owner = ownerOfUnit.get(i);
      if (!owner) return undefined;
      oldParts.get(owner)!.push(i);
    }
    for (let i = 0; i < after.units.length; i++) {
      const unit = after.units[i];
      if (unit.reused) continue;
      const owners = new Set(unit.unit.dependencies.map((d) => ownerOfPiece.get(d.piece)).filter((m): m is Member => !!m));
      if (owners.size !== 1) return undefined;
      newParts.get([...owners][0])!.push(i);
    }

    const baseKeys = keyIndex(base, run.units);
    const afterKeys = candidateKeys(after.units);
    const verdicts = new Map<Member, boolean>();
    for (const member of group) {
      const oldUnits = oldParts.get(member)!;
      const newUnits = newParts.get(member)!;
      // The member's candidates must not share an event or a place with any other unit's:
      // then its units' findings are decided among themselves, as when the fix is applied alone.
      if (!isolated(run.units, oldUnits, baseKeys) || !isolated(after.units, newUnits, afterKeys)) continue;
      const before = counts(oldUnits.map((i) => run.units[i]), run.front.comments);
      const now = counts(newUnits.map((i) => after.units[i]), after.front.comments);
      const total = new Map(base.counts);
      for (const [code, n] of before) total.set(code, (total.get(code) ?? 0) - n);
      for (const [code, n] of now) total.set(code, (total.get(code) ?? 0) + n);
      verdicts.set(member, improves(base.counts, total, member.finding.code));
    }
    return verdicts;
  }
}

/** Fewer findings of the fix's own code, and no more of any code. */
function improves(before: Counts, after: Counts, code: RuleCode): boolean {
  if ((after.get(code) ?? 0) >= (before.get(code) ?? 0)) return false;
  for (const [c, n] of after) if (n > (before.get(c) ?? 0)) return false;
  return true;
}

/**
 * Fixes in batches that can be tried together: in each batch no two fixes touch the same piece
 * of the file or a unit that reads one another touches.
 */
function batches(base: Baseline, findings: Member['finding'][]): Member[][] {
  const readers = (base.readers ??= pieceReaders(base.run.units));
  const groups: Array<{ members: Member[]; pieces: Set<number>; units: Set<number> }> = [];
  for (const finding of findings) {
    const member = describe(base, finding, readers);
    if (!member) {
      groups.push({ members: [{ finding, pieces: new Set(), units: new Set(), firstLine: 0, lastLine: 0, addedLines: 0 }], pieces: new Set([-1]), units: new Set() });
      continue;
    }
    const fits = groups.find((g) => !g.pieces.has(-1) && ![...member.pieces].some((p) => g.pieces.has(p)) && ![...member.units].some((u) => g.units.has(u)));
    if (fits) {
      fits.members.push(member);
      for (const p of member.pieces) fits.pieces.add(p);
      for (const u of member.units) fits.units.add(u);
    } else groups.push({ members: [member], pieces: new Set(member.pieces), units: new Set(member.units) });
  }
  return groups.map((g) => g.members);
}

function describe(base: Baseline, finding: Member['finding'], readers: Map<number, number[]>): Member | undefined {
  const edits = finding.fix.edits;
  if (!edits.length) return undefined;
  const pieces = new Set<number>();
  let firstLine = Infinity;
  let lastLine = -Infinity;
  let addedLines = 0;
  for (const edit of edits) {
    const { start, end } = edit.range;
    firstLine = Math.min(firstLine, start.line);
    lastLine = Math.max(lastLine, end.line);
    addedLines += lineBreaks(edit.newText) - (end.line - start.line);
    for (const id of piecesOf(base.pieces, edit)) pieces.add(id);
  }
  const units = new Set<number>();
  for (const id of pieces) for (const u of readers.get(id) ?? []) units.add(u);
  return { finding, pieces, units, firstLine, lastLine, addedLines };
}

/** The pieces an edit's lines lie in; an insertion at the start of a piece touches the one before too. */
function piecesOf(pieces: Baseline['pieces'], edit: TextEdit): number[] {
  const at = (line: number) => {
    let lo = 0;
    let hi = pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (pieces[mid].line <= line) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  if (!pieces.length) return [];
  const { start, end } = edit.range;
  let first = at(start.line);
  const last = at(end.line);
  if (start.character === 0 && pieces[first].line === start.line && first > 0) first--;
  return pieces.slice(first, last + 1).map((p) => p.id);
}

function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

function pieceReaders(units: UnitRun[]): Map<number, number[]> {
  const readers = new Map<number, number[]>();
  units.forEach((u, i) => {
    for (const d of u.unit.dependencies) {
      const list = readers.get(d.piece);
      if (list) list.push(i);
      else readers.set(d.piece, [i]);
    }
  });
  return readers;
}

function keyIndex(base: Baseline, units: UnitRun[]): Map<string, number[]> {
  return (base.keys ??= candidateKeys(units));
}

/** Units holding a candidate with each origin or place key, in the run's own coordinates. */
function candidateKeys(units: UnitRun[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  const add = (key: string, unit: number) => {
    const list = index.get(key);
    if (!list) index.set(key, [unit]);
    else if (list[list.length - 1] !== unit) list.push(unit);
  };
  units.forEach((u, i) => {
    for (const c of u.unit.output.candidates) {
      add(originKey(c, u.shift), i);
      add(placeKey(c, u.shift), i);
    }
  });
  return index;
}

/** No candidate of these units shares a key with a candidate of any other unit. */
function isolated(units: UnitRun[], part: number[], index: Map<string, number[]>): boolean {
  const own = new Set(part);
  for (const i of part) {
    for (const c of units[i].unit.output.candidates) {
      for (const key of [originKey(c, units[i].shift), placeKey(c, units[i].shift)]) {
        if (index.get(key)?.some((u) => !own.has(u))) return false;
      }
    }
  }
  return true;
}

/** Findings per code that these units make: most local per event, not suppressed (positions moved by each unit's shift). */
function counts(units: UnitRun[], comments: LineComments): Counts {
  const result: Counts = new Map();
  if (comments.fileIgnored) return result;
  const items: Array<{ c: Candidate; shift: number }> = [];
  for (const u of units) for (const c of u.unit.output.candidates) items.push({ c, shift: u.shift });
  const best = new Map<string, number>();
  for (const { c, shift } of items) {
    const k = originKey(c, shift);
    const known = best.get(k);
    if (known === undefined || c.depth < known) best.set(k, c.depth);
  }
  const seen = new Set<string>();
  for (const { c, shift } of items) {
    if (c.depth !== best.get(originKey(c, shift))) continue;
    const at = `${placeKey(c, shift)}:${shift ? shiftedMessage(c.draft.message, shift) : c.draft.message}`;
    if (seen.has(at)) continue;
    seen.add(at);
    const lines = (r: { start: { line: number }; end: { line: number } }) => ({ start: { line: r.start.line + shift, character: 0 }, end: { line: r.end.line + shift, character: 0 } });
    if (isSuppressed({ code: c.code, range: lines(c.draft.range), statementRange: lines(c.draft.statementRange) }, comments)) continue;
    result.set(c.code, (result.get(c.code) ?? 0) + 1);
  }
  return result;
}

function shiftedMessage(message: string, lines: number): string {
  return message.replace(/\bline (\d+)\b/g, (_m, n: string) => `line ${Number(n) + lines}`);
}

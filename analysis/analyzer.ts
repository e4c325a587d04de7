// The analysis entry point: text in, findings (with fixes), clip sites and loop shapes out.
// Never throws: oversized, binary or unreadable input is skipped with a reason.
import type { AnalysisOptions, AnalysisResult, Finding, Language, RuleCode, Severity, TextEdit, UnclippedStep } from './api';
import type { FrontEnd, FrontEndResult } from './frontend';
import { mostLocal, type AnalysisRun, type CachedUnit, type Candidate, type UnitCache, type UnitOutput, type UnitRun } from './unit-results';
import { FixVerifier } from './fix-verifier';
import type { Unit } from './model/graph';
import type { StepEvent } from './model/events';
import { frontEndEntry } from './frontends';
import { syntaxOf } from './syntax';
import type { ProjectContext } from './project/context';
import { RULES } from './rules/catalogue';
import { orderingVerdicts } from './rules/ordering';
import { docUrl, type Rule } from './rules/rule';
import { insertBefore } from './rules/fixes';
import { decideSafety } from './safe-fix';
import { loopShapes } from './loop-shape';
import { isSuppressed } from './suppression';
import { comparePositions, type SourceLines } from './text';

export const DEFAULT_MAX_CHARS = 5_000_000;

export interface AnalyzerOptions extends AnalysisOptions {
  /** Per-rule severity, or 'off' to disable the rule. */
  severities?: Partial<Record<RuleCode, Severity | 'off'>>;
  /** The project around the file: its imports of the project's other modules are followed. */
  project?: ProjectContext;
}

/**
 * An analyzer for one document: keeps the parse of unchanged code between calls. Results depend
 * only on the text and the options (no clock decides anything), so the same file always gives
 * the same findings.
 */
export { FixVerifier };

export class Analyzer {
  private readonly front: FrontEnd;
  private units: UnitCache = new Map();
  /** The last text analysed with `analyze`, unit by unit (fix verification starts from it). */
  private last?: { text: string; rules: string; severities: string; run: AnalysisRun; result: AnalysisResult };

  /** `front`: the language's own front end unless another is given (tests compare front-end modes). */
  constructor(readonly language: Language = 'python', front?: FrontEnd) {
    this.front = front ?? frontEndEntry(language).create();
  }

  analyze(text: string, options: AnalyzerOptions = {}): AnalysisResult {
    const skip = skipReason(text, options);
    if (skip) return emptyResult(skip);
    try {
      const front = this.frontEnd(text, false, options);
      const next: UnitCache = new Map();
      const run = this.run(text, front, options);
      const result = assemble(run, options, next);
      // Keep what this version used: memory stays bounded by the document.
      this.units = next;
      // Fix verification compares variants with this version, in its own positions.
      const units = run.units.map((u) => ({ ...u, unit: next.get(u.key) ?? u.unit, shift: 0 }));
      this.last = { text, rules: rulesKey(options), severities: severitiesKey(options), run: { text, front: run.front, units }, result };
      return result;
    } catch (error) {
      this.last = undefined;
      return emptyResult(`analysis failed: ${(error as Error).message}`);
    }
  }

  /** Analysis of a variant of the last text (a fix applied) without disturbing the cache. */
  analyzeTrial(text: string, options: AnalyzerOptions = {}): AnalysisResult & { syntaxErrors: number } {
    const run = this.trialRun(text, options);
    return { ...assemble(run, options), syntaxErrors: run.front.syntaxErrors };
  }

  /**
   * A verifier for fixes of `text`'s findings: a fix is good when applying it re-parses without
   * new syntax errors, removes its finding and adds no other. `text` is analysed once for all of
   * them, and a fixed variant re-analyses only the units its edits change (the others come from
   * the unit cache); `verifyAll` checks fixes in different definitions together in one variant.
   */
  verifier(text: string, options: AnalyzerOptions = {}): FixVerifier {
    const baseline = (): AnalysisRun => {
      const last = this.last;
      if (last?.text === text && last.rules === rulesKey(options) && last.severities === severitiesKey(options)) return last.run;
      this.analyze(text, options);
      if (this.last?.text !== text) throw new Error('the text could not be analysed');
      return this.last.run;
    };
    return new FixVerifier(baseline, (fixed) => this.trialRun(fixed, options), options.maxChars ?? DEFAULT_MAX_CHARS);
  }

  /** One fix checked on its own (see `verifier`, which shares the analysis of `text` across fixes). */
  verifyFix(text: string, finding: Finding, options: AnalyzerOptions = {}): boolean {
    return this.verifier(text, options).verify(finding);
  }

  /** Units the variant shares with the last analysis are read from the cache, never written to it. */
  private trialRun(text: string, options: AnalyzerOptions): AnalysisRun {
    return this.run(text, this.frontEnd(text, true, options), options);
  }

  /** The units of a front end's result, built or taken from the cache, with what the run keeps of the front end. */
  private run(text: string, front: FrontEndResult, options: AnalyzerOptions): AnalysisRun {
    const units = runUnits(front, options, this.units);
    return { text, front: facts(front, units), units };
  }

  private frontEnd(text: string, trial: boolean, options: AnalyzerOptions): FrontEndResult {
    return trial ? this.front.trial(text, options.project) : this.front.run(text, options.project);
  }
}

function facts(front: FrontEndResult, units: UnitRun[]): AnalysisRun['front'] {
  // Made now, so the run does not hold the parse: only when some step may get a clip inserted.
  const inserting = units.some((u) => u.unit.output.unclippedSteps.length > 0);
  const clipImport = inserting ? front.source.syntax?.clipImport?.() : undefined;
  return { pieceLines: front.pieceLines, comments: front.comments, syntaxErrors: front.syntaxErrors, partlySkipped: front.partlySkipped, clipImport };
}

function severitiesKey(options: AnalyzerOptions): string {
  return JSON.stringify(options.severities ?? {});
}

/** One-off analysis of a text. */
export function analyzeText(text: string, language: Language = 'python', options: AnalyzerOptions = {}): AnalysisResult {
  return new Analyzer(language).analyze(text, options);
}

function skipReason(text: string, options: AnalysisOptions): string | undefined {
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (text.length > max) return `file has ${text.length.toLocaleString('en-US')} characters, more than the ${max.toLocaleString('en-US')} analysed`;
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return 'file looks binary (it contains NUL bytes)';
  const replacements = head.split('\uFFFD').length - 1;
  if (replacements > 8 && replacements > head.length / 100) return 'file is not valid UTF-8 text';
  return undefined;
}

function emptyResult(skipped: string): AnalysisResult {
  return { findings: [], clips: [], unclippedSteps: [], loops: [], skipped };
}

function enabledRules(options: AnalyzerOptions): Rule[] {
  return RULES.filter((rule) => {
    if (options.select && !options.select.includes(rule.code)) return false;
    if (options.ignore?.includes(rule.code)) return false;
    return options.severities?.[rule.code] !== 'off';
  });
}

function rulesKey(options: AnalyzerOptions): string {
  return enabledRules(options).map((r) => r.code).join(',');
}

/** Every unit of the file, each either built or taken from `previous` (when its code and everything it read are unchanged). */
function runUnits(front: FrontEndResult, options: AnalyzerOptions, previous?: UnitCache): UnitRun[] {
  const source = () => front.source;
  const enabled = enabledRules(options);
  const rules = enabled.map((r) => r.code).join(',');
  const runs: UnitRun[] = [];
  for (const unitSource of front.units) {
    const kept = previous?.get(unitSource.key);
    if (kept && kept.rules === rules && dependenciesHold(kept, unitSource.anchorLine, front.pieceLines)) {
      runs.push({ key: unitSource.key, unit: kept, reused: true, shift: unitSource.anchorLine - kept.anchorLine });
      continue;
    }
    const { unit, dependencies } = unitSource.build();
    const output = unitOutput(unit, enabled, source);
    runs.push({ key: unitSource.key, unit: { anchorLine: unitSource.anchorLine, dependencies, output, rules }, reused: false, shift: 0 });
  }
  return runs;
}

/** The result of a run; `next`, when given, receives every unit as this version has it (the cache). */
function assemble(run: AnalysisRun, options: AnalyzerOptions, next?: UnitCache): AnalysisResult {
  const { front } = run;
  const outputs: UnitOutput[] = [];
  for (const { key, unit, shift } of run.units) {
    const moved = shift ? { ...unit, anchorLine: unit.anchorLine + shift, output: shifted(unit.output, shift) } : unit;
    outputs.push(moved.output);
    next?.set(key, moved);
  }
  const skipped: string | undefined = front.partlySkipped;

  const findings: Finding[] = [];
  if (!front.comments.fileIgnored) {
    for (const { draft, code } of mostLocal(outputs.flatMap((o) => o.candidates))) {
      const rule = RULES.find((r) => r.code === code)!;
      const severity = options.severities?.[code];
      const finding: Finding = {
        code,
        name: rule.name,
        severity: severity && severity !== 'off' ? severity : rule.severity,
        message: draft.message,
        range: draft.range,
        statementRange: draft.statementRange,
        related: draft.related,
        fix: decideSafety(draft.fix, run.text),
        docUrl: docUrl(code),
      };
      if (!isSuppressed(finding, front.comments)) findings.push(finding);
    }
  }
  findings.sort((a, b) => comparePositions(a.range.start, b.range.start) || a.code.localeCompare(b.code));
  return {
    findings,
    clips: dedupeByRange(outputs.flatMap((o) => o.clips)),
    unclippedSteps: withClipImport(dedupeByRange(outputs.flatMap((o) => o.unclippedSteps)), front),
    loops: outputs.flatMap((o) => o.loops),
    skipped,
    partlySkipped: skipped ? true : undefined,
  };
}

function unitOutput(unit: Unit, rules: readonly Rule[], source: () => SourceLines): UnitOutput {
  const ordering = orderingVerdicts(unit);
  const context = { unit, ordering, get source() { return source(); } };
  const candidates: Candidate[] = [];
  for (const rule of rules) {
    for (const { anchor, ...draft } of rule.check(context)) {
      const start = anchor.site.range.start;
      candidates.push({ code: rule.code, draft, origin: { line: start.line, character: start.character, kind: anchor.kind }, depth: anchor.via.length });
    }
  }
  const output: UnitOutput = { candidates, clips: [], unclippedSteps: [], loops: [] };
  collectSites(unit, ordering, source, output);
  return output;
}

/** A kept result still holds when every piece it read is present and sits where it did, relative to the unit. */
function dependenciesHold(kept: CachedUnit, anchorLine: number, pieceLines: Map<number, number>): boolean {
  for (const dependency of kept.dependencies) {
    const line = pieceLines.get(dependency.piece);
    if (line === undefined || line - anchorLine !== dependency.offset) return false;
  }
  return true;
}

/** A copy of a kept result moved down (or up) by `lines`: positions, and line numbers in messages. */
function shifted<T>(value: T, lines: number): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.line === 'number' && (typeof o.character === 'number' || key === 'origin')) {
        const copy: Record<string, unknown> = { ...o, line: o.line + lines };
        return copy;
      }
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(o)) out[k] = walk(item, k);
      return out;
    }
    if (typeof v === 'string' && key === 'message') return v.replace(/\bline (\d+)\b/g, (_m, n: string) => `line ${Number(n) + lines}`);
    return v;
  };
  return walk(value) as T;
}

function collectSites(unit: Unit, ordering: ReturnType<typeof orderingVerdicts>, source: () => SourceLines, output: UnitOutput): void {
  const { clips, unclippedSteps, loops } = output;
  const own: StepEvent[] = [];
  for (const node of unit.graph.nodes) for (const event of node.events) if (event.via.length === 0) own.push(event);
  for (const event of own) {
    if (event.kind !== 'clip' || !event.clip) continue;
    const c = event.clip;
    clips.push({
      range: event.site.range,
      callee: c.callee,
      kind: c.kind === 'missing' ? 'framework' : c.kind,
      maxNorm: c.maxNorm,
      clipValue: c.clipValue,
      normType: c.normType,
    });
  }
  for (const step of ordering.unclippedSteps) {
    if (step.event.via.length) continue;
    const optimizer = step.event.optimizer ?? 'optimizer';
    const syntax = syntaxOf(source());
    const clip = syntax.clipCall?.(optimizer);
    if (!clip) continue;
    const lines: string[] = [];
    if (step.event.scaler) lines.push(syntax.unscaleCall(step.event.scaler, optimizer));
    lines.push(clip);
    const edits: TextEdit[] = [];
    for (const line of lines) edits.push(...(insertBefore(source(), step.event.site, line) ?? []));
    if (edits.length === lines.length) unclippedSteps.push({ range: step.event.site.range, insertClip: mergeInsertions(edits) });
  }
  loops.push(...loopShapes(unit, ordering, output.candidates));
}

/**
 * The edit every clip insertion of the file needs once (TypeScript: the engine's clip added to
 * its import), made for this version of the text: kept unit results move with their unit, and an
 * import does not.
 */
function withClipImport(steps: UnclippedStep[], front: AnalysisRun['front']): UnclippedStep[] {
  const addImport = steps.length ? front.clipImport : undefined;
  return addImport ? steps.map((step) => ({ ...step, insertClip: [addImport, ...step.insertClip] })) : steps;
}

function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  if (edits.length < 2) return edits;
  return [{ range: edits[0].range, newText: edits.map((e) => e.newText).join('') }];
}

function dedupeByRange<T extends { range: import('./api').Range }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.range.start.line}:${item.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

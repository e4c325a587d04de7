// The analysis entry point: text in, findings (with fixes), clip sites and loop shapes out.
// Never throws: oversized, binary or unreadable input is skipped with a reason.
import type { AnalysisOptions, AnalysisResult, ClipSite, Finding, Language, LoopShape, RuleCode, Severity, TextEdit, UnclippedStep } from './api';
import type { Dependency, FrontEndResult } from './frontend';
import type { Unit } from './model/graph';
import type { StepEvent } from './model/events';
import { PythonFrontEnd } from './python';
import { RULES } from './rules/catalogue';
import { orderingVerdicts } from './rules/ordering';
import { docUrl, type FindingDraft, type Rule } from './rules/rule';
import { insertBefore } from './rules/fixes';
import { loopShapes } from './loop-shape';
import { isSuppressed } from './suppression';
import { applyEdits } from './edits';
import { comparePositions, type SourceLines } from './text';

export const DEFAULT_MAX_CHARS = 5_000_000;
export const DEFAULT_TIME_BUDGET_MS = 2_000;

export interface AnalyzerOptions extends AnalysisOptions {
  /** Per-rule severity, or 'off' to disable the rule. */
  severities?: Partial<Record<RuleCode, Severity | 'off'>>;
}

/** An analyzer for one document: keeps the parse of unchanged code between calls. */
export class Analyzer {
  private readonly python = new PythonFrontEnd();
  private units: UnitCache = new Map();

  constructor(readonly language: Language = 'python') {}

  analyze(text: string, options: AnalyzerOptions = {}): AnalysisResult {
    const skip = skipReason(text, options);
    if (skip) return emptyResult(skip);
    try {
      const started = performance.now();
      const front = this.frontEnd(text, false);
      const next: UnitCache = new Map();
      const result = collect(front, options, started, { previous: this.units, next });
      // Keep what this version used: memory stays bounded by the document.
      this.units = next;
      return result;
    } catch (error) {
      return emptyResult(`analysis failed: ${(error as Error).message}`);
    }
  }

  /** Analysis of a variant of the last text (a fix applied) without disturbing the cache. */
  analyzeTrial(text: string, options: AnalyzerOptions = {}): AnalysisResult & { syntaxErrors: number } {
    const front = this.frontEnd(text, true);
    return { ...collect(front, options, performance.now()), syntaxErrors: front.syntaxErrors };
  }

  /**
   * True when applying `finding`'s fix to `text` re-parses without new syntax errors, removes
   * that finding and adds no other.
   */
  verifyFix(text: string, finding: Finding, options: AnalyzerOptions = {}): boolean {
    if (!finding.fix) return false;
    try {
      const before = this.analyzeTrial(text, options);
      const fixed = applyEdits(text, finding.fix.edits);
      const after = this.analyzeTrial(fixed, options);
      if (after.syntaxErrors > before.syntaxErrors) return false;
      const count = (r: AnalysisResult, code: string) => r.findings.filter((f) => f.code === code).length;
      if (count(after, finding.code) >= count(before, finding.code)) return false;
      for (const f of after.findings) if (count(after, f.code) > count(before, f.code)) return false;
      // Idempotent: the fixed text has no fix of this code at the same place any more.
      return true;
    } catch {
      return false;
    }
  }

  private frontEnd(text: string, trial: boolean): FrontEndResult {
    if (this.language !== 'python') throw new Error(`no front end for ${this.language} yet`);
    return trial ? this.python.trial(text) : this.python.run(text);
  }
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

/** What one unit contributes to a result: plain data, so it can be kept and reused. */
interface UnitOutput {
  candidates: Candidate[];
  clips: ClipSite[];
  unclippedSteps: UnclippedStep[];
  loops: LoopShape[];
}

interface Candidate {
  code: RuleCode;
  draft: Omit<FindingDraft, 'anchor'>;
  /** Identity of the anchor event (shared by its inlined copies) and how deeply it was inlined. */
  origin: { line: number; character: number; kind: string };
  depth: number;
}

interface CachedUnit {
  anchorLine: number;
  dependencies: Dependency[];
  output: UnitOutput;
  rules: string;
}

/** Results of units kept between analyses of one document, by unit key. */
export type UnitCache = Map<string, CachedUnit>;

function collect(front: FrontEndResult, options: AnalyzerOptions, started: number, cache?: { previous: UnitCache; next: UnitCache }): AnalysisResult {
  const source = () => front.source;
  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const enabled = RULES.filter((rule) => {
    if (options.select && !options.select.includes(rule.code)) return false;
    if (options.ignore?.includes(rule.code)) return false;
    return options.severities?.[rule.code] !== 'off';
  });
  const rulesKey = enabled.map((r) => r.code).join(',');
  const outputs: UnitOutput[] = [];
  let skipped: string | undefined = front.partlySkipped;

  for (const unitSource of front.units) {
    if (performance.now() - started > budget) {
      skipped = `analysis stopped after ${budget} ms (time budget); findings may be incomplete`;
      break;
    }
    const kept = cache?.previous.get(unitSource.key);
    if (kept && kept.rules === rulesKey && dependenciesHold(kept, unitSource.anchorLine, front.pieceLines)) {
      const shift = unitSource.anchorLine - kept.anchorLine;
      const output = shift ? shifted(kept.output, shift) : kept.output;
      outputs.push(output);
      cache!.next.set(unitSource.key, shift ? { ...kept, anchorLine: unitSource.anchorLine, output } : kept);
      continue;
    }
    const { unit, dependencies } = unitSource.build();
    const output = unitOutput(unit, enabled, source);
    outputs.push(output);
    cache?.next.set(unitSource.key, { anchorLine: unitSource.anchorLine, dependencies, output, rules: rulesKey });
  }

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
        fix: draft.fix,
        docUrl: docUrl(code),
      };
      if (!isSuppressed(finding, front.comments)) findings.push(finding);
    }
  }
  findings.sort((a, b) => comparePositions(a.range.start, b.range.start) || a.code.localeCompare(b.code));
  return {
    findings,
    clips: dedupeByRange(outputs.flatMap((o) => o.clips)),
    unclippedSteps: dedupeByRange(outputs.flatMap((o) => o.unclippedSteps)),
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

/**
 * One finding per event and code, reported where it is most local: an event written in the unit
 * beats its inlined copies; among copies, the shortest chain of helper calls wins.
 */
function mostLocal(candidates: Candidate[]): Candidate[] {
  const key = (c: Candidate) => `${c.code}@${c.origin.line}:${c.origin.character}:${c.origin.kind}`;
  const best = new Map<string, number>();
  for (const c of candidates) {
    const k = key(c);
    const known = best.get(k);
    if (known === undefined || c.depth < known) best.set(k, c.depth);
  }
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const c of candidates) {
    if (c.depth !== best.get(key(c))) continue;
    const at = `${c.code}@${c.draft.range.start.line}:${c.draft.range.start.character}:${c.draft.message}`;
    if (seen.has(at)) continue;
    seen.add(at);
    out.push(c);
  }
  return out;
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
    const params = `[p for group in ${optimizer}.param_groups for p in group["params"]]`;
    const lines: string[] = [];
    if (step.event.scaler) lines.push(`${step.event.scaler}.unscale_(${optimizer})`);
    lines.push(`torch.nn.utils.clip_grad_norm_(${params}, max_norm=1.0)`);
    const edits: TextEdit[] = [];
    for (const line of lines) edits.push(...(insertBefore(source(), step.event.site, line) ?? []));
    if (edits.length === lines.length) unclippedSteps.push({ range: step.event.site.range, insertClip: mergeInsertions(edits) });
  }
  loops.push(...loopShapes(unit, ordering, output.candidates));
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

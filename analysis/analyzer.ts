// The analysis entry point: text in, findings (with fixes), clip sites and loop shapes out.
// Never throws: oversized, binary or unreadable input is skipped with a reason.
import type { AnalysisOptions, AnalysisResult, ClipSite, Finding, Language, LoopShape, RuleCode, Severity, TextEdit, UnclippedStep } from './api';
import type { FrontEndResult } from './frontend';
import type { StepEvent } from './model/events';
import { PythonFrontEnd } from './python';
import { RULES } from './rules/catalogue';
import { orderingVerdicts } from './rules/ordering';
import { docUrl, type FindingDraft } from './rules/rule';
import { insertBefore } from './rules/fixes';
import { fileIgnored, isSuppressed } from './suppression';
import { applyEdits } from './edits';
import { LineMap, comparePositions } from './text';

export const DEFAULT_MAX_CHARS = 5_000_000;
export const DEFAULT_TIME_BUDGET_MS = 2_000;

export interface AnalyzerOptions extends AnalysisOptions {
  /** Per-rule severity, or 'off' to disable the rule. */
  severities?: Partial<Record<RuleCode, Severity | 'off'>>;
}

/** An analyzer for one document: keeps the parse of unchanged code between calls. */
export class Analyzer {
  private readonly python = new PythonFrontEnd();

  constructor(readonly language: Language = 'python') {}

  analyze(text: string, options: AnalyzerOptions = {}): AnalysisResult {
    const skip = skipReason(text, options);
    if (skip) return emptyResult(skip);
    try {
      const started = performance.now();
      const front = this.frontEnd(text, false);
      return collect(text, front, options, started);
    } catch (error) {
      return emptyResult(`analysis failed: ${(error as Error).message}`);
    }
  }

  /** Analysis of a variant of the last text (a fix applied) without disturbing the cache. */
  analyzeTrial(text: string, options: AnalyzerOptions = {}): AnalysisResult & { syntaxErrors: number } {
    const front = this.frontEnd(text, true);
    return { ...collect(text, front, options, performance.now()), syntaxErrors: front.syntaxErrors };
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

function collect(text: string, front: FrontEndResult, options: AnalyzerOptions, started: number): AnalysisResult {
  const source = new LineMap(text);
  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const enabled = RULES.filter((rule) => {
    if (options.select && !options.select.includes(rule.code)) return false;
    if (options.ignore?.includes(rule.code)) return false;
    return options.severities?.[rule.code] !== 'off';
  });
  const candidates: Array<{ draft: FindingDraft; code: RuleCode }> = [];
  const clips: ClipSite[] = [];
  const unclippedSteps: UnclippedStep[] = [];
  const loops: LoopShape[] = [];
  let skipped: string | undefined;

  for (const unit of front.units) {
    if (performance.now() - started > budget) {
      skipped = `analysis stopped after ${budget} ms (time budget); findings may be incomplete`;
      break;
    }
    const ordering = orderingVerdicts(unit);
    for (const rule of enabled) for (const draft of rule.check({ unit, ordering, source })) candidates.push({ draft, code: rule.code });
    collectSites(unit, ordering, source, clips, unclippedSteps, loops);
  }

  const findings: Finding[] = [];
  if (!fileIgnored(front.comments)) {
    for (const { draft, code } of mostLocal(candidates)) {
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
  return { findings, clips: dedupeByRange(clips), unclippedSteps: dedupeByRange(unclippedSteps), loops, skipped };
}

/**
 * One finding per event and code, reported where it is most local: an event written in the unit
 * beats its inlined copies; among copies, the shortest chain of helper calls wins.
 */
function mostLocal(candidates: Array<{ draft: FindingDraft; code: RuleCode }>): Array<{ draft: FindingDraft; code: RuleCode }> {
  const best = new Map<string, number>();
  const key = (c: { draft: FindingDraft; code: RuleCode }) => `${c.code}@${c.draft.anchor.origin}`;
  for (const c of candidates) {
    const depth = c.draft.anchor.via.length;
    const k = key(c);
    if (!best.has(k) || depth < best.get(k)!) best.set(k, depth);
  }
  // A clip's ordering findings are one per clip: the most local code wins across CLP001/002/004.
  const seen = new Set<string>();
  const out = [];
  for (const c of candidates) {
    if (c.draft.anchor.via.length !== best.get(key(c))) continue;
    const at = `${c.code}@${c.draft.range.start.line}:${c.draft.range.start.character}:${c.draft.message}`;
    if (seen.has(at)) continue;
    seen.add(at);
    out.push(c);
  }
  return out;
}

function collectSites(
  unit: import('./model/graph').Unit,
  ordering: ReturnType<typeof orderingVerdicts>,
  source: LineMap,
  clips: ClipSite[],
  unclippedSteps: UnclippedStep[],
  loops: LoopShape[],
): void {
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
    for (const line of lines) edits.push(...(insertBefore(source, step.event.site, line) ?? []));
    if (edits.length === lines.length) unclippedSteps.push({ range: step.event.site.range, insertClip: mergeInsertions(edits) });
  }
  const kinds = [...own].sort((a, b) => comparePositions(a.site.range.start, b.site.range.start));
  if (kinds.some((e) => e.kind === 'backward') && kinds.some((e) => e.kind === 'step')) {
    const clip = kinds.find((e) => e.kind === 'clip')?.clip;
    const step = kinds.find((e) => e.kind === 'step');
    loops.push({
      range: unit.range,
      order: kinds.map((e) => (e.kind === 'zero' ? 'zero_grad' : e.kind)),
      maxNorm: clip?.maxNorm,
      optimizer: step?.optimizer,
    });
  }
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

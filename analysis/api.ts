// The public contract of the analysis library: what the CLI and the language server consume.
// Positions are LSP-compatible (0-based line, 0-based UTF-16 column) so the server passes them
// through untouched; the CLI adds 1 when it prints.

export type RuleCode =
  | 'CLP001' | 'CLP002' | 'CLP003' | 'CLP004' | 'CLP005' | 'CLP006'
  | 'CLP007' | 'CLP008' | 'CLP009' | 'CLP010' | 'CLP011';

export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  /** Imperative title for a quick-fix menu, e.g. "Move clip_grad_norm_ before optimizer.step()". */
  title: string;
  edits: TextEdit[];
  /** Safe fixes are applied by `--fix` and fix-all on save; others only on explicit request. */
  safe: boolean;
}

export interface RelatedLocation {
  range: Range;
  message: string;
}

export interface Finding {
  code: RuleCode;
  name: string;
  severity: Severity;
  message: string;
  /** The offending call (the clip call; the zero_grad call for CLP005; the deprecated call for CLP006). */
  range: Range;
  /** The whole statement holding the offending call. */
  statementRange: Range;
  /** The backward / step / unscale_ calls that make this a finding. */
  related: RelatedLocation[];
  fix?: Fix;
  /** Documentation page for the rule (`codeDescription.href`). */
  docUrl: string;
}

/** A clip call the analyzer recognised, whether or not it is wrong: for hovers, code lenses and the Lab. */
export interface ClipSite {
  range: Range;
  /** The callee as written, e.g. "torch.nn.utils.clip_grad_norm_". */
  callee: string;
  kind: 'norm' | 'value' | 'with-norm' | 'framework';
  maxNorm?: number;
  clipValue?: number;
  normType?: number;
}

/** An optimizer step with no clip on any path from its backward: where "add clipping" is offered. */
export interface UnclippedStep {
  range: Range;
  /** Edits that insert a clip (and `unscale_` under a GradScaler) directly before the step. */
  insertClip: TextEdit[];
}

/** The order of training calls in one loop, for the Lab's "this loop" preset. */
export interface LoopShape {
  range: Range;
  /** Events in source order within the loop body: "zero_grad", "backward", "clip", "unscale", "step". */
  order: string[];
  maxNorm?: number;
  learningRate?: number;
  optimizer?: string;
}

export interface AnalysisResult {
  findings: Finding[];
  clips: ClipSite[];
  unclippedSteps: UnclippedStep[];
  loops: LoopShape[];
  /** Set when the file was not analysed (too large, binary, timed out): a reason a person can read. */
  skipped?: string;
  /** The skip covers only part of the file (code nested too deeply, the time budget): the rest was analysed. */
  partlySkipped?: boolean;
}

export type Language = 'python' | 'typescript';

export interface AnalysisOptions {
  /** Only these rules (default: all). */
  select?: RuleCode[];
  /** Never these rules. */
  ignore?: RuleCode[];
  /** Files past this many characters are skipped with a reason (default 5,000,000). */
  maxChars?: number;
  /** Wall-clock budget in ms after which analysis stops and reports a skip (default 2,000). */
  timeBudgetMs?: number;
}

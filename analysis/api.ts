// The public contract of the analysis library: what the CLI and the language server consume.
// Positions are LSP-compatible (0-based line, 0-based UTF-16 column) so the server passes them
// through untouched; the CLI adds 1 when it prints.

/** A rule's code, e.g. 'CLP002': derived from the rule list (rules/catalogue.ts). */
export type { RuleCode } from './rules/catalogue';
import type { RuleCode } from './rules/catalogue';

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
  /** The file it is in, when it is another module of the project than the finding's (an absolute `/` path). */
  file?: string;
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

/** A training call in one pass of a loop. */
export type LoopCallName = 'zero_grad' | 'backward' | 'unscale' | 'clip' | 'step';

export interface LoopCall {
  call: LoopCallName;
  /** Runs only when an accumulation window ends (inside `if (i + 1) % k == 0:`, `if accelerator.sync_gradients:`, after an inner loop of backward calls). */
  windowEnd?: boolean;
}

/**
 * One training loop (a loop of the step model that runs a backward and a step, or a unit that
 * runs both without a loop, such as a `training_step`), for the Lab's "this loop": the calls of
 * one pass in the order the flow graph runs them, the same pass with the loop's ordering findings
 * fixed, and the settings where the code states them.
 */
export interface LoopShape {
  /** The loop statement (or the unit, for one pass without a loop). */
  range: Range;
  /** One pass (one micro-batch under accumulation) along the flow graph. */
  order: LoopCall[];
  /** The same pass after the fixes of this loop's ordering findings. */
  fixedOrder: LoopCall[];
  /** Ordering findings (CLP001–CLP005) on calls in this loop. */
  codes: RuleCode[];
  clip?: { kind: 'norm' | 'value'; threshold?: number; thresholdText?: string; normType?: number | 'inf' };
  learningRate?: number;
  /** The learning rate as the code spells it (`3e-4`). */
  learningRateText?: string;
  /** The optimizer as written (`optimizer`, `self.opt`). */
  optimizer?: string;
  /** Set when the code constructs one of these. */
  optimizerKind?: 'sgd' | 'adam' | 'adamw' | 'rmsprop';
  momentum?: number;
  /** Micro-batches per step when the code states it. */
  accumulation?: number;
  /** Present when the loop scales its loss with a GradScaler. */
  scaler?: { initScale?: number };
}

export interface AnalysisResult {
  findings: Finding[];
  clips: ClipSite[];
  unclippedSteps: UnclippedStep[];
  loops: LoopShape[];
  /** Set when the file was not (fully) analysed (too large, binary, nested too deeply): a reason a person can read. */
  skipped?: string;
  /** The skip covers only part of the file (code nested too deeply): the rest was analysed, but the file is not clear. */
  partlySkipped?: boolean;
}

export type Language = 'python' | 'typescript';

export interface AnalysisOptions {
  /** Only these rules (default: all). */
  select?: RuleCode[];
  /** Never these rules. */
  ignore?: RuleCode[];
  /** Files past this many characters are skipped with a reason (default 5,000,000). A size, never a time: results are deterministic. */
  maxChars?: number;
}

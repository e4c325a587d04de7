// What fixes need to know about a language's text: how a statement ends, what fills a block left
// empty, how a guard and an unscale call are spelled, which names a piece of code reads and
// writes. Each front end hands one with its source lines; rules ask it and spell no language.
import { mayTradePlaces as pythonMayTradePlaces } from './rules/statement-names';
import type { SourceLines } from './text';

export interface LanguageSyntax {
  /** What replaces a block's only statement when it moves away (`pass`), or undefined: the line is removed. */
  emptyBlock?: string;
  /** A statement from an expression (`x()` or `x();`). */
  statement(expression: string): string;
  /** The header and footer that put lines under a condition, and whether the body is one level deeper. */
  guard(condition: string): { open: string; close?: string };
  /** `scaler.unscale_(optimizer)` as a statement. */
  unscaleCall(scaler: string, optimizer: string): string;
  /** Statements inserting a norm clip of the optimizer's parameters before its step, or undefined when there is no spelling for it (the language, the optimizer's library). */
  clipCall?(optimizer: string): string | undefined;
  /** An edit the clip call needs once, elsewhere in the file (an import of the clip), if any. */
  clipImport?(): import('./api').TextEdit | undefined;
  /** Two pieces of code may trade places: neither writes a name the other reads or writes. */
  mayTradePlaces(moving: string, passed: string): boolean;
  /** Line comment opener, for suppressions. */
  lineComment: string;
}

export const PYTHON_SYNTAX: LanguageSyntax = {
  emptyBlock: 'pass',
  statement: (expression) => expression,
  guard: (condition) => ({ open: `if ${condition}:` }),
  unscaleCall: (scaler, optimizer) => `${scaler}.unscale_(${optimizer})`,
  clipCall: (optimizer) => `torch.nn.utils.clip_grad_norm_([p for group in ${optimizer}.param_groups for p in group["params"]], max_norm=1.0)`,
  mayTradePlaces: pythonMayTradePlaces,
  lineComment: '#',
};

/** The syntax of a source: its front end's, or Python's for sources that carry none. */
export function syntaxOf(source: SourceLines): LanguageSyntax {
  return source.syntax ?? PYTHON_SYNTAX;
}

// What every front end (Python, TypeScript, notebook cells) hands to the rules.
import type { Unit } from './model/graph';
import type { LineComments } from './suppression';

export interface FrontEndResult {
  /** Built one at a time as the analyzer asks, so a time budget can stop between units. */
  units: Iterable<Unit>;
  /** Comment text by line, for suppressions. */
  comments: LineComments;
  /** Statements the parser could not read (a fix must not add any). */
  syntaxErrors: number;
}

// What every front end (Python, TypeScript, notebook cells) hands to the rules.
import type { Unit } from './model/graph';
import type { LineComments } from './suppression';
import type { SourceLines } from './text';
import type { ProjectContext } from './project/context';

/**
 * A unit not yet built. Equal keys mean equal code in an equal context, so the analyzer can reuse
 * a unit's results instead of building it again (positions move with `anchorLine`).
 */
export interface UnitSource {
  key: string;
  /** The line the unit's code starts from: results shift by how much it moved. */
  anchorLine: number;
  build(): { unit: Unit; dependencies: Dependency[] };
}

/** A piece of the file a unit's result depends on, and where it sat relative to the unit. */
export interface Dependency {
  piece: number;
  offset: number;
}

export interface FrontEndResult {
  /** Produced one at a time as the analyzer asks, so a time budget can stop between units. */
  units: Iterable<UnitSource>;
  /** Where each piece of the file starts in this version (for checking dependencies). */
  pieceLines: Map<number, number>;
  /** Comment text by line, for suppressions. */
  comments: LineComments;
  /** Statements the parser could not read (a fix must not add any). */
  syntaxErrors: number;
  /** Why part of the file was not analysed (code nested too deeply), if it was not. */
  partlySkipped?: string;
  /** The text by lines, for messages and fixes. */
  source: SourceLines;
}

/** A language's reader: text in, units and comments out. `trial` must not disturb `run`'s caches. */
export interface FrontEnd {
  run(text: string, project?: ProjectContext): FrontEndResult;
  trial(text: string, project?: ProjectContext): FrontEndResult;
}

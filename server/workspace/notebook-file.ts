// Reading and writing .ipynb files: cells out, fixed cell sources back in, keeping the file's
// own layout (source as a list of lines or a string, its indentation).
import type { NotebookCell } from '../../analysis/notebook';

interface RawCell {
  cell_type?: unknown;
  source?: unknown;
}

export interface NotebookFile {
  cells: NotebookCell[];
  /** Writes new sources for some cells back into the original JSON text. */
  withSources(sources: Map<number, string>): string;
}

export function parseNotebook(text: string): NotebookFile {
  let json: { cells?: unknown };
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not a valid notebook (JSON: ${(error as Error).message})`);
  }
  if (!json || typeof json !== 'object' || !Array.isArray(json.cells)) throw new Error('not a valid notebook (no "cells" list)');
  const raw = json.cells as RawCell[];
  const cells: NotebookCell[] = raw.map((cell) => ({
    kind: cell?.cell_type === 'code' ? 'code' : cell?.cell_type === 'markdown' ? 'markdown' : 'raw',
    source: Array.isArray(cell?.source) ? cell.source.map(String).join('') : typeof cell?.source === 'string' ? cell.source : '',
  }));
  // The file's own layout: indented as it was (nbformat writes one space), or on one line.
  const indent = /^\s*\{\s*\n(\s+)"/.exec(text)?.[1] ?? (/^\s*\{\s*"/.test(text) ? undefined : ' ');
  return {
    cells,
    withSources(sources) {
      for (const [index, source] of sources) {
        const cell = raw[index];
        cell.source = Array.isArray(cell.source) ? splitKeepingEnds(source) : source;
      }
      return JSON.stringify(json, null, indent) + (text.endsWith('\n') ? '\n' : '');
    },
  };
}

function splitKeepingEnds(source: string): string[] {
  const lines = source.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

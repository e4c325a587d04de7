// Reading and writing .ipynb files: cells out, fixed cell sources back in, keeping the file's
// own layout (source as a list of lines or a string, its indentation).
import type { NotebookCell } from '../../analysis/notebook';
import { cellSourceSpans } from './notebook-spans';

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
  return {
    cells,
    withSources(sources) {
      try {
        return spliceSources(text, sources);
      } catch {
        // Not JSON a scanner of ours follows (JSON.parse read it): write it as nbformat would.
        const indent = /^\s*\{\s*\n(\s+)"/.exec(text)?.[1] ?? (/^\s*\{\s*"/.test(text) ? undefined : ' ');
        for (const [index, source] of sources) {
          const cell = raw[index];
          cell.source = Array.isArray(cell.source) ? splitKeepingEnds(source) : source;
        }
        return JSON.stringify(json, null, indent) + (text.endsWith('\n') ? '\n' : '');
      }
    },
  };
}

/**
 * The notebook's text with new sources for some cells, every other byte as it was: a list of lines
 * keeps the raw JSON of each line that is still there (its escapes) and the list's own separators.
 */
function spliceSources(text: string, sources: Map<number, string>): string {
  const spans = cellSourceSpans(text);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  // New strings escaped as the file escapes: \uXXXX for non-ASCII when it writes only ASCII and escapes some.
  const asciiOnly = /\\u(?:00[89a-f]|0[1-9a-f]|[1-9a-f])/i.test(text) && !/[^\x00-\x7f]/.test(text);
  const quote = (s: string) => (asciiOnly ? JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : JSON.stringify(s));
  for (const [index, source] of sources) {
    const span = spans[index];
    if (!span) throw new Error(`cell ${index} has no source`);
    if (!span.elements) {
      edits.push({ start: span.start, end: span.end, text: quote(source) });
      continue;
    }
    const elements = span.elements;
    const tokens = new Map<string, string[]>();
    for (const e of elements) {
      const token = text.slice(e.start, e.end);
      const line = JSON.parse(token) as string;
      tokens.set(line, [...(tokens.get(line) ?? []), token]);
    }
    const lines = splitKeepingEnds(source).map((line) => tokens.get(line)?.shift() ?? quote(line));
    if (!lines.length) {
      edits.push({ start: span.start, end: span.end, text: '[]' });
      continue;
    }
    // The list's own layout: what follows "[", what lies between two lines, what precedes "]".
    const open = elements.length ? text.slice(span.start + 1, elements[0].start) : '';
    const close = elements.length ? text.slice(elements[elements.length - 1].end, span.end - 1) : '';
    const between = elements.length > 1 ? text.slice(elements[0].end, elements[1].start) : `,${open || ' '}`;
    edits.push({ start: span.start, end: span.end, text: `[${open}${lines.join(between)}${close}]` });
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

function splitKeepingEnds(source: string): string[] {
  const lines = source.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

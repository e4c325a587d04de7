// The line ending a file uses, and edits whose line breaks are rewritten to it: what `--fix`
// writes and what the editor's code actions insert agree (a CR-only or CRLF file never gets a
// bare \n). A file with several kinds of ending takes the one most of its lines use.
import type { TextEdit } from '../../analysis/api';

export type LineEnding = '\n' | '\r\n' | '\r';

/** The ending most line breaks in `text` use (CR-only, CRLF or LF; LF when there is none or a tie with LF). */
export function lineEndingOf(text: string): LineEnding {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) === 10) crlf++;
    else cr++;
  }
  if (!cr && !crlf) return '\n';
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lf++;
  lf -= crlf;
  return cr > crlf && cr > lf ? '\r' : crlf > lf ? '\r\n' : '\n';
}

/** `edits` with every line break they insert written as `eol` (as they are for LF, the ending fixes are made in). */
export function withLineEnding(edits: TextEdit[], eol: LineEnding): TextEdit[] {
  if (eol === '\n') return edits;
  return edits.map((e) => ({ ...e, newText: e.newText.replace(/\r\n|\r|\n/g, eol) }));
}

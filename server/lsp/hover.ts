// Hover on a finding or on any clip call.
import type { Hover, HoverParams } from 'vscode-languageserver';
import { explainAt } from './explain';
import type { FileView } from './fileView';

export function hover(view: FileView, params: HoverParams): Hover | null {
  const explained = explainAt(view, params.position);
  if (!explained) return null;
  return { contents: { kind: 'markdown', value: explained.markdown }, range: explained.range };
}

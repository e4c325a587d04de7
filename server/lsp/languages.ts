// Which editor languages the analysis reads, derived from the analysis's front-end registry.
// `clipwise.languages` names `python`, `typescript` and `javascript`: the React variants follow
// their language.
import type { Language } from '../../analysis/api';
import { LANGUAGE_IDS, languageOfId } from '../../analysis/languages';

/** The setting's name for an editor language id (`typescriptreact` → `typescript`). */
export function settingNameOf(languageId: string): string {
  return languageId.replace(/react$/, '');
}

/** The editor languages the client hands to the server (the document selector): every one a front end reads. */
export const EDITOR_LANGUAGES: readonly string[] = LANGUAGE_IDS;

/** The analysis front end for a document, or undefined when it is not analysed (by choice or at all). */
export function frontEndFor(languageId: string, enabledLanguages: readonly string[]): Language | undefined {
  if (!enabledLanguages.includes(settingNameOf(languageId))) return undefined;
  return languageOfId(languageId);
}

/** The setting's name for a file on disk (`.js` → `javascript`, `.tsx` → `typescript`, notebooks → `python`). */
export function settingNameOfPath(path: string): string {
  if (/\.(py|ipynb)$/i.test(path)) return 'python';
  if (/\.[cm]?jsx?$/i.test(path)) return 'javascript';
  return 'typescript';
}

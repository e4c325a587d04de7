// Which editor languages the analysis can read. The one place to change when a front end lands:
// TypeScript documents are synced already and left alone until `analysis` reads them.
import type { Language } from '../../analysis/api';

const FRONT_ENDS: Record<string, Language | undefined> = {
  python: 'python',
  typescript: undefined,
};

/** The editor languages the client hands to the server (the document selector). */
export const EDITOR_LANGUAGES = Object.keys(FRONT_ENDS);

/** The analysis front end for a document, or undefined when it is not analysed (yet, or by choice). */
export function frontEndFor(languageId: string, enabledLanguages: readonly string[]): Language | undefined {
  if (!enabledLanguages.includes(languageId)) return undefined;
  return FRONT_ENDS[languageId];
}

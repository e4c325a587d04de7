// The front ends the analysis has, in one list: which editor languages and file extensions each
// reads, and how to make one. The analyzer, the server's language list, the client's document
// selector and the CLI's walk all derive from it.
import type { Language } from './api';
import type { FrontEnd } from './frontend';
import { PythonFrontEnd } from './python';
import { TypeScriptFrontEnd } from './typescript';

export interface FrontEndEntry {
  language: Language;
  /** VS Code language ids whose documents this front end reads. */
  languageIds: readonly string[];
  /** File extensions (with the dot) the CLI's walk picks up for it. */
  extensions: readonly string[];
  create(): FrontEnd;
}

export const FRONT_ENDS: readonly FrontEndEntry[] = [
  { language: 'python', languageIds: ['python'], extensions: ['.py'], create: () => new PythonFrontEnd() },
  {
    language: 'typescript',
    languageIds: ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'],
    extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
    create: () => new TypeScriptFrontEnd(),
  },
];

/** Every editor language id some front end reads. */
export const LANGUAGE_IDS: readonly string[] = FRONT_ENDS.flatMap((f) => f.languageIds);

/** Every file extension some front end reads. */
export const SOURCE_FILE_EXTENSIONS: readonly string[] = FRONT_ENDS.flatMap((f) => f.extensions);

export function frontEndEntry(language: Language): FrontEndEntry {
  const entry = FRONT_ENDS.find((f) => f.language === language);
  if (!entry) throw new Error(`no front end for ${language}`);
  return entry;
}

/** The front end reading an editor language id, if any. */
export function languageOfId(languageId: string): Language | undefined {
  return FRONT_ENDS.find((f) => f.languageIds.includes(languageId))?.language;
}

/** The front end reading a file name, by its extension (`.d.ts` and minified bundles are not training code). */
export function languageOfPath(path: string): Language | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.d.ts') || lower.endsWith('.min.js') || lower.endsWith('.bundle.js')) return undefined;
  return FRONT_ENDS.find((f) => f.extensions.some((ext) => lower.endsWith(ext)))?.language;
}

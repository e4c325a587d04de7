// The languages the analysis reads: editor language ids and file extensions per front end. Data
// only (no parser), so the extension's client can import it without the analysis itself.
import type { Language } from './api';

export interface LanguageEntry {
  language: Language;
  /** VS Code language ids whose documents this front end reads. */
  languageIds: readonly string[];
  /** File extensions (with the dot) the CLI's walk picks up for it. */
  extensions: readonly string[];
}

export const LANGUAGES: readonly LanguageEntry[] = [
  { language: 'python', languageIds: ['python'], extensions: ['.py'] },
  {
    language: 'typescript',
    languageIds: ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'],
    extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
  },
];

/** Every editor language id some front end reads. */
export const LANGUAGE_IDS: readonly string[] = LANGUAGES.flatMap((f) => f.languageIds);

/** Every file extension some front end reads. */
export const SOURCE_FILE_EXTENSIONS: readonly string[] = LANGUAGES.flatMap((f) => f.extensions);

/** The front end reading an editor language id, if any. */
export function languageOfId(languageId: string): Language | undefined {
  return LANGUAGES.find((f) => f.languageIds.includes(languageId))?.language;
}

/** The front end reading a file, by its name (declaration files and minified or generated bundles are no training code). */
export function languageOfPath(path: string): Language | undefined {
  const lower = path.toLowerCase();
  if (/\.d\.[cm]?ts$/.test(lower) || /[.-](min|bundle|chunk)\.[cm]?js$/.test(lower)) return undefined;
  return LANGUAGES.find((f) => f.extensions.some((ext) => lower.endsWith(ext)))?.language;
}

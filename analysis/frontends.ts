// The front ends the analysis has: one per entry of `languages.ts`, and how to make one.
import type { Language } from './api';
import type { FrontEnd } from './frontend';
import { LANGUAGES, type LanguageEntry } from './languages';
import { PythonFrontEnd } from './python';
import { TypeScriptFrontEnd } from './typescript';

export interface FrontEndEntry extends LanguageEntry {
  create(): FrontEnd;
}

const FACTORIES: Record<Language, () => FrontEnd> = {
  python: () => new PythonFrontEnd(),
  typescript: () => new TypeScriptFrontEnd(),
};

export const FRONT_ENDS: readonly FrontEndEntry[] = LANGUAGES.map((entry) => ({ ...entry, create: FACTORIES[entry.language] }));

export function frontEndEntry(language: Language): FrontEndEntry {
  const entry = FRONT_ENDS.find((f) => f.language === language);
  if (!entry) throw new Error(`no front end for ${language}`);
  return entry;
}

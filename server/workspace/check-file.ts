// Checking one file on disk: read it (as Python decodes it, noticing when it cannot be), analyse it as Python
// or as a notebook, and report findings with the file's own coordinates.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Analyzer, type AnalyzerOptions } from '../../analysis/analyzer';
import { analyzeNotebook } from '../../analysis/notebook';
import type { Finding } from '../../analysis/api';
import { parseNotebook } from './notebook-file';
import { decodeSource } from './encoding';
import { languageOfPath } from '../../analysis/languages';

export interface FileFinding extends Finding {
  file: string;
  /** Notebook cell index, when the file is a notebook. */
  cell?: number;
}

export interface FileReport {
  file: string;
  /** The text analysed (a UTF-8 byte order mark, if the file has one, removed: see `bom`). */
  text: string;
  findings: FileFinding[];
  skipped?: string;
  /** Only part of the file was skipped; its findings stand. */
  partlySkipped?: boolean;
  /** The file could not be read (an I/O error, not a kind of file that is skipped). */
  unreadable?: boolean;
  /** The file starts with a byte order mark, which fixes must keep. */
  bom?: boolean;
  /** The file's encoding (a TextDecoder label, or "latin-1"), which fixes must keep. */
  encoding?: string;
  kind: 'python' | 'notebook' | 'typescript';
}

export function readText(path: string): { text?: string; error?: string; unreadable?: boolean; bom?: boolean; encoding?: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { error: (error as Error).message, unreadable: true };
  }
  // As Python reads it: UTF-8, UTF-16 with a byte order mark, or a PEP 263 declaration's encoding.
  return decodeSource(bytes);
}

/**
 * `verifyFixes`: keep a finding's fix only if it verifies (each check re-analyses what the fix changes). A
 * report that offers fixes (the CLI's) asks for it; one that only shows findings does not.
 */
export function checkFile(path: string, options: AnalyzerOptions = {}, verifyFixes = false): FileReport {
  const language = languageOfPath(path);
  const kind = extname(path) === '.ipynb' ? 'notebook' : language === 'typescript' ? 'typescript' : 'python';
  // A declaration file or a minified bundle is no training code.
  if (!language && /\.[cm]?[jt]sx?$/i.test(path)) return { file: path, text: '', findings: [], skipped: 'a declaration file or generated bundle, not training code', kind: 'typescript' };
  const { text, error, unreadable, bom, encoding } = readText(path);
  if (text === undefined) return { file: path, text: '', findings: [], skipped: error, unreadable, kind };
  return { ...checkText(path, text, kind, options, new Analyzer(kind === 'typescript' ? 'typescript' : 'python'), verifyFixes), bom, encoding };
}

export function checkText(path: string, text: string, kind: FileReport['kind'], options: AnalyzerOptions = {}, analyzer = new Analyzer('python'), verifyFixes = false): FileReport {
  if (kind === 'notebook') {
    try {
      const notebook = parseNotebook(text);
      const result = analyzeNotebook(notebook.cells, options, analyzer);
      return { file: path, text, kind, findings: result.findings.map((f) => ({ ...f, file: path })), skipped: result.skipped, partlySkipped: result.partlySkipped };
    } catch (error) {
      return { file: path, text, kind, findings: [], skipped: (error as Error).message };
    }
  }
  const result = analyzer.analyze(text, options);
  if (!verifyFixes) return { file: path, text, kind, findings: result.findings.map((f) => ({ ...f, file: path })), skipped: result.skipped, partlySkipped: result.partlySkipped };
  // A fix is reported as one only if it verifies (re-parses, removes its finding, adds none),
  // as the editor and `--fix` require: the report never promises a fix `--fix` would refuse.
  // Each check re-analyses only the units the fix changes.
  const verdicts = analyzer.verifier(text, options).verifyAll(result.findings);
  const findings = result.findings.map((f, i): FileFinding => (f.fix && !verdicts[i] ? { ...f, fix: undefined, file: path } : { ...f, file: path }));
  return { file: path, text, kind, findings, skipped: result.skipped, partlySkipped: result.partlySkipped };
}

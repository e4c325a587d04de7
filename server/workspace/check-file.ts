// Checking one file on disk: read it (as UTF-8, noticing when it is not), analyse it as Python
// or as a notebook, and report findings with the file's own coordinates.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Analyzer, type AnalyzerOptions } from '../../analysis/analyzer';
import { analyzeNotebook } from '../../analysis/notebook';
import type { Finding } from '../../analysis/api';
import { parseNotebook } from './notebook-file';

export interface FileFinding extends Finding {
  file: string;
  /** Notebook cell index, when the file is a notebook. */
  cell?: number;
}

export interface FileReport {
  file: string;
  text: string;
  findings: FileFinding[];
  skipped?: string;
  kind: 'python' | 'notebook';
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function readText(path: string): { text?: string; error?: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (bytes.subarray(0, 8192).includes(0)) return { error: 'file looks binary (it contains NUL bytes)' };
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return { error: 'file is not valid UTF-8 text' };
  }
}

export function checkFile(path: string, options: AnalyzerOptions = {}): FileReport {
  const kind = extname(path) === '.ipynb' ? 'notebook' : 'python';
  const { text, error } = readText(path);
  if (text === undefined) return { file: path, text: '', findings: [], skipped: error, kind };
  return checkText(path, text, kind, options);
}

export function checkText(path: string, text: string, kind: 'python' | 'notebook', options: AnalyzerOptions = {}, analyzer = new Analyzer('python')): FileReport {
  if (kind === 'notebook') {
    try {
      const notebook = parseNotebook(text);
      const result = analyzeNotebook(notebook.cells, options, analyzer);
      return { file: path, text, kind, findings: result.findings.map((f) => ({ ...f, file: path })), skipped: result.skipped };
    } catch (error) {
      return { file: path, text, kind, findings: [], skipped: (error as Error).message };
    }
  }
  const result = analyzer.analyze(text, options);
  // A fix is reported as one only if it verifies (re-parses, removes its finding, adds none),
  // as the editor and `--fix` require: the report never promises a fix `--fix` would refuse.
  const findings = result.findings.map((f): FileFinding => (f.fix && !analyzer.verifyFix(text, f, options) ? { ...f, fix: undefined, file: path } : { ...f, file: path }));
  return { file: path, text, kind, findings, skipped: result.skipped };
}

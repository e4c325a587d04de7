// Output formats of `clipwise check`: text for people, JSON for tools, SARIF 2.1.0 for code
// scanning, GitHub workflow annotations.
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileFinding } from '../workspace/check-file';
import { RULES } from '../../analysis/rules/catalogue';
import { docUrl } from '../../analysis/rules/rule';
import { VERSION } from './version';
import { localPath } from '../workspace/project-host';

export interface Skipped {
  file: string;
  reason: string;
  /** Only part of the file was skipped (its other findings are reported). */
  partial?: boolean;
  /** A path given or found that could not be walked (not one of the files counted). */
  walk?: boolean;
}

export interface Report {
  findings: FileFinding[];
  files: number;
  skipped: Skipped[];
  /** Fixes `--fix` applied (the findings are those left afterwards). */
  fixed?: number;
}

const pos = (f: FileFinding) => ({ line: f.range.start.line + 1, column: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 });

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

export function formatText(report: Report, color: boolean): string {
  const c = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const f of report.findings) {
    const { line, column } = pos(f);
    const where = f.cell !== undefined ? `${displayPath(f.file)}:cell ${f.cell + 1}:${line}:${column}` : `${displayPath(f.file)}:${line}:${column}`;
    const tag = f.severity === 'error' ? c(31, f.code) : f.severity === 'warning' ? c(33, f.code) : c(36, f.code);
    lines.push(`${c(1, where)}: ${tag} ${f.message}${f.fix?.safe ? c(2, ' [fixable]') : ''}`);
  }
  for (const s of report.skipped) lines.push(c(2, `${displayPath(s.file)}: skipped: ${s.reason}`));
  const fixable = report.findings.filter((f) => f.fix?.safe).length;
  const count = report.findings.length;
  // Files skipped whole or in part were not (fully) checked: they are never counted as clear.
  const skippedWhole = report.skipped.filter((s) => !s.partial && !s.walk).length;
  const notChecked = report.skipped.filter((s) => !s.partial).length;
  const partly = report.skipped.filter((s) => s.partial).length;
  const checked = report.files - skippedWhole - partly;
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  const notes = (notChecked ? ` ${files(notChecked)} not checked (see above).` : '') + (partly ? ` ${files(partly)} not fully checked (see above).` : '');
  const summary =
    (count === 0
      ? checked > 0
        ? `All clear: no clipping mistakes in ${files(checked)}.`
        : 'No findings, but no file was checked in full.'
      : `Found ${count} finding${count === 1 ? '' : 's'} in ${new Set(report.findings.map((f) => f.file)).size} of ${files(report.files - skippedWhole)}.` +
        (fixable ? ` ${fixable} fixable with \`clipwise check --fix\`.` : '')) + notes;
  if (lines.length) lines.push('');
  if (report.fixed) lines.push(`Fixed ${report.fixed} problem${report.fixed === 1 ? '' : 's'} in place (the \`fixed\` lines above); still to do:`);
  lines.push(summary);
  return lines.join('\n') + '\n';
}

export function formatJson(report: Report): string {
  return (
    JSON.stringify(
      {
        findings: report.findings.map((f) => ({
          file: displayPath(f.file),
          ...(f.cell !== undefined ? { cell: f.cell } : {}),
          ...pos(f),
          code: f.code,
          name: f.name,
          severity: f.severity,
          message: f.message,
          fixable: !!f.fix?.safe,
          url: f.docUrl,
          ...(f.fix ? { fix: { title: f.fix.title, safe: f.fix.safe, edits: f.fix.edits } } : {}),
          related: f.related.map((r) => ({ ...(r.file ? { file: displayPath(localPath(r.file)) } : {}), line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })),
        })),
        files: report.files,
        skipped: report.skipped.map((s) => ({ file: displayPath(s.file), reason: s.reason, ...(s.partial ? { partial: true } : {}) })),
      },
      null,
      2,
    ) + '\n'
  );
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function formatSarif(report: Report): string {
  // URI-encoded: relative to %SRCROOT% (the current folder) under it, an absolute file:// URI elsewhere.
  const location = (file: string) => {
    const shown = displayPath(file);
    if (isAbsolute(shown)) return { uri: pathToFileURL(shown).href };
    return { uri: shown.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  };
  const region = (f: { range: FileFinding['range'] }) => ({
    startLine: f.range.start.line + 1,
    startColumn: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'clipwise',
            version: VERSION,
            informationUri: 'https://github.com/clipwise/clipwise',
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.name.replace(/-/g, ' ') },
              fullDescription: { text: r.summary },
              helpUri: docUrl(r.code),
              help: { text: `${r.summary} See ${docUrl(r.code)}` },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(process.cwd() + sep).href } },
        results: report.findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: RULES.findIndex((r) => r.code === f.code),
          level: SARIF_LEVEL[f.severity],
          // In a notebook, lines count within a cell, not within the .ipynb JSON a region would point
          // into: the location is the file, and the cell and line are said in the message.
          message: { text: f.cell === undefined ? f.message : `cell ${f.cell + 1}, line ${pos(f).line}: ${f.message}` },
          locations: [{ physicalLocation: { artifactLocation: location(f.file), ...(f.cell === undefined ? { region: region(f) } : {}) } }],
          relatedLocations: f.related.map((r, i) => ({
            id: i,
            message: { text: f.cell === undefined ? r.message : `line ${r.range.start.line + 1}: ${r.message}` },
            physicalLocation: { artifactLocation: location(r.file ? localPath(r.file) : f.file), ...(f.cell === undefined || r.file ? { region: region(r) } : {}) },
          })),
          ...(f.fix && f.cell === undefined
            ? {
                fixes: [
                  {
                    description: { text: f.fix.title },
                    artifactChanges: [
                      {
                        artifactLocation: location(f.file),
                        replacements: f.fix.edits.map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.newText } })),
                      },
                    ],
                  },
                ],
              }
            : {}),
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((s) => ({ level: 'note', message: { text: `skipped: ${s.reason}` }, locations: [{ physicalLocation: { artifactLocation: location(s.file) } }] })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request. */
export function formatGithub(report: Report): string {
  const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return report.findings
    .map((f) => {
      const { line, column, endLine, endColumn } = pos(f);
      const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      const located = f.cell === undefined ? `,line=${line},col=${column},endLine=${endLine},endColumn=${endColumn}` : '';
      const cell = f.cell !== undefined ? `cell ${f.cell + 1}, line ${line}: ` : '';
      return `::${level} file=${escapeProp(displayPath(f.file))}${located},title=${escapeProp(`${f.code} ${f.name}`)}::${escapeData(cell + f.message)}`;
    })
    .join('\n') + (report.findings.length ? '\n' : '');
}

// `clipwise`: the command-line checker. Exit status: 0 clean, 1 findings, 2 usage or I/O error.
import { parseArgs } from 'node:util';
import { dirname, isAbsolute } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { RuleCode } from '../../analysis/api';
import { RULES, ruleByCode } from '../../analysis/rules/catalogue';
import { collectFiles } from '../workspace/files';
import { checkFile, type FileFinding } from '../workspace/check-file';
import { diskProject, projectPath } from '../workspace/project-host';
import { findConfig, parseCodes } from '../workspace/config';
import { fixNotebook, fixPython } from '../workspace/fix-file';
import { encodeSource } from '../workspace/encoding';
import { writeFileAtomic } from '../workspace/write-file';
import { displayPath, formatGithub, formatJson, formatSarif, formatText, type Report, type Skipped } from './formats';
import { ruleDocumentation } from '../rule-docs';
import { runLab } from './lab';
import { VERSION } from './version';

const HELP = `clipwise ${VERSION} — finds gradient-clipping mistakes in PyTorch training loops

Usage:
  clipwise check [PATH…] [options]   check Python, notebooks, TypeScript and JavaScript (default: .)
  clipwise rule CODE                 explain a rule, e.g. clipwise rule CLP002
  clipwise rules                     list every rule
  clipwise lab run (EXPERIMENT.json | --preset NAME) [--format text|csv|json]
                                     train a Gradient Lab experiment, print its per-step table
  clipwise lab presets               list the Gradient Lab's presets
  clipwise lab export-pytorch (EXPERIMENT.json | --preset NAME)
                                     print a PyTorch script that reproduces the experiment

Options for check:
  --format text|json|sarif|github    output format (default: text)
  --fix                              apply safe fixes in place and report them
  --diff                             show the safe fixes as a diff, change nothing
  --select CODE,…                    only these rules (prefixes such as CLP00 work)
  --ignore CODE,…                    never these rules
  --no-config                        ignore [tool.clipwise] in pyproject.toml
  --exit-zero                        exit 0 even when there are findings or unreadable paths
  --show-files                       list the files that would be checked, check nothing
  --verbose                          also say how many folders and files the walk left out, and why
  --no-color                         plain text output

Exit status: 0 no findings, 1 findings, 2 usage or I/O error.
`;

class UsageError extends Error {}

function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`clipwise ${VERSION}\n`);
    return 0;
  }
  if (command === 'rules') {
    for (const rule of RULES) process.stdout.write(`${rule.code}  ${rule.name.padEnd(24)} ${rule.severity.padEnd(8)} ${rule.summary}\n`);
    return 0;
  }
  if (command === 'rule') {
    const rule = rest[0] ? ruleByCode(rest[0]) : undefined;
    if (!rule) throw new UsageError(rest[0] ? `unknown rule "${rest[0]}"; run \`clipwise rules\` to list them` : 'clipwise rule needs a code, e.g. clipwise rule CLP002');
    return ruleDocumentation(rule.code).then((page) => {
      process.stdout.write(page ?? `${rule.code} ${rule.name}\n\n${rule.summary}\n`);
      return 0;
    });
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (command === 'check') return check(rest);
  if (command === 'lab') return runLab(rest);
  throw new UsageError(`unknown command "${command}"; try \`clipwise check .\``);
}

function check(args: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        fix: { type: 'boolean', default: false },
        diff: { type: 'boolean', default: false },
        select: { type: 'string' },
        ignore: { type: 'string' },
        'no-config': { type: 'boolean', default: false },
        'exit-zero': { type: 'boolean', default: false },
        'no-color': { type: 'boolean', default: false },
        'show-files': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const format = values.format!;
  if (!['text', 'json', 'sarif', 'github'].includes(format)) throw new UsageError(`unknown format "${format}" (text, json, sarif, github)`);
  if (values.fix && values.diff) throw new UsageError('--fix and --diff cannot be combined');
  const paths = positionals.length ? positionals : ['.'];

  const config = values['no-config'] ? {} : findConfig(paths[0]);
  let select: RuleCode[] | undefined;
  let ignore: RuleCode[] | undefined;
  try {
    select = values.select ? parseCodes(values.select, '--select') : config.select;
    ignore = values.ignore ? parseCodes(values.ignore, '--ignore') : config.ignore;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const ruleOptions = { select, ignore };

  // Exit status 2 for unreadable paths, unless --exit-zero (only a wrong command line fails it).
  const ioFailed = () => (values['exit-zero'] ? 0 : 2);
  const walk = collectFiles(paths, undefined, { exclude: config.exclude, extendExclude: config.extendExclude, root: config.path ? dirname(config.path) : undefined });
  if (values.verbose) process.stderr.write(leftOut(walk.excluded));
  if (values['show-files']) {
    for (const file of walk.files) process.stdout.write(`${displayPath(file)}\n`);
    for (const e of [...walk.errors, ...walk.skipped]) process.stderr.write(`clipwise: ${e.path}: ${e.reason}\n`);
    return walk.errors.length ? ioFailed() : 0;
  }
  if (walk.errors.length && !walk.files.length && !walk.skipped.length) {
    for (const e of walk.errors) process.stderr.write(`clipwise: ${e.path}: ${e.reason}\n`);
    return ioFailed();
  }
  const files = walk.files;

  const findings: FileFinding[] = [];
  const skipped: Skipped[] = [...walk.errors, ...walk.skipped].map((e) => ({ file: e.path, reason: e.reason, walk: true }));
  let ioError = walk.errors.length > 0;
  const diffs: string[] = [];
  let fixed = 0;
  // Imports of the project's own modules are read from disk whatever paths were given (once each).
  const project = diskProject();
  for (const file of files) {
    // With --fix or --diff, fixPython verifies each fix itself: no need to verify them twice.
    const fixing = values.fix || values.diff;
    const options = { ...ruleOptions, project: project.context(projectPath(file)) };
    let report = checkFile(file, options, !fixing);
    if (report.skipped) skipped.push({ file, reason: report.skipped, partial: report.partlySkipped });
    if (report.unreadable) ioError = true;
    if (fixing && report.findings.some((f) => f.fix?.safe)) {
      const outcome = report.kind === 'notebook' ? fixNotebook(report.text, options) : fixPython(report.text, options, report.kind === 'typescript' ? 'typescript' : 'python');
      // Nothing applied: none of the fixes verified, so none is reported as one.
      if (!outcome.applied.length) report = { ...report, findings: report.findings.map((f) => ({ ...f, fix: undefined })) };
      else {
        if (values.diff) {
          // git's a/ b/ prefixes on paths under the current folder (`git apply`, `patch -p1`).
          const shown = displayPath(file);
          const inside = !isAbsolute(shown);
          diffs.push(createTwoFilesPatch(inside ? `a/${shown}` : shown, inside ? `b/${shown}` : shown, report.text, outcome.text));
        } else {
          try {
            // In the file's own encoding and byte order mark, replacing the file by a rename.
            const bytes = encodeSource(outcome.text, report.encoding ?? 'utf-8', report.bom ?? false);
            if (!bytes) throw new Error(`the fixed text has characters ${report.encoding} cannot write`);
            writeFileAtomic(file, bytes);
            project.invalidate(projectPath(file));
          } catch (error) {
            process.stderr.write(`clipwise: cannot write ${file}: ${(error as Error).message}\n`);
            ioError = true;
            continue;
          }
          fixed += outcome.applied.length;
          for (const a of outcome.applied) process.stderr.write(`fixed ${file}${a.cell !== undefined ? `:cell ${a.cell + 1}` : ''}:${a.line}: ${a.code} ${a.title.replace(/`/g, '')}\n`);
          report = checkFile(file, options, true);
        }
      }
    }
    findings.push(...report.findings);
  }

  const report: Report = { findings, files: files.length, skipped, fixed };
  if (values.diff) {
    process.stdout.write(diffs.join(''));
    if (!diffs.length) process.stdout.write('No safe fixes to apply.\n');
    return ioError ? ioFailed() : diffs.length && !values['exit-zero'] ? 1 : 0;
  }
  const color = format === 'text' && !values['no-color'] && process.stdout.isTTY === true && !process.env.NO_COLOR;
  const out = format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report) : format === 'github' ? formatGithub(report) : formatText(report, color);
  process.stdout.write(out);
  if (ioError) return ioFailed();
  return findings.length && !values['exit-zero'] ? 1 : 0;
}

/** `--verbose`: how many folders and files the walk left out, by reason. */
function leftOut(excluded: Array<{ reason: string; directory: boolean }>): string {
  if (!excluded.length) return 'clipwise: the walk left nothing out.\n';
  const byReason = new Map<string, { folders: number; files: number }>();
  const names = new Set<string>();
  for (const e of excluded) {
    // The default excludes together, with the names that matched.
    const byName = /^default exclude "(.*)"$/.exec(e.reason);
    if (byName) names.add(byName[1]);
    const reason = byName ? 'the default excludes' : e.reason;
    const count = byReason.get(reason) ?? { folders: 0, files: 0 };
    if (e.directory) count.folders++;
    else count.files++;
    byReason.set(reason, count);
  }
  const n = (k: number, what: string) => (k ? `${k} ${what}${k === 1 ? '' : 's'}` : '');
  const folders = excluded.filter((e) => e.directory).length;
  const parts = [...byReason].map(([reason, c]) => `${[n(c.folders, 'folder'), n(c.files, 'file')].filter(Boolean).join(' and ')} by ${reason}${reason === 'the default excludes' ? ` (${[...names].sort().join(', ')})` : ''}`);
  return `clipwise: left out ${[n(folders, 'folder'), n(excluded.length - folders, 'file')].filter(Boolean).join(' and ')}: ${parts.join(', ')}.\n`;
}

function failed(error: unknown): void {
  if (error instanceof UsageError || (error as Error).message?.includes('pyproject.toml')) {
    process.stderr.write(`clipwise: ${(error as Error).message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`clipwise: internal error: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 2;
  }
}

try {
  const status = main(process.argv.slice(2));
  if (typeof status === 'number') process.exitCode = status;
  else status.then((code) => (process.exitCode = code), failed);
} catch (error) {
  failed(error);
}

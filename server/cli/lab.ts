// `clipwise lab …`: the Gradient Lab headless. The same core as the panel's worker trains the
// experiment; the table and the exported script are the panel's too.
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseExperiment, type Experiment } from '../../webview/lab/experiment';
import { exportPyTorchScript } from '../../webview/lab/export-pytorch';
import { PRESETS, presetById } from '../../webview/lab/presets';
import { runToEnd } from '../../webview/lab/runner';
import { formatTable, tableFromResult, TABLE_FORMATS, type TableFormat } from '../../webview/lab/table';

export const LAB_USAGE = `Usage:
  clipwise lab run (EXPERIMENT.json | --preset NAME) [--format text|csv|json]
      train runs A and B of an experiment and print the per-step table
      (step, then loss, norm before clip, norm after clip, update size for A and B)
  clipwise lab presets
      list the presets
  clipwise lab export-pytorch (EXPERIMENT.json | --preset NAME)
      print a standalone PyTorch script that reproduces the experiment and prints the same table

EXPERIMENT.json is a Gradient Lab experiment (saved from the panel, or see webview/lab/README.md);
- reads it from standard input. A run that diverges is a result, not an error (exit status 0).
`;

/** Experiment files are small; anything bigger is refused before it is read. */
const MAX_FILE_BYTES = 1_000_000;

class LabUsageError extends Error {}

interface Output {
  write(text: string): unknown;
}

function loadExperiment(file: string | undefined, preset: string | undefined): Experiment {
  if (file !== undefined && preset !== undefined) throw new LabUsageError('give an experiment file or --preset, not both');
  if (preset !== undefined) {
    const found = presetById(preset);
    if (!found) throw new LabUsageError(`unknown preset "${preset}" (${PRESETS.map((p) => p.id).join(', ')}); run \`clipwise lab presets\``);
    return structuredClone(found.experiment);
  }
  if (file === undefined) throw new LabUsageError('give an experiment file (EXPERIMENT.json) or --preset NAME');
  let text: string;
  try {
    if (file !== '-' && statSync(file).size > MAX_FILE_BYTES) throw new LabUsageError(`${file}: larger than ${MAX_FILE_BYTES} bytes; not an experiment`);
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    if (error instanceof LabUsageError) throw error;
    throw new LabUsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new LabUsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = parseExperiment(value);
  if (!parsed.ok) throw new LabUsageError(`${file}: not a valid experiment:\n${parsed.problems.map((p) => `  ${p}`).join('\n')}`);
  return parsed.experiment;
}

function parse(args: string[], withFormat: boolean) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        preset: { type: 'string' },
        ...(withFormat ? { format: { type: 'string', default: 'text' } } : {}),
      },
    });
  } catch (error) {
    throw new LabUsageError((error as Error).message);
  }
}

function experimentArgs(args: string[], withFormat: boolean): { experiment: Experiment; format: TableFormat } {
  const { values, positionals } = parse(args, withFormat);
  if (positionals.length > 1) throw new LabUsageError(`one experiment file at a time, got ${positionals.length}`);
  const format = (values as { format?: string }).format ?? 'text';
  if (!(TABLE_FORMATS as readonly string[]).includes(format)) throw new LabUsageError(`unknown format "${format}" (${TABLE_FORMATS.join(', ')})`);
  return { experiment: loadExperiment(positionals[0], values.preset), format: format as TableFormat };
}

function dispatch(args: string[], stdout: Output): number {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    stdout.write(LAB_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'presets') {
    if (rest.length) throw new LabUsageError('clipwise lab presets takes no arguments');
    for (const p of PRESETS) stdout.write(`${p.id.padEnd(14)} ${p.title}\n${' '.repeat(15)}${p.description}\n`);
    return 0;
  }
  if (sub === 'run') {
    const { experiment, format } = experimentArgs(rest, true);
    stdout.write(formatTable(tableFromResult(experiment, runToEnd(experiment)), format));
    return 0;
  }
  if (sub === 'export-pytorch') {
    const { experiment } = experimentArgs(rest, false);
    stdout.write(exportPyTorchScript(experiment));
    return 0;
  }
  throw new LabUsageError(`unknown lab command "${sub}" (run, presets, export-pytorch)`);
}

/** Runs `clipwise lab ARGS…`; returns the exit status (2 for bad input, with the reason on stderr). */
export function runLab(args: string[], stdout: Output = process.stdout, stderr: Output = process.stderr): number {
  try {
    return dispatch(args, stdout);
  } catch (error) {
    if (!(error instanceof LabUsageError)) throw error;
    stderr.write(`clipwise lab: ${error.message}\n`);
    return 2;
  }
}

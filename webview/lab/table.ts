// The per-step table of an experiment, as text, CSV and JSON. `clipwise lab run` prints it, and
// the exported PyTorch script prints the very same layout (export-pytorch.ts carries a Python
// twin of these functions), so the two outputs can be compared line by line.
import type { Experiment, RunId } from './experiment';
import { resolveRun } from './experiment';
import type { Divergence, ExperimentResult, StepRecord } from './runner';

export type TableFormat = 'text' | 'csv' | 'json';

export const TABLE_FORMATS: readonly TableFormat[] = ['text', 'csv', 'json'];

export interface TableRun {
  label: string;
  records: StepRecord[];
  diverged?: Divergence;
  /** The run has a loss scaler: its scale and skipped steps get columns. */
  scaled: boolean;
}

export interface LabTable {
  title?: string;
  layerNames: string[];
  a: TableRun;
  b: TableRun;
}

export function tableFromResult(experiment: Experiment, result: ExperimentResult): LabTable {
  const run = (id: RunId): TableRun => {
    const r = result[id];
    const out: TableRun = { label: r.label, records: r.records, scaled: resolveRun(experiment, id).scaler !== null };
    if (r.status.diverged) out.diverged = r.status.diverged;
    return out;
  };
  const table: LabTable = { layerNames: result.layerNames, a: run('a'), b: run('b') };
  if (experiment.title !== undefined) table.title = experiment.title;
  return table;
}

/**
 * A number in exponent form with `digits` after the point and at least two exponent digits,
 * exactly as Python's '%.{digits}e' writes it; 'nan', 'inf', '-inf' for the rest.
 */
export function formatNumber(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  const [mantissa, exponent] = (value === 0 ? 0 : value).toExponential(digits).split('e');
  const sign = exponent[0] === '-' ? '-' : '+';
  const digitsOnly = exponent.replace(/^[+-]/, '');
  return `${mantissa}e${sign}${digitsOnly.padStart(2, '0')}`;
}

const TEXT_DIGITS = 5;
const DATA_DIGITS = 8;

interface Column {
  header: string;
  cell: (r: StepRecord) => string;
}

function runColumns(run: TableRun, prefix: string, digits: number, flag: (b: boolean) => string, names: 'text' | 'csv'): Column[] {
  const num = (v: number) => formatNumber(v, digits);
  const name = (text: string, csv: string) => (names === 'text' ? `${prefix.toUpperCase()} ${text}` : `${prefix}_${csv}`);
  const columns: Column[] = [
    { header: name('loss', 'loss'), cell: (r) => num(r.loss) },
    { header: name('norm before', 'norm_before'), cell: (r) => num(r.normBefore) },
    { header: name('norm after', 'norm_after'), cell: (r) => num(r.normAfter) },
    { header: name('update', 'update_size'), cell: (r) => num(r.updateSize) },
  ];
  if (run.scaled) {
    columns.push(
      { header: name('scale', 'loss_scale'), cell: (r) => num(r.lossScale ?? NaN) },
      { header: name('skipped', 'step_skipped'), cell: (r) => flag(r.stepSkipped === true) },
    );
  }
  return columns;
}

function rowCount(table: LabTable): number {
  return Math.max(table.a.records.length, table.b.records.length);
}

function divergenceLine(id: string, d: Divergence): string {
  return `${id} stopped at step ${d.step}: ${d.reason}`;
}

const TEXT_WIDTH = 13;

export function formatText(table: LabTable): string {
  const lines: string[] = [];
  if (table.title) lines.push(`# ${table.title}`);
  lines.push(`# A: ${table.a.label}`, `# B: ${table.b.label}`);
  const flag = (b: boolean) => (b ? 'yes' : 'no');
  const a = runColumns(table.a, 'a', TEXT_DIGITS, flag, 'text');
  const b = runColumns(table.b, 'b', TEXT_DIGITS, flag, 'text');
  const pad = (s: string) => s.padStart(TEXT_WIDTH);
  lines.push([' step', ...[...a, ...b].map((c) => pad(c.header))].join('  '));
  for (let i = 0; i < rowCount(table); i++) {
    const ra = table.a.records[i];
    const rb = table.b.records[i];
    const cells = [String(i + 1).padStart(5)];
    for (const c of a) cells.push(pad(ra ? c.cell(ra) : ''));
    for (const c of b) cells.push(pad(rb ? c.cell(rb) : ''));
    lines.push(cells.join('  ').trimEnd());
  }
  if (table.a.diverged) lines.push(`# ${divergenceLine('A', table.a.diverged)}`);
  if (table.b.diverged) lines.push(`# ${divergenceLine('B', table.b.diverged)}`);
  return lines.join('\n') + '\n';
}

export function formatCsv(table: LabTable): string {
  const flag = (b: boolean) => (b ? '1' : '0');
  const a = runColumns(table.a, 'a', DATA_DIGITS, flag, 'csv');
  const b = runColumns(table.b, 'b', DATA_DIGITS, flag, 'csv');
  const lines = [['step', ...a.map((c) => c.header), ...b.map((c) => c.header)].join(',')];
  for (let i = 0; i < rowCount(table); i++) {
    const ra = table.a.records[i];
    const rb = table.b.records[i];
    lines.push([String(i + 1), ...a.map((c) => (ra ? c.cell(ra) : '')), ...b.map((c) => (rb ? c.cell(rb) : ''))].join(','));
  }
  return lines.join('\n') + '\n';
}

/** A JSON number, or the strings "NaN", "Infinity", "-Infinity" (which JSON cannot write as numbers). */
function jsonNumber(v: number): string {
  if (Number.isNaN(v)) return '"NaN"';
  if (!Number.isFinite(v)) return v > 0 ? '"Infinity"' : '"-Infinity"';
  return formatNumber(v, DATA_DIGITS);
}

function jsonStep(r: StepRecord, scaled: boolean): string {
  const parts = [
    `"step": ${r.step}`,
    `"loss": ${jsonNumber(r.loss)}`,
    `"normBefore": ${jsonNumber(r.normBefore)}`,
    `"normAfter": ${jsonNumber(r.normAfter)}`,
    `"updateSize": ${jsonNumber(r.updateSize)}`,
    `"layerNorms": [${r.layerNorms.map(jsonNumber).join(', ')}]`,
  ];
  if (scaled) parts.push(`"lossScale": ${jsonNumber(r.lossScale ?? NaN)}`, `"stepSkipped": ${r.stepSkipped === true}`);
  return `{${parts.join(', ')}}`;
}

function jsonRun(run: TableRun): string {
  const diverged = run.diverged
    ? `{"step": ${run.diverged.step}, "reason": ${JSON.stringify(run.diverged.reason)}, "kind": ${JSON.stringify(run.diverged.kind)}}`
    : 'null';
  const steps = run.records.map((r) => `      ${jsonStep(r, run.scaled)}`).join(',\n');
  return [
    '{',
    `    "label": ${JSON.stringify(run.label)},`,
    `    "diverged": ${diverged},`,
    run.records.length ? `    "steps": [\n${steps}\n    ]` : '    "steps": []',
    '  }',
  ].join('\n');
}

/** One step per line, numbers with 9 significant digits. */
export function formatJson(table: LabTable): string {
  const lines = ['{'];
  if (table.title) lines.push(`  "title": ${JSON.stringify(table.title)},`);
  lines.push(`  "layers": [${table.layerNames.map((n) => JSON.stringify(n)).join(', ')}],`);
  lines.push(`  "a": ${jsonRun(table.a)},`);
  lines.push(`  "b": ${jsonRun(table.b)}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function formatTable(table: LabTable, format: TableFormat): string {
  return format === 'csv' ? formatCsv(table) : format === 'json' ? formatJson(table) : formatText(table);
}

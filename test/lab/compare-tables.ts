// Compares two Lab tables (the Lab's and PyTorch's) to float32 tolerance: the same layout, the
// same labels, the same stops, and every number within a relative tolerance, with an absolute
// floor that follows the column's running scale (a loss that has converged to 1e-30 is noise).
import assert from 'node:assert/strict';

/**
 * Relative tolerance at float32 level. Both sides compute in float64 and agree to ~1e-9 almost
 * everywhere; a gradient through saturated tanh units (1 − tanh² near 0, in the runs that blow up)
 * amplifies a last-bit difference of tanh for a step, up to ~1e-5.
 */
export const RTOL = 1e-4;
/** Absolute floor, relative to the largest magnitude the column has reached so far. */
export const FLOOR = 1e-7;

type JsonValue = number | string | boolean | null;

interface JsonStep {
  step: number;
  layerNorms: JsonValue[];
  [field: string]: JsonValue | JsonValue[];
}

interface JsonRun {
  label: string;
  diverged: unknown;
  steps: JsonStep[];
}

interface JsonTable {
  title?: string;
  layers: string[];
  a: JsonRun;
  b: JsonRun;
}

class ColumnScale {
  private readonly largest = new Map<string, number>();

  /** The floor for this column at this row, after taking both values into account. */
  floor(column: string, ...values: number[]): number {
    let m = this.largest.get(column) ?? 0;
    for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
    this.largest.set(column, m);
    return FLOOR * m;
  }
}

function near(where: string, ours: number, theirs: number, floor: number, rtol = RTOL): void {
  const ok = ours === theirs || Math.abs(ours - theirs) <= rtol * Math.max(Math.abs(ours), Math.abs(theirs)) + floor;
  assert.ok(ok, `${where}: the Lab has ${ours}, PyTorch ${theirs} (relative difference ${Math.abs(ours - theirs) / Math.abs(theirs)})`);
}

function sameValue(where: string, ours: JsonValue, theirs: JsonValue, scale: ColumnScale, column: string, extraFloor = 0): void {
  if (typeof ours === 'number' && typeof theirs === 'number') near(where, ours, theirs, Math.max(extraFloor, scale.floor(column, ours, theirs)));
  else assert.equal(ours, theirs, `${where}: the Lab has ${ours}, PyTorch ${theirs}`);
}

function compareRun(id: string, ours: JsonRun, theirs: JsonRun): void {
  assert.equal(ours.label, theirs.label, `${id}: labels`);
  assert.deepEqual(ours.diverged, theirs.diverged, `${id}: how the run ended`);
  assert.equal(ours.steps.length, theirs.steps.length, `${id}: number of steps`);
  const scale = new ColumnScale();
  ours.steps.forEach((step, i) => {
    const other = theirs.steps[i];
    assert.deepEqual(Object.keys(step), Object.keys(other), `${id} step ${i + 1}: fields`);
    for (const key of Object.keys(step)) {
      const where = `${id} step ${step.step} ${key}`;
      const [a, b] = [step[key], other[key]];
      if (Array.isArray(a) && Array.isArray(b)) {
        assert.equal(a.length, b.length, where);
        // A layer's norm is a share of the total: it agrees to RTOL of the total norm of that step.
        const total = typeof step.normAfter === 'number' ? RTOL * Math.abs(step.normAfter) : 0;
        a.forEach((v, j) => sameValue(`${where}[${j}]`, v, b[j], scale, `${key}[${j}]`, total));
      } else {
        sameValue(where, a as JsonValue, b as JsonValue, scale, key);
      }
    }
  });
}

export function compareTables(ours: JsonTable, theirs: JsonTable): void {
  assert.equal(ours.title, theirs.title);
  assert.deepEqual(ours.layers, theirs.layers);
  compareRun('A', ours.a, theirs.a);
  compareRun('B', ours.b, theirs.b);
}

const NUMBER = /^-?\d\.\d+e[+-]\d{2,3}$/;

/**
 * Text and CSV tables: the same lines and cells; numbers (printed with 6 or 9 digits) within
 * tolerance plus one unit of their last printed digit.
 */
export function compareTextTables(ours: string, theirs: string): void {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  assert.equal(a.length, b.length, 'number of lines');
  const csv = a[0].startsWith('step,');
  const scale = new ColumnScale();
  a.forEach((line, i) => {
    if (line.startsWith('#') || i === 0 || (!csv && i < 5 && !/^\s+\d/.test(line))) {
      assert.equal(line, b[i], `line ${i + 1}`);
      return;
    }
    const cells = csv ? line.split(',') : line.trim().split(/\s+/);
    const other = csv ? b[i].split(',') : b[i].trim().split(/\s+/);
    assert.equal(cells.length, other.length, `line ${i + 1}: cells`);
    cells.forEach((cell, j) => {
      if (NUMBER.test(cell) && NUMBER.test(other[j])) {
        const digits = cell.split('e')[0].split('.')[1].length;
        const [x, y] = [Number(cell), Number(other[j])];
        near(`line ${i + 1} cell ${j + 1}`, x, y, scale.floor(String(j), x, y), RTOL + 10 ** -digits);
      } else {
        assert.equal(cell, other[j], `line ${i + 1} cell ${j + 1}`);
      }
    });
  });
}

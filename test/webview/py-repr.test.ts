// Thresholds and learning rates in the panel are written as Python writes a float (repr): the
// expected strings below are what CPython 3 prints for each value.
import assert from 'node:assert/strict';
import { isNumberLiteral, pyRepr } from '../../webview/lab/py-repr';

const PYTHON_REPR: Array<[number, string]> = [
  [1.0, '1.0'],
  [0.05, '0.05'],
  [0.1, '0.1'],
  [0.501, '0.501'],
  [2.51, '2.51'],
  [0.015, '0.015'],
  [10.0, '10.0'],
  [10000.0, '10000.0'],
  [0.0001, '0.0001'],
  [1e-5, '1e-05'],
  [3e-7, '3e-07'],
  [1e15, '1000000000000000.0'],
  [1e16, '1e+16'],
  [1.5e22, '1.5e+22'],
  [123.456, '123.456'],
  [0.1 + 0.2, '0.30000000000000004'],
  [1 / 3, '0.3333333333333333'],
  [-2.0, '-2.0'],
  [-0.0, '-0.0'],
  [Infinity, 'inf'],
  [NaN, 'nan'],
];

describe('Lab: numbers as Python writes them', () => {
  it("writes a float as Python's repr() does", () => {
    for (const [value, expected] of PYTHON_REPR) assert.equal(pyRepr(value), expected, String(value));
  });

  it('reads back to the same number', () => {
    for (const [value] of PYTHON_REPR) if (Number.isFinite(value)) assert.equal(Number(pyRepr(value)), value);
  });

  it('tells a number literal from a name or an expression', () => {
    for (const literal of ['1.0', '.5', '1e-3', '1_000.0', '2', '-0.5']) assert.ok(isNumberLiteral(literal), literal);
    for (const other of ['config.max_grad_norm', 'MAX_NORM', 'args.clip * 2', '', '1.0 # why']) assert.ok(!isNumberLiteral(other), other);
  });
});

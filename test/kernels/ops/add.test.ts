// The element-wise add kernel on the cluster, bit-exact against goldenAdd: every signedness of the
// operands and of the output, with and without ReLU, element counts that are not a multiple of 4
// or of the cores, misaligned and in-place tensors, the extreme scales; and its refusals.
import { describe, expect, it } from 'vitest';
import { type AddOp, addCode, addL1Bytes } from '../../../sw/kernels/ops/add.js';
import type { AddScale } from '../../../sw/layers/add.js';
import { L1, expectAddBitExact } from './support.js';

const scale = (overrides: Partial<AddScale> = {}): AddScale => ({ multiplierA: 21000, multiplierB: 13000, shift: 15, outputType: 'int8', relu: false, ...overrides });

const CASES: readonly (readonly [string, AddOp])[] = [
  ['uint8 + uint8 -> uint8, 16x16x64', { count: 16 * 16 * 64, signedA: false, signedB: false, scale: scale({ outputType: 'uint8' }) }],
  ['int8 + int8 -> int8, 37 elements', { count: 37, signedA: true, signedB: true, scale: scale() }],
  ['int8 + uint8 -> int8 with ReLU, 1003 elements', { count: 1003, signedA: true, signedB: false, scale: scale({ relu: true }) }],
  ['uint8 + int8 -> uint8, 6 elements (idle cores)', { count: 6, signedA: false, signedB: true, scale: scale({ outputType: 'uint8' }) }],
  ['int8 + int8 -> uint8, shift 1 (saturates)', { count: 301, signedA: true, signedB: true, scale: scale({ outputType: 'uint8', shift: 1, multiplierA: 3, multiplierB: 1 }) }],
  ['uint8 + uint8 -> int8 with ReLU, largest multipliers, shift 31', { count: 130, signedA: false, signedB: false, scale: scale({ relu: true, shift: 31, multiplierA: 32767, multiplierB: 32767 }) }],
  ['int8 + int8, largest multipliers, shift 16', { count: 515, signedA: true, signedB: true, scale: scale({ shift: 16, multiplierA: 32767, multiplierB: 32767 }) }],
  ['int8 + uint8, zero multiplier for b', { count: 64, signedA: true, signedB: false, scale: scale({ multiplierB: 0, shift: 8 }) }],
];

describe('add kernel against goldenAdd', () => {
  it.each(CASES.flatMap(([name, op]) => [1, 8].map((cores) => [name, cores, op] as const)))('%s on %i cores', (_, cores, op) => {
    expectAddBitExact(op, cores, 31);
  });

  it.each(['misaligned', 'in-place'] as const)('%s tensors, 8 cores', (layout) => {
    expectAddBitExact({ count: 999, signedA: true, signedB: false, scale: scale({ outputType: 'uint8' }) }, 8, 7, layout);
    expectAddBitExact({ count: 999, signedA: false, signedB: true, scale: scale({ relu: true }) }, 3, 8, layout);
  });

  it('runs 16x16x64 at under 0.75 cycles per byte on 8 cores (22 cycles per word and core)', () => {
    const count = 16 * 16 * 64;
    const run = expectAddBitExact({ count, signedA: true, signedB: true, scale: scale() }, 8, 5);
    expect(run.cycles / count).toBeLessThan(0.75);
    expect(run.perCore.every((core) => core.loadUse === 0)).toBe(true);
  });

  it('needs three tensors of L1 and refuses bad scales, counts and overlaps', () => {
    const op: AddOp = { count: 100, signedA: true, signedB: true, scale: scale() };
    expect(addL1Bytes(op)).toBe(300);
    const at = { a: L1, b: L1 + 100, output: L1 + 200 };
    expect(() => addCode({ ...op, scale: scale({ shift: 0 }) }, at, 8)).toThrow(/add: shift must be an integer from 1 to 31, not 0/);
    expect(() => addCode({ ...op, scale: scale({ multiplierA: 32768 }) }, at, 8)).toThrow(/multiplierA must be an integer from 0 to 32767/);
    expect(() => addCode({ ...op, count: 0 }, at, 8)).toThrow(/count must be an integer/);
    expect(() => addCode(op, { ...at, output: L1 + 150 }, 8)).toThrow(/output .* overlaps the input b .* without being it/);
    expect(() => addCode(op, { ...at, a: L1 - 4 }, 8)).toThrow(/a \(0xffffffc, 100 bytes\) does not lie in L1/);
  });
});

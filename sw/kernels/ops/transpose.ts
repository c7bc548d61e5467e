/**
 * The transpose kernel (sw/layers/transpose.ts): `rows` rows of `cols` bytes in L1 into `cols`
 * rows of `rows` bytes. Each core writes a range of output rows; an output row is one input column,
 * read with a post-incremented byte load that steps a whole input row, two bytes per pass of a
 * hardware loop so that no load is followed by its use.
 */
import type { Addr } from '../../../isa/types.js';
import { splitRange } from '../layers/split.js';
import { countedLoopLines, type TokenMatrix } from './row-loops.js';

export interface TransposePlan {
  readonly input: Addr;
  readonly output: Addr;
}

/** cv.lbu's post-increment immediate reaches 2047: wider rows step by a register. */
const MAX_IMMEDIATE_STEP = 2047;

export function transposeCode(shape: TokenMatrix, plan: TransposePlan, cores: number): string[] {
  const { rows, cols } = shape;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) throw new RangeError(`transpose: a ${rows} x ${cols} matrix`);
  const step = cols <= MAX_IMMEDIATE_STEP ? String(cols) : 's2';
  const load = (r: string): string => `  cv.lbu ${r}, (a1), ${step}`;
  const store = (r: string): string => `  cv.sb ${r}, (a2), 1`;
  return [
    ...splitRange(cols, cores).flatMap((range, core) => [
      `core_${core}:`,
      ...(range.count === 0
        ? []
        : [
            `  li a3, ${plan.input + range.start}     # the input column of the core's first output row`,
            `  li a2, ${plan.output + range.start * rows}`,
            `  li a4, ${range.count}`,
            ...(step === 's2' ? [`  li s2, ${cols}`] : []),
            `transpose_row_${core}:`,
            '  mv a1, a3',
            ...countedLoopLines(`transpose_pass_${core}`, rows, 2, [load('t0'), load('t1'), store('t0'), store('t1')], [load('t0'), store('t0')], 't2'),
            '  addi a3, a3, 1',
            '  addi a4, a4, -1',
            `  bnez a4, transpose_row_${core}`,
          ]),
      '  j kernel_end',
    ]),
  ];
}

/**
 * The softmax kernel (docs/integer-nonlinear.md#softmax): exactly goldenSoftmax
 * (sw/layers/softmax.ts) on the cores, each core a contiguous range of rows (splitRange).
 *
 * Per row, three passes, each a hardware loop over the row unrolled by 2 or 4 with the elements
 * interleaved so that no loaded value is used by the next instruction:
 * 1. the maximum (cv.max over byte loads);
 * 2. per element the exponential: the distance to the maximum times the multiplier K, as
 *    x * (-K) + max * K (each term, and the sum, at most 255 K, below 2^31) with the second as
 *    cv.addrnr's addend and that cv.addrnr's rounding shift giving the base-2 fixed point; the
 *    split by a shift and a mask, the polynomial (one square), the shift by the integer part
 *    (clamped at 31 by cv.minu); stored as a word in the core's scratch row and summed;
 * 3. per element (e * 255 + sum / 2) / sum with divu, stored as a byte.
 * About 2 + 11 + 5 instructions per element plus the divider's 3 + leading zeros of the sum.
 */
import type { Addr } from '../../../isa/types.js';
import { checkSoftmaxShape, SOFTMAX_FRACTION_BITS, type SoftmaxParameters } from '../../layers/softmax.js';
import { addConstantLines } from '../layers/im2col.js';
import { splitRange } from '../layers/split.js';
import { coreEntryLines, countedLoopLines, interleave, type TokenMatrix } from './row-loops.js';

export interface SoftmaxPlan {
  readonly input: Addr;
  readonly output: Addr;
  /** Core i's exponentials: scratch + i * softmaxScratchBytes(cols). */
  readonly scratch: Addr;
}

/** Scratch bytes per core: one word per element of a row. */
export const softmaxScratchBytes = (cols: number): number => 4 * cols;

const R = {
  input: 's0',
  output: 's1',
  rows: 's2',
  scratch: 's3',
  /** -inputMultiplier: x * (-K) + max * K is the distance times K, so no subtraction. */
  negatedMultiplier: 's4',
  shift: 's5',
  offset: 's6',
  constant: 's7',
  maxShift: 's8',
  scale: 's9',
  counter: 's10',
  cursor: 'a0',
  max: 'a1',
  /** max * inputMultiplier, cv.addrnr's addend. */
  scaledMax: 'a6',
  stored: 'a2',
  sum: 'a3',
  half: 'a4',
  outCursor: 'a5',
  values: ['t0', 't1', 't2', 't3'],
  octaves: ['t4', 't5'],
} as const;

/** Pass 1: the row's maximum into R.max. */
function maximumLines(cols: number): string[] {
  const load = (r: string): string => `  cv.lb ${r}, (${R.cursor}), 1`;
  const max = (r: string): string => `  cv.max ${R.max}, ${R.max}, ${r}`;
  return [
    `  mv ${R.cursor}, ${R.input}`,
    `  li ${R.max}, -128`,
    ...countedLoopLines('softmax_max_end', cols, 4, [...R.values.map(load), ...R.values.map(max)], [load(R.values[0]), max(R.values[0])], R.counter),
  ];
}

/** One element's exponential from its loaded value in `v` (`z` a second register), stored and summed. */
function exponentialSteps(v: string, z: string): string[][] {
  return [
    [`  mul ${v}, ${v}, ${R.negatedMultiplier}`],
    [`  cv.addrnr ${v}, ${R.scaledMax}, ${R.shift}`],
    [`  srli ${z}, ${v}, ${SOFTMAX_FRACTION_BITS}`],
    [`  andi ${v}, ${v}, ${(1 << SOFTMAX_FRACTION_BITS) - 1}`],
    [`  sub ${v}, ${R.offset}, ${v}`],
    [`  mul ${v}, ${v}, ${v}`],
    [`  add ${v}, ${v}, ${R.constant}`],
    [`  cv.minu ${z}, ${z}, ${R.maxShift}`],
    [`  srl ${v}, ${v}, ${z}`],
    [`  cv.sw ${v}, (${R.stored}), 4`],
    [`  add ${R.sum}, ${R.sum}, ${v}`],
  ];
}

/** Pass 2: exponentials into the scratch row, their sum into R.sum. */
function exponentialLines(cols: number): string[] {
  const [a, b] = R.values;
  const [za, zb] = R.octaves;
  const load = (r: string): string => `  cv.lb ${r}, (${R.cursor}), 1`;
  return [
    `  mul ${R.scaledMax}, ${R.max}, ${R.negatedMultiplier}`,
    `  neg ${R.scaledMax}, ${R.scaledMax}`,
    `  mv ${R.cursor}, ${R.input}`,
    `  mv ${R.stored}, ${R.scratch}`,
    `  li ${R.sum}, 0`,
    ...countedLoopLines('softmax_exp_end', cols, 2, [load(a), load(b), ...interleave([exponentialSteps(a, za), exponentialSteps(b, zb)])], [load(a), ...exponentialSteps(a, za).flat()], R.counter),
  ];
}

/** Pass 3: each exponential over the sum, rounded, as a byte of the output row. */
function normalizeLines(cols: number): string[] {
  const [a, b] = R.values;
  const load = (r: string): string => `  cv.lw ${r}, (${R.stored}), 4`;
  const steps = (v: string): string[][] => [[`  mul ${v}, ${v}, ${R.scale}`], [`  add ${v}, ${v}, ${R.half}`], [`  divu ${v}, ${v}, ${R.sum}`], [`  cv.sb ${v}, (${R.outCursor}), 1`]];
  return [
    `  mv ${R.stored}, ${R.scratch}`,
    `  mv ${R.outCursor}, ${R.output}`,
    `  srli ${R.half}, ${R.sum}, 1`,
    ...countedLoopLines('softmax_div_end', cols, 2, [load(a), load(b), ...interleave([steps(a), steps(b)])], [load(a), ...steps(a).flat()], R.counter),
  ];
}

/**
 * Every core's code (the contract of VariantGenerator.code, sw/kernels/layers/generator.ts):
 * `core_<i>` entered with a0 = hart id, ending with `j kernel_end`; stores only to the output and
 * the core's scratch row.
 */
export function softmaxCode(params: SoftmaxParameters, shape: TokenMatrix, plan: SoftmaxPlan, cores: number): string[] {
  const { rows, cols } = shape;
  checkSoftmaxShape(params, rows, cols);
  const ranges = splitRange(rows, cores);
  const entries = coreEntryLines(ranges, 'softmax_start', (range, core) => [
    `  li ${R.input}, ${plan.input + range.start * cols}`,
    `  li ${R.output}, ${plan.output + range.start * cols}`,
    `  li ${R.rows}, ${range.count}`,
    `  li ${R.scratch}, ${plan.scratch + core * softmaxScratchBytes(cols)}`,
  ]);
  return [
    ...entries,
    'softmax_start:',
    `  li ${R.negatedMultiplier}, ${-params.inputMultiplier}`,
    `  li ${R.shift}, ${params.inputShift}`,
    `  li ${R.offset}, ${params.polynomialOffset}`,
    `  li ${R.constant}, ${params.polynomialConstant}`,
    `  li ${R.maxShift}, 31`,
    `  li ${R.scale}, 255`,
    'softmax_row:',
    ...maximumLines(cols),
    ...exponentialLines(cols),
    ...normalizeLines(cols),
    ...addConstantLines(R.input, R.input, cols, R.counter),
    ...addConstantLines(R.output, R.output, cols, R.counter),
    `  addi ${R.rows}, ${R.rows}, -1`,
    `  bnez ${R.rows}, softmax_row`,
    '  j kernel_end',
  ];
}

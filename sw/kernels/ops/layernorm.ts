/**
 * The LayerNormalization kernel (docs/integer-nonlinear.md#layernorm): exactly goldenLayerNorm
 * (sw/layers/layernorm.ts) on the cores, each core a contiguous range of tokens (splitRange).
 *
 * Per token, over its D features:
 * 1. the sum, four bytes per cv.sdotsp.b against 0x01010101 (word loads, misaligned when D is not
 *    a multiple of 4), the leftover bytes one by one; the rounded mean with one divu;
 * 2. the variance sum: per element the centred value, its square, a right shift, the sum
 *    (6 instructions, two elements interleaved); epsilon is its initial value;
 * 3. the normalization: cv.fl1 finds the top bit, an even shift brings the sum to 29..30 bits, the
 *    floor square root in 16 branch-free steps of compare and subtract (a hardware loop), and one
 *    divu for 2^30 / root;
 * 4. the output: per element the centred value times the row factor and a rounding shift
 *    (a multiply and cv.addrnr, the centring folded in), the feature's gamma and beta (two
 *    post-increment word loads) by cv.mac, the rounding output shift, cv.clip to int8 and a byte
 *    store (9 instructions).
 *
 * The per-feature parameters are one image in L1 (layerNormParameterImage): gamma and beta of
 * feature j in words 2j and 2j + 1.
 */
import type { Addr } from '../../../isa/types.js';
import { type LayerNormParameters, MEAN_FRACTION_BITS, NORM_FRACTION_BITS } from '../../layers/layernorm.js';
import { wordsToBytes } from '../words.js';
import { addConstantLines } from '../layers/im2col.js';
import { splitRange } from '../layers/split.js';
import { coreEntryLines, countedLoopLines, interleave, type TokenMatrix } from './row-loops.js';

export interface LayerNormPlan {
  readonly input: Addr;
  readonly output: Addr;
  /** layerNormParameterImage(params), word-aligned. */
  readonly parameters: Addr;
}

/** Gamma and beta of each feature, interleaved, as the kernel reads them. */
export function layerNormParameterImage(params: LayerNormParameters): Uint8Array {
  return wordsToBytes(Array.from(params.gamma).flatMap((gamma, j) => [gamma, params.beta[j]!]));
}

const R = {
  input: 's0',
  output: 's1',
  rows: 's2',
  parameters: 's3',
  ones: 's4',
  epsilon: 's5',
  outputShift: 's6',
  counter: 's7',
  cursor: 'a0',
  mean: 'a1',
  variance: 'a2',
  normShift: 'a3',
  factor: 'a4',
  parameterCursor: 'a5',
  outCursor: 'a6',
  scratch: 'a7',
  values: ['t0', 't1', 't2', 't3', 't4', 't5'],
  root: 's8',
  bit: 's9',
  trial: 's10',
  mask: 's11',
  /** -(mean * factor): with factor * 2^7 as multiplier, x * multiplier + offset = c * factor. */
  offset: 't6',
} as const;

/** Pass 1: the row's sum, then its rounded mean in 2^-7 steps, into R.mean. */
function meanLines(features: number): string[] {
  const [a, b, c, d] = R.values;
  const words = [a, b, c, d].map((r) => `  cv.lw ${r}, (${R.cursor}), 4`);
  const dots = [a, b, c, d].map((r) => `  cv.sdotsp.b ${R.mean}, ${r}, ${R.ones}`);
  const wordCount = Math.floor(features / 4);
  return [
    `  mv ${R.cursor}, ${R.input}`,
    `  li ${R.mean}, 0`,
    ...countedLoopLines('layernorm_sum_end', wordCount, 4, [...words, ...dots], [words[0]!, dots[0]!], R.counter),
    ...Array.from({ length: features % 4 }, () => [`  cv.lb ${a}, (${R.cursor}), 1`, `  add ${R.mean}, ${R.mean}, ${a}`]).flat(),
    // mean = floor(((sum + 128 D) * 2^7 + floor(D / 2)) / D) - 128 * 2^7, the division of non-negative numbers.
    ...addConstantLines(R.mean, R.mean, 128 * features, R.scratch),
    `  slli ${R.mean}, ${R.mean}, ${MEAN_FRACTION_BITS}`,
    ...addConstantLines(R.mean, R.mean, features >> 1, R.scratch),
    `  li ${R.scratch}, ${features}`,
    `  divu ${R.mean}, ${R.mean}, ${R.scratch}`,
    ...addConstantLines(R.mean, R.mean, -(128 << MEAN_FRACTION_BITS), R.scratch),
  ];
}

/** Pass 2: epsilon plus the shifted squares of the centred values, into R.variance. */
function varianceLines(params: LayerNormParameters): string[] {
  const [a, b] = R.values;
  const load = (r: string): string => `  cv.lb ${r}, (${R.cursor}), 1`;
  const steps = (v: string): string[][] => [
    [`  slli ${v}, ${v}, ${MEAN_FRACTION_BITS}`],
    [`  sub ${v}, ${v}, ${R.mean}`],
    [`  mul ${v}, ${v}, ${v}`],
    [`  srli ${v}, ${v}, ${params.squareShift}`],
    [`  add ${R.variance}, ${R.variance}, ${v}`],
  ];
  return [
    `  mv ${R.cursor}, ${R.input}`,
    `  mv ${R.variance}, ${R.epsilon}`,
    ...countedLoopLines('layernorm_var_end', params.features, 2, [load(a), load(b), ...interleave([steps(a), steps(b)])], [load(a), ...steps(a).flat()], R.counter),
  ];
}

/**
 * Pass 3: the variance sum normalized by an even shift t, its floor square root bit by bit
 * (integerSquareRoot: the subtraction taken or not by a mask, no branch), R.factor = 2^30 / root
 * and R.normShift = 30 - m - t/2.
 */
function rootLines(): string[] {
  return [
    `  cv.fl1 ${R.normShift}, ${R.variance}`,
    `  li ${R.scratch}, 30`,
    `  sub ${R.normShift}, ${R.scratch}, ${R.normShift}`,
    `  andi ${R.normShift}, ${R.normShift}, -2          # t, even`,
    `  sll ${R.variance}, ${R.variance}, ${R.normShift}`,
    `  srli ${R.normShift}, ${R.normShift}, 1`,
    `  li ${R.scratch}, ${30 - NORM_FRACTION_BITS}`,
    `  sub ${R.normShift}, ${R.scratch}, ${R.normShift}`,
    `  li ${R.root}, 0`,
    `  li ${R.bit}, ${1 << 30}`,
    `  li ${R.counter}, 16`,
    `  cv.setup 0, ${R.counter}, layernorm_root_end`,
    `  add ${R.trial}, ${R.root}, ${R.bit}`,
    `  sltu ${R.mask}, ${R.variance}, ${R.trial}`,
    `  addi ${R.mask}, ${R.mask}, -1               # all ones when the trial fits`,
    `  and ${R.trial}, ${R.trial}, ${R.mask}`,
    `  sub ${R.variance}, ${R.variance}, ${R.trial}`,
    `  srli ${R.root}, ${R.root}, 1`,
    `  and ${R.trial}, ${R.bit}, ${R.mask}`,
    `  add ${R.root}, ${R.root}, ${R.trial}`,
    `  srli ${R.bit}, ${R.bit}, 2`,
    'layernorm_root_end:',
    `  li ${R.factor}, ${1 << 30}`,
    `  divu ${R.factor}, ${R.factor}, ${R.root}`,
  ];
}

/**
 * Pass 4: each output byte. c * factor is computed as x * (factor * 2^7) - mean * factor (the same
 * int32, both terms below 2^30), so the centring costs no instruction: the subtraction rides in
 * cv.addrnr's addend.
 */
function outputLines(features: number): string[] {
  const [a, b, ga, gb, ba, bb] = R.values;
  const steps = (v: string, gamma: string, beta: string): string[][] => [
    [`  cv.lb ${v}, (${R.cursor}), 1`],
    // Together: the feature's gamma and beta are adjacent words.
    [`  cv.lw ${gamma}, (${R.parameterCursor}), 4`, `  cv.lw ${beta}, (${R.parameterCursor}), 4`],
    [`  mul ${v}, ${v}, ${R.factor}`],
    [`  cv.addrnr ${v}, ${R.offset}, ${R.normShift}`],
    [`  cv.mac ${beta}, ${v}, ${gamma}`],
    [`  cv.addrnr ${beta}, zero, ${R.outputShift}`],
    [`  cv.clip ${beta}, ${beta}, 8`],
    [`  cv.sb ${beta}, (${R.outCursor}), 1`],
  ];
  return [
    `  mul ${R.offset}, ${R.mean}, ${R.factor}`,
    `  neg ${R.offset}, ${R.offset}`,
    `  slli ${R.factor}, ${R.factor}, ${MEAN_FRACTION_BITS}`,
    `  mv ${R.cursor}, ${R.input}`,
    `  mv ${R.parameterCursor}, ${R.parameters}`,
    `  mv ${R.outCursor}, ${R.output}`,
    ...countedLoopLines('layernorm_out_end', features, 2, interleave([steps(a, ga, ba), steps(b, gb, bb)]), steps(a, ga, ba).flat(), R.counter),
  ];
}

/**
 * Every core's code (the contract of VariantGenerator.code, sw/kernels/layers/generator.ts):
 * `core_<i>` entered with a0 = hart id, ending with `j kernel_end`; stores only to the output.
 */
export function layerNormCode(params: LayerNormParameters, shape: TokenMatrix, plan: LayerNormPlan, cores: number): string[] {
  const { rows, cols: d } = shape;
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`layernorm: ${rows} rows`);
  if (d !== params.features) throw new RangeError(`layernorm: rows of ${d} features, parameters for ${params.features}`);
  const ranges = splitRange(rows, cores);
  const entries = coreEntryLines(ranges, 'layernorm_start', (range) => [
    `  li ${R.input}, ${plan.input + range.start * d}`,
    `  li ${R.output}, ${plan.output + range.start * d}`,
    `  li ${R.rows}, ${range.count}`,
  ]);
  return [
    ...entries,
    'layernorm_start:',
    `  li ${R.parameters}, ${plan.parameters}`,
    `  li ${R.ones}, 0x01010101`,
    `  li ${R.epsilon}, ${params.epsilon}`,
    `  li ${R.outputShift}, ${params.outputShift}`,
    'layernorm_row:',
    ...meanLines(d),
    ...varianceLines(params),
    ...rootLines(),
    ...outputLines(d),
    ...addConstantLines(R.input, R.input, d, R.scratch),
    ...addConstantLines(R.output, R.output, d, R.scratch),
    `  addi ${R.rows}, ${R.rows}, -1`,
    `  bnez ${R.rows}, layernorm_row`,
    '  j kernel_end',
  ];
}

/**
 * The GELU kernel (docs/integer-nonlinear.md#gelu): a 256-byte table in L1, built on the host by
 * geluTable (sw/layers/gelu.ts) from the golden integer function, so the kernel equals goldenGelu
 * by construction; the cores only index it. The tensor's elements are split between the cores in
 * contiguous ranges of whole words (splitRange), an element-wise operator needing no row structure.
 *
 * Per element: a byte load of the input (unsigned: the table's index), a register-offset byte load
 * from the table (cv.lbu rd, index(table)) and a byte store; four elements interleaved in a
 * hardware loop so that no load feeds the next instruction: 3 cycles per element.
 */
import type { Addr } from '../../../isa/types.js';
import { type GeluParameters, geluTable } from '../../layers/gelu.js';
import { splitRange } from '../layers/split.js';
import { countedLoopLines, type TokenMatrix } from './row-loops.js';

export interface GeluPlan {
  readonly input: Addr;
  readonly output: Addr;
  /** geluTableImage(params): 256 bytes, entry b the output byte of input byte b. */
  readonly table: Addr;
}

/** The table the kernel reads. */
export const geluTableImage = (params: GeluParameters): Uint8Array => geluTable(params);

/** Elements per core range: whole words, so that every range but the last starts word-aligned. */
const GRANULE = 4;

const R = {
  input: 'a1',
  output: 'a2',
  table: 'a3',
  counter: 'a4',
  indices: ['t0', 't1', 't2', 't3'],
  values: ['t4', 't5', 't6', 'a5'],
} as const;

function lookupLines(label: string, count: number): string[] {
  const load = (r: string): string => `  cv.lbu ${r}, (${R.input}), 1`;
  const lookup = (r: string, index: string): string => `  cv.lbu ${r}, ${index}(${R.table})`;
  const store = (r: string): string => `  cv.sb ${r}, (${R.output}), 1`;
  const [i0] = R.indices;
  const [v0] = R.values;
  const unrolled = [...R.indices.map(load), ...R.values.map((v, k) => lookup(v, R.indices[k]!)), ...R.values.map(store)];
  return countedLoopLines(label, count, 4, unrolled, [load(i0), lookup(v0, i0), store(v0)], R.counter);
}

/**
 * Every core's code (the contract of VariantGenerator.code, sw/kernels/layers/generator.ts):
 * `core_<i>` entered with a0 = hart id, ending with `j kernel_end`; stores only to the output.
 * The table carries the parameters. Each core's count is a constant of its own copy of the loop.
 */
export function geluCode(shape: TokenMatrix, plan: GeluPlan, cores: number): string[] {
  const elements = shape.rows * shape.cols;
  if (!Number.isInteger(elements) || elements < 1) throw new RangeError(`gelu: a ${shape.rows} x ${shape.cols} tensor`);
  return splitRange(elements, cores, GRANULE).flatMap((range, core) => [
    `core_${core}:`,
    ...(range.count === 0
      ? []
      : [`  li ${R.input}, ${plan.input + range.start}`, `  li ${R.output}, ${plan.output + range.start}`, `  li ${R.table}, ${plan.table}`, ...lookupLines(`gelu_end_${core}`, range.count)]),
    '  j kernel_end',
  ]);
}

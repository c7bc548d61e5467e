/**
 * The register block of the Xnmsparse revision-1 layer kernel (docs/kernels.md#xnmsparse-revision-1):
 * up to 2 output channels x up to 4 pixels, as a subroutine. Per group of four non-zeros and channel
 * it loads one weight word, gathers the four selected activations of every pixel with nm.lg.b / nm.lgc.b (the
 * pixels share the channel's index register; the last pixel's gather consumes the field), and
 * multiplies each pixel's word with cv.sdot(u)sp.b; then every pixel's base advances one group span.
 *
 * Why 2 x 4: with C channels x P pixels, per non-zero MAC the loop costs 1 gather + 1/4 sdot +
 * 1/(4P) weight loads (a weight word serves the pixels) + 1/(4C) base advances (an addi serves the
 * channels) + 1/(F P) index loads (F fields per index word, the word serving the pixels). 2 x 4 and
 * 4 x 2 pay the same 1/16 + 1/8 for weights and advances, but 2 x 4 reloads indices half as often:
 * 1.4375 + 1/(4F) cycles per non-zero MAC (1.469 at 1:8) against 1.500. 4 x 4 (1.406) would need
 * 16 accumulators, 4 activation, 4 base, 4 index and 8 pointer registers, more than the 30 a core
 * has once the caller's loop state is kept; 3 x 4 (1.458) fits only without the caller's state.
 */
import { patternName, type SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { SparseLayout } from '../../sparse/format.js';
import type { LayerSpec } from '../../layers/spec.js';
import { addConstantLines } from './im2col.js';
import { requantizeLines } from './requantize-asm.js';

/** Most output channels and pixels of one block. */
export const BLOCK_CHANNELS = 2;
export const BLOCK_PIXELS = 4;

/**
 * The block's inputs, which it leaves unchanged (the caller's loop state): the first pixel's
 * im2col column, the first channel's values, index words and quantization record, and the output
 * byte of (first pixel, first channel).
 */
export const BLOCK_INPUT = { column: 'tp', values: 's9', indices: 's10', quantization: 's11', output: 'gp' } as const;

/** Registers the block overwrites (every one but BLOCK_INPUT's, ra and sp). */
const ACC = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7'];
const accumulator = (channel: number, pixel: number): string => ACC[channel * BLOCK_PIXELS + pixel]!;
const ACTIVATION = ['a0', 'a1', 'a2', 'a3'];
const BASE = ['a4', 'a5', 'a6', 'a7'];
const INDEX = ['t0', 't1'];
const WEIGHT = ['t2', 't3'];
const VALUE_POINTER = ['t4', 't5'];
const INDEX_POINTER = ['t6', 's8'];

export interface BlockShape {
  readonly channels: number;
  readonly pixels: number;
}

/** What the block code needs to know about the layer. */
export interface BlockLayer {
  readonly spec: LayerSpec;
  readonly pattern: SparsityPattern;
  readonly layout: SparseLayout;
  /** Bytes from one pixel's column to the next (the im2col buffer's Kp, the input row's inC, or stride * inC in a padded input). */
  readonly columnStride: number;
  /**
   * When a column is not contiguous but the kernel rows of a window in a (padded) input: groups per
   * kernel row (a row is whole groups), and the bytes from a row's end to the next row's start.
   */
  readonly windowRows?: { readonly groups: number; readonly jump: number };
}

export const blockLabel = ({ channels, pixels }: BlockShape): string => `xnm_block_${channels}ch_${pixels}px`;

/**
 * One group of four non-zeros for every channel and pixel. With two or more pixels, channel after
 * channel and lane after lane the pixels' gathers alternate, so no gather reads (as its rd) a
 * register the previous gather loaded; with one pixel the channels alternate instead, each with its
 * own activation and weight register. Then every pixel's base advances by `advance` bytes.
 */
function groupLines(layer: BlockLayer, shape: BlockShape, advance: number): string[] {
  const { channels, pixels } = shape;
  const pattern = patternName(layer.pattern);
  const dot = layer.spec.inputSigned ? 'cv.sdotsp.b' : 'cv.sdotusp.b';
  const lines: string[] = [];
  if (pixels > 1) {
    for (let c = 0; c < channels; c++) {
      lines.push(`  cv.lw ${WEIGHT[0]}, (${VALUE_POINTER[c]}), 4      # channel ${c}: four weights`);
      for (let lane = 0; lane < 4; lane++) {
        for (let p = 0; p < pixels; p++) {
          const op = p === pixels - 1 ? 'nm.lgc.b' : 'nm.lg.b';
          lines.push(`  ${op} ${ACTIVATION[p]}, ${INDEX[c]}(${BASE[p]}), ${lane}, ${pattern}`);
        }
      }
      for (let p = 0; p < pixels; p++) lines.push(`  ${dot} ${accumulator(c, p)}, ${ACTIVATION[p]}, ${WEIGHT[0]}`);
    }
  } else {
    for (let c = 0; c < channels; c++) lines.push(`  cv.lw ${WEIGHT[c]}, (${VALUE_POINTER[c]}), 4      # channel ${c}: four weights`);
    for (let lane = 0; lane < 4; lane++) {
      for (let c = 0; c < channels; c++) lines.push(`  nm.lgc.b ${ACTIVATION[c]}, ${INDEX[c]}(${BASE[0]}), ${lane}, ${pattern}`);
    }
    for (let c = 0; c < channels; c++) lines.push(`  ${dot} ${accumulator(c, 0)}, ${ACTIVATION[c]}, ${WEIGHT[c]}`);
  }
  const note = advance === layer.layout.groupSpan ? '' : '      # end of a kernel row: on to the next row of the window';
  for (let p = 0; p < pixels; p++) lines.push(`  addi ${BASE[p]}, ${BASE[p]}, ${advance}${p === 0 ? note : ''}`);
  return lines;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The groups of the reduction, cut into a repeated unit: a whole number of index words (reloaded
 * when a word starts) and, for windows, of kernel rows (every base jumps to the next row after
 * each).
 */
function reductionUnit(layer: BlockLayer): { unit: number; groups: number } {
  const perWord = layer.layout.fieldsPerWord / 4;
  const perRow = layer.windowRows?.groups ?? perWord;
  return { unit: (perWord * perRow) / gcd(perWord, perRow), groups: layer.layout.nonZerosPerChannel / 4 };
}

function reductionLines(layer: BlockLayer, shape: BlockShape, groups: number): string[] {
  const perWord = layer.layout.fieldsPerWord / 4;
  const lines: string[] = [];
  for (let g = 0; g < groups; g++) {
    if (g % perWord === 0) for (let c = 0; c < shape.channels; c++) lines.push(`  cv.lw ${INDEX[c]}, (${INDEX_POINTER[c]}), 4      # channel ${c}: next packed indices`);
    const rows = layer.windowRows;
    const rowEnd = rows !== undefined && (g + 1) % rows.groups === 0;
    lines.push(...groupLines(layer, shape, layer.layout.groupSpan + (rowEnd ? rows.jump : 0)));
  }
  return lines;
}

/** Instructions a hardware-loop body may hold (cv.setup's 12-bit halfword offset), with a margin. */
const MAX_LOOP_BODY = 1800;

/**
 * How the gather loop runs: `flat`, a hardware loop over reduction units (whole index words and
 * kernel rows, the row jump folded into the last group's base advance), then the remaining groups;
 * or `nested`, for windows whose unit would overflow a loop body but whose rows are whole index
 * words: loop 1 over the kernel rows, loop 0 over the index words of a row, then the row jump.
 */
type LoopPlan = { readonly kind: 'flat' } | { readonly kind: 'nested'; readonly rows: number; readonly wordsPerRow: number };

function loopPlan(layer: BlockLayer, shape: BlockShape): LoopPlan | undefined {
  if (reductionLines(layer, shape, reductionUnit(layer).unit).length <= MAX_LOOP_BODY) return { kind: 'flat' };
  const rows = layer.windowRows;
  const perWord = layer.layout.fieldsPerWord / 4;
  if (!rows || rows.groups % perWord !== 0) return undefined;
  return { kind: 'nested', rows: reductionUnit(layer).groups / rows.groups, wordsPerRow: rows.groups / perWord };
}

/** Whether the block can run this layer's reduction (a window layer falls back to im2col otherwise). */
export function blockFits(layer: BlockLayer): boolean {
  return loopPlan(layer, { channels: BLOCK_CHANNELS, pixels: BLOCK_PIXELS }) !== undefined;
}

/** Loop 1's body must end at least two instructions after loop 0's (CV32E40P hardware loops). */
const rowJumpLines = (pixels: number, jump: number): string[] => [
  ...Array.from({ length: pixels }, (_, p) => `  addi ${BASE[p]}, ${BASE[p]}, ${jump}${p === 0 ? '      # on to the next row of the window' : ''}`),
  ...(pixels < 2 ? ['  nop                  # loop 1 ends two instructions after loop 0'] : []),
];

/**
 * Instructions (= cycles, stall-free) of the block's gather loop, for the bound: per group and
 * channel a weight load, 4 gathers and one sdot per pixel; per group one base advance per pixel; per
 * index word and channel one load; with nested loops, per kernel row the jump and the inner loop's setup.
 */
export function blockLoopCycles(layer: BlockLayer, shape: BlockShape): number {
  const { channels, pixels } = shape;
  const { nonZerosPerChannel, indexWordsPerChannel } = layer.layout;
  const plan = loopPlan(layer, shape);
  const perRow = plan?.kind === 'nested' ? plan.rows * (2 + rowJumpLines(pixels, 0).length) : 0;
  return (nonZerosPerChannel / 4) * (channels * (1 + 5 * pixels) + pixels) + indexWordsPerChannel * channels + perRow;
}

function gatherLoopLines(layer: BlockLayer, shape: BlockShape, label: string): string[] {
  const plan = loopPlan(layer, shape);
  if (!plan) throw new Error(`the reduction of '${layer.spec.name}' overflows a hardware loop body (blockFits)`);
  const perWord = layer.layout.fieldsPerWord / 4;
  if (plan.kind === 'nested') {
    const plain: BlockLayer = { ...layer, windowRows: undefined };
    return [
      `  li ${INDEX[0]}, ${plan.rows}`,
      `  cv.setup 1, ${INDEX[0]}, ${label}_rows_end      # one kernel row per iteration`,
      `  li ${INDEX[0]}, ${plan.wordsPerRow}`,
      `  cv.setup 0, ${INDEX[0]}, ${label}_words_end      # one index word per channel and iteration`,
      ...reductionLines(plain, shape, perWord),
      `${label}_words_end:`,
      ...rowJumpLines(shape.pixels, layer.windowRows!.jump),
      `${label}_rows_end:`,
    ];
  }
  const { unit, groups } = reductionUnit(layer);
  const iterations = Math.floor(groups / unit);
  const lastGroups = groups % unit;
  const lines: string[] = [];
  if (iterations === 1) lines.push(...reductionLines(layer, shape, unit));
  if (iterations > 1) {
    lines.push(`  li ${INDEX[0]}, ${iterations}`, `  cv.setup 0, ${INDEX[0]}, ${label}_loop_end      # ${unit} group(s) of 4 non-zeros per channel and iteration`);
    lines.push(...reductionLines(layer, shape, unit), `${label}_loop_end:`);
  }
  if (lastGroups > 0) lines.push(`  # the last ${lastGroups} group(s)`, ...reductionLines(layer, shape, lastGroups));
  return lines;
}

/**
 * The block subroutine (called with `jal ra, <label>`): accumulators start at the channels' biases,
 * the gather loop runs over the whole reduction (gatherLoopLines), and the outputs are requantized
 * and stored.
 */
export function blockLines(layer: BlockLayer, shape: BlockShape): string[] {
  const { channels, pixels } = shape;
  const { spec, layout } = layer;
  const { nonZerosPerChannel: nz, indexWordsPerChannel: words } = layout;
  const label = blockLabel(shape);
  const lines = [`${label}:                  # ${channels} channel(s) x ${pixels} pixel(s)`];
  for (let c = 0; c < channels; c++) lines.push(`  lw ${accumulator(c, 0)}, ${12 * c}(${BLOCK_INPUT.quantization})      # channel ${c}: the bias starts the sum`);
  lines.push(`  mv ${VALUE_POINTER[0]}, ${BLOCK_INPUT.values}`, `  mv ${INDEX_POINTER[0]}, ${BLOCK_INPUT.indices}`);
  for (let c = 1; c < channels; c++) {
    lines.push(...addConstantLines(VALUE_POINTER[c]!, BLOCK_INPUT.values, c * nz, VALUE_POINTER[c]!));
    lines.push(...addConstantLines(INDEX_POINTER[c]!, BLOCK_INPUT.indices, c * words * 4, INDEX_POINTER[c]!));
  }
  for (let c = 0; c < channels; c++) for (let p = 1; p < pixels; p++) lines.push(`  mv ${accumulator(c, p)}, ${accumulator(c, 0)}`);
  lines.push(`  mv ${BASE[0]}, ${BLOCK_INPUT.column}`);
  for (let p = 1; p < pixels; p++) lines.push(...addConstantLines(BASE[p]!, BASE[p - 1]!, layer.columnStride, BASE[p]!));
  lines.push(...gatherLoopLines(layer, shape, label));
  // Requantize and store: pixel p, channel c at output + p * outC + c.
  const shift = ['t0', 't2'];
  const multiplier = ['t1', 't3'];
  for (let c = 0; c < channels; c++) lines.push(`  lw ${shift[c]}, ${12 * c + 4}(${BLOCK_INPUT.quantization})`, `  lw ${multiplier[c]}, ${12 * c + 8}(${BLOCK_INPUT.quantization})`);
  // Stores at immediate offsets from the output pointer when they fit, else a pointer walking the pixels.
  const direct = (pixels - 1) * spec.outC + channels - 1 < 2048;
  if (!direct) lines.push(`  mv ${BASE[0]}, ${BLOCK_INPUT.output}`, `  li ${BASE[1]}, ${spec.outC}`);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < channels; c++) {
      const address = direct ? `${p * spec.outC + c}(${BLOCK_INPUT.output})` : `${c}(${BASE[0]})`;
      lines.push(...requantizeLines(spec, accumulator(c, p), shift[c]!, multiplier[c]!), `  sb ${accumulator(c, p)}, ${address}`);
    }
    if (!direct && p < pixels - 1) lines.push(`  add ${BASE[0]}, ${BASE[0]}, ${BASE[1]}      # next pixel's outputs`);
  }
  lines.push('  ret');
  return lines;
}

/**
 * Where the Xnmsparse blocks find each pixel's column (docs/kernels.md#xnmsparse-revision-1), one of three:
 *
 * - `rows`: pointwise, fc and matmul layers; a pixel's column is its input row (inC bytes, read up
 *   to Kp: the bytes after it belong to the next row or to the weights, readable, and meet zero
 *   weights).
 * - `window`: convolutions whose kernel rows are whole groups (kW * inC a multiple of the group
 *   span): the gathers read the windows in place in a zero-padded copy of the input rows a pass
 *   needs (a slab in the core's scratch), the bases jumping from one kernel row to the next. The
 *   copy writes each input byte once per pass instead of kH * kW times as an im2col would.
 * - `im2col`: other convolutions; per pass, the columns of as many pixels as the scratch holds
 *   (sw/kernels/layers/im2col.ts), Kp bytes each.
 */
import { hex } from '../../../isa/bits.js';
import { type LayerSpec, LayerSpecError, outputHeight, outputPixels, outputWidth } from '../../layers/spec.js';
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { SparseLayout } from '../../sparse/format.js';
import type { LayerPlan } from './generator.js';
import { IM2COL_TEMPS, type Im2colRegisters, im2colColumnLines, im2colNextPixelLines, im2colStartLines } from './im2col.js';
import type { Range } from './split.js';
import { BLOCK_PIXELS, type BlockLayer, blockFits } from './xnmsparse-v1-block.js';

type ColumnSource = 'rows' | 'window' | 'im2col';

/** The padded input row of a window slab: the input row with the left and right padding, bytes. */
const slabRowBytes = (spec: LayerSpec): number => (spec.inW + spec.pad.left + spec.pad.right) * spec.inC;

/** A window's kernel rows in the slab: whole groups each, then the jump to the next row's start. */
function windowRowsOf(spec: LayerSpec, layout: SparseLayout): { groups: number; jump: number } {
  const rowBytes = spec.kW * spec.inC;
  return { groups: rowBytes / layout.groupSpan, jump: slabRowBytes(spec) - rowBytes };
}

function sourceOf(spec: LayerSpec, layout: SparseLayout): ColumnSource {
  if (spec.kind !== 'conv') return 'rows';
  const rows = windowRowsOf(spec, layout);
  // The last group of a kernel row advances the bases to the next row with one addi.
  if (!Number.isInteger(rows.groups) || layout.groupSpan + rows.jump >= 2048) return 'im2col';
  return blockFits({ spec, pattern: layout.pattern, layout, columnStride: spec.stride * spec.inC, windowRows: rows }) ? 'window' : 'im2col';
}

export interface ColumnLayer extends BlockLayer {
  readonly source: ColumnSource;
}

export function columnLayer(spec: LayerSpec, pattern: SparsityPattern, layout: SparseLayout): ColumnLayer {
  const source = sourceOf(spec, layout);
  const base = { spec, pattern, layout, source };
  if (source === 'rows') return { ...base, columnStride: spec.inC };
  if (source === 'im2col') return { ...base, columnStride: layout.kPadded };
  return { ...base, columnStride: spec.stride * spec.inC, windowRows: windowRowsOf(spec, layout) };
}

/** Slab rows (padded input rows) holding the windows of `outputRows` consecutive output rows. */
const slabRows = (spec: LayerSpec, outputRows: number): number => (outputRows - 1) * spec.stride + spec.kH;

/** Output rows per pass (window) or pixels per pass (im2col) that `scratchBytes` holds. */
function passSize(layer: ColumnLayer, scratchBytes: number): number {
  const { spec } = layer;
  if (layer.source === 'window') return Math.min(outputHeight(spec), Math.floor((Math.floor(scratchBytes / slabRowBytes(spec)) - spec.kH) / spec.stride) + 1);
  const columns = Math.floor(scratchBytes / layer.layout.kPadded);
  return columns >= BLOCK_PIXELS ? columns - (columns % BLOCK_PIXELS) : columns;
}

/** Scratch bytes per core: the most passes' worth that fit in `budget`, no more than the layer needs. */
export function columnScratchBytes(layer: ColumnLayer, budget: number): number {
  const { spec, layout } = layer;
  if (layer.source === 'rows') return 0;
  if (layer.source === 'window') {
    const rows = slabRows(spec, Math.max(1, passSize(layer, budget)));
    const bytes = rows * slabRowBytes(spec);
    if (bytes > budget) throw new LayerSpecError('tile', `the padded input rows of one output row of '${spec.name}' take ${bytes} bytes, more than the ${budget} bytes of L1 left per core`);
    return Math.ceil(bytes / 4) * 4;
  }
  const columns = Math.min(Math.ceil(outputPixels(spec) / BLOCK_PIXELS) * BLOCK_PIXELS, Math.floor(budget / layout.kPadded));
  if (columns < 1) throw new LayerSpecError('tile', `one im2col column of '${spec.name}' takes ${layout.kPadded} bytes, more than the ${budget} bytes of L1 left per core`);
  return columns * layout.kPadded;
}

/** Pixels whose columns lie at a constant stride from `column` on. */
export interface PixelRun {
  readonly first: number;
  readonly count: number;
  readonly column: number;
}

export interface Pass {
  /** Lines writing the pass's columns (none for `rows`). */
  readonly prepare: readonly string[];
  readonly runs: readonly PixelRun[];
  /** The window source: the slab's height in padded input rows. */
  readonly slabRows?: number;
}

/** The im2col's registers: all free while it runs (the blocks set theirs up afterwards). */
const IM2COL: Im2colRegisters = { y: 's0', x: 's1', column: 's2', temps: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 't0', 't1'] };
const IM2COL_COUNT = 's3';
const IM2COL_COLUMN = 'xnm_im2col_column';
const slabLabel = (rows: number): string => `xnm_slab_${rows}_rows`;

/**
 * The slab of `rows` padded input rows is the im2col "column" of a window `rows` high and as wide as
 * the padded input, at stride 1: rows above and below the input zero, each row inside it zeros,
 * the input row, zeros. One subroutine per slab height.
 */
const slabSpec = (spec: LayerSpec, rows: number): LayerSpec => ({ ...spec, kH: rows, kW: spec.inW + spec.pad.left + spec.pad.right, stride: 1 });

/** Output row segments of `pixels` (the runs of the window source: a row's pixels are stride * inC apart). */
function rowSegments(spec: LayerSpec, pixels: Range): Range[] {
  const width = outputWidth(spec);
  const segments: Range[] = [];
  for (let first = pixels.start; first < pixels.start + pixels.count; ) {
    const count = Math.min(width - (first % width), pixels.start + pixels.count - first);
    segments.push({ start: first, count });
    first += count;
  }
  return segments;
}

/**
 * About the cycles of building the columns of `pixels` (for choosing the work split): the bytes
 * the copies write, at two instructions per word copied or zeroed (four per byte when inC is not a
 * multiple of 4).
 */
export function columnCycles(layer: ColumnLayer, pixels: Range): number {
  const { spec } = layer;
  if (layer.source === 'rows' || pixels.count === 0) return 0;
  const perByte = spec.inC % 4 === 0 ? 0.5 : 2;
  if (layer.source === 'im2col') return pixels.count * layer.layout.kPadded * perByte;
  const width = outputWidth(spec);
  const outputRows = Math.floor((pixels.start + pixels.count - 1) / width) - Math.floor(pixels.start / width) + 1;
  return slabRows(spec, outputRows) * slabRowBytes(spec) * perByte;
}

/** Lengths of the pixel runs of `pixels` (for the bound; the passes do not cut an im2col run but at a block boundary). */
export function runLengths(layer: ColumnLayer, pixels: Range): number[] {
  return layer.source === 'window' ? rowSegments(layer.spec, pixels).map((s) => s.count) : [pixels.count];
}

/** The passes of one core over `pixels`, its scratch at `scratch`. */
export function corePasses(layer: ColumnLayer, plan: LayerPlan, pixels: Range, scratch: number, prefix: string): Pass[] {
  const { spec } = layer;
  if (layer.source === 'rows') return [{ prepare: [], runs: [{ first: pixels.start, count: pixels.count, column: plan.input + pixels.start * spec.inC }] }];
  const size = passSize(layer, plan.scratchBytes);
  const end = pixels.start + pixels.count;
  const passes: Pass[] = [];
  if (layer.source === 'im2col') {
    for (let first = pixels.start, pass = 0; first < end; first += size, pass++) {
      const count = Math.min(size, end - first);
      const label = `${prefix}_pass_${pass}_im2col`;
      passes.push({
        prepare: [
          `# pass ${pass}: im2col of pixels ${first}..${first + count - 1} into the scratch`,
          ...im2colStartLines(spec, first, IM2COL),
          `  li ${IM2COL.column}, ${hex(scratch)}`,
          `  li ${IM2COL_COUNT}, ${count}`,
          `${label}:`,
          `  jal ra, ${IM2COL_COLUMN}`,
          ...im2colNextPixelLines(spec, IM2COL, label),
          `  addi ${IM2COL_COUNT}, ${IM2COL_COUNT}, -1`,
          `  bnez ${IM2COL_COUNT}, ${label}`,
        ],
        runs: [{ first, count, column: scratch }],
      });
    }
    return passes;
  }
  const width = outputWidth(spec);
  const lastRow = Math.floor((end - 1) / width);
  for (let row = Math.floor(pixels.start / width), pass = 0; row <= lastRow; row += size, pass++) {
    const rows = Math.min(size, lastRow + 1 - row);
    const first = Math.max(pixels.start, row * width);
    const count = Math.min(end, (row + rows) * width) - first;
    const slab = slabRows(spec, rows);
    passes.push({
      prepare: [
        `# pass ${pass}: the padded input rows of output rows ${row}..${row + rows - 1} into the scratch`,
        ...im2colStartLines(slabSpec(spec, slab), row * spec.stride, IM2COL),
        `  li ${IM2COL.column}, ${hex(scratch)}`,
        `  jal ra, ${slabLabel(slab)}`,
      ],
      runs: rowSegments(spec, { start: first, count }).map(({ start, count }) => {
        const y = Math.floor(start / width) - row;
        const x = start % width;
        return { first: start, count, column: scratch + y * spec.stride * slabRowBytes(spec) + x * spec.stride * spec.inC };
      }),
      slabRows: slab,
    });
  }
  return passes;
}

/** The subroutines the passes call: the im2col of one column, or one per slab height. */
export function columnSubroutines(layer: ColumnLayer, plan: LayerPlan, passes: readonly Pass[]): string[] {
  const { spec } = layer;
  if (IM2COL.temps.length < IM2COL_TEMPS) throw new Error(`im2col needs ${IM2COL_TEMPS} temporaries`);
  if (layer.source === 'im2col') return [`${IM2COL_COLUMN}:`, ...im2colColumnLines(spec, plan.input, layer.layout.kPadded, IM2COL, IM2COL_COLUMN), '  ret'];
  if (layer.source === 'rows') return [];
  const heights = new Set(passes.flatMap((pass) => (pass.slabRows ? [pass.slabRows] : [])));
  return [...heights].sort((a, b) => a - b).flatMap((rows) => {
    const slab = slabSpec(spec, rows);
    return [`${slabLabel(rows)}:`, ...im2colColumnLines(slab, plan.input, rows * slabRowBytes(spec), IM2COL, slabLabel(rows)), '  ret'];
  });
}

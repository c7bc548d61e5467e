/**
 * The Xnmsparse variant of the conv, pointwise, fc and matmul layers (docs/kernels.md#xnmsparse):
 * the weights in the packed N:M format (docs/sparse-format.md), activations gathered by
 * nm.lg.b / nm.lgc.b from pixel-major im2col columns, in blocks of 2 channels x 4 pixels
 * (xnmsparse-block.ts). Pointwise, fc and matmul layers read their columns straight from the input
 * rows; convolutions build them per pass in the core's scratch.
 *
 * Work split: whole pixel blocks per core, or pairs of channels per core when that leaves the
 * busiest core less work (few pixels: fc, matmul with few tokens, small feature maps).
 */
import { hex } from '../../../isa/bits.js';
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerData } from '../../layers/data.js';
import { type LayerSpec, LayerSpecError, outputPixels, reductionLength } from '../../layers/spec.js';
import { sparseLayout, type SparseLayout } from '../../sparse/format.js';
import { packNM } from '../../sparse/pack.js';
import { wordsToBytes } from '../words.js';
import type { CodeContext, LayerPlan, VariantGenerator, WeightImage } from './generator.js';
import { type Range, splitRange } from './split.js';
import { addConstantLines, IM2COL_TEMPS, type Im2colRegisters, im2colColumnLines, im2colNextPixelLines, im2colStartLines } from './im2col.js';
import { BLOCK_CHANNELS, BLOCK_INPUT, BLOCK_PIXELS, type BlockLayer, blockLabel, blockLines, blockLoopCycles, type BlockShape } from './xnmsparse-block.js';

function layoutOf(spec: LayerSpec, pattern: SparsityPattern | undefined): SparseLayout {
  if (!pattern) throw new LayerSpecError('nm', 'the xnmsparse variant needs an N:M pattern');
  return sparseLayout(pattern, reductionLength(spec));
}

/** Whether the columns are the input rows themselves (1x1 kernel, stride 1, no padding). */
const readsInputRows = (spec: LayerSpec): boolean => spec.kind !== 'conv';

function blockLayer(spec: LayerSpec, pattern: SparsityPattern, layout: SparseLayout): BlockLayer {
  return { spec, pattern, layout, columnStride: readsInputRows(spec) ? spec.inC : layout.kPadded };
}

/** One core's share: a range of output pixels times a range of output channels. */
interface CoreWork {
  readonly pixels: Range;
  readonly channels: Range;
}

/** The blocks that cover `pixels` x `channels`: full 2 x 4 blocks, then the channel and pixel tails. */
function blockShapes(pixels: number, channels: number): { shape: BlockShape; count: number }[] {
  const shapes: { shape: BlockShape; count: number }[] = [];
  const pixelRuns = [
    { pixels: BLOCK_PIXELS, count: Math.floor(pixels / BLOCK_PIXELS) },
    { pixels: pixels % BLOCK_PIXELS, count: 1 },
  ];
  const channelRuns = [
    { channels: BLOCK_CHANNELS, count: Math.floor(channels / BLOCK_CHANNELS) },
    { channels: channels % BLOCK_CHANNELS, count: 1 },
  ];
  for (const p of pixelRuns) {
    for (const c of channelRuns) {
      if (p.pixels > 0 && c.channels > 0 && p.count * c.count > 0) shapes.push({ shape: { channels: c.channels, pixels: p.pixels }, count: p.count * c.count });
    }
  }
  return shapes;
}

function workCycles(layer: BlockLayer, work: CoreWork): number {
  return blockShapes(work.pixels.count, work.channels.count).reduce((sum, { shape, count }) => sum + count * blockLoopCycles(layer, shape), 0);
}

/** Pixels split in whole blocks, or channels in whole pairs: whichever leaves the busiest core less to do. */
function splitWork(layer: BlockLayer, cores: number): CoreWork[] {
  const { spec } = layer;
  const allPixels = { start: 0, count: outputPixels(spec) };
  const allChannels = { start: 0, count: spec.outC };
  const byPixels = splitRange(allPixels.count, cores, BLOCK_PIXELS).map((pixels) => ({ pixels, channels: allChannels }));
  const byChannels = splitRange(allChannels.count, cores, BLOCK_CHANNELS).map((channels) => ({ pixels: allPixels, channels }));
  const busiest = (works: CoreWork[]): number => Math.max(...works.map((w) => workCycles(layer, w)));
  return busiest(byChannels) < busiest(byPixels) ? byChannels : byPixels;
}

/**
 * The lines computing pixels [first, first + count) of one core's channels, with the columns of
 * pixel `first` at `column` (an address): pixel blocks in a loop, each running the channel pairs in
 * a loop, then the tail blocks.
 */
function passLines(layer: BlockLayer, plan: LayerPlan, work: CoreWork, first: number, count: number, column: number, prefix: string): string[] {
  const { spec, layout } = layer;
  const nz = layout.nonZerosPerChannel;
  const indexBytes = 4 * layout.indexWordsPerChannel;
  const c0 = work.channels.start;
  const pairs = Math.floor(work.channels.count / BLOCK_CHANNELS);
  const oddChannel = work.channels.count % BLOCK_CHANNELS === 1;
  const lines = [
    `  li ${BLOCK_INPUT.column}, ${hex(column)}      # column of pixel ${first}`,
    `  li ${BLOCK_INPUT.output}, ${hex(plan.output + first * spec.outC + c0)}      # output (pixel ${first}, channel ${c0})`,
  ];
  // One row of blocks (pixels of one block, every channel of the core); the output pointer ends at
  // its first pixel, channel c0 + 2 * pairs.
  const channelRow = (pixels: number, label: string): string[] => {
    const row = [
      `  li ${BLOCK_INPUT.values}, ${hex(plan.weights + c0 * nz)}      # channel ${c0}: values`,
      `  li ${BLOCK_INPUT.indices}, ${hex(plan.weights + spec.outC * nz + c0 * indexBytes)}      # channel ${c0}: index words`,
      `  li ${BLOCK_INPUT.quantization}, ${hex(plan.quantization + 12 * c0)}      # channel ${c0}: bias, shift, multiplier`,
    ];
    if (pairs > 0) {
      row.push(
        `${label}_pairs:`,
        `  jal ra, ${blockLabel({ channels: BLOCK_CHANNELS, pixels })}`,
        ...addConstantLines(BLOCK_INPUT.values, BLOCK_INPUT.values, BLOCK_CHANNELS * nz, 't0'),
        ...addConstantLines(BLOCK_INPUT.indices, BLOCK_INPUT.indices, BLOCK_CHANNELS * indexBytes, 't0'),
        `  addi ${BLOCK_INPUT.quantization}, ${BLOCK_INPUT.quantization}, ${12 * BLOCK_CHANNELS}`,
        `  addi ${BLOCK_INPUT.output}, ${BLOCK_INPUT.output}, ${BLOCK_CHANNELS}`,
      );
      if (pairs > 1) row.push(`  li t0, ${hex(plan.quantization + 12 * (c0 + BLOCK_CHANNELS * pairs))}`, `  bne ${BLOCK_INPUT.quantization}, t0, ${label}_pairs`);
    }
    if (oddChannel) row.push(`  jal ra, ${blockLabel({ channels: 1, pixels })}      # the last, unpaired channel`);
    return row;
  };
  const blocks = Math.floor(count / BLOCK_PIXELS);
  const tail = count % BLOCK_PIXELS;
  if (blocks > 0) {
    lines.push(`${prefix}_blocks:                  # ${BLOCK_PIXELS} pixels at a time`, ...channelRow(BLOCK_PIXELS, `${prefix}_blocks`));
    lines.push(...addConstantLines(BLOCK_INPUT.output, BLOCK_INPUT.output, BLOCK_PIXELS * spec.outC - BLOCK_CHANNELS * pairs, 't0'));
    lines.push(...addConstantLines(BLOCK_INPUT.column, BLOCK_INPUT.column, BLOCK_PIXELS * layer.columnStride, 't0'));
    if (blocks > 1) lines.push(`  li t0, ${hex(column + blocks * BLOCK_PIXELS * layer.columnStride)}`, `  bne ${BLOCK_INPUT.column}, t0, ${prefix}_blocks`);
  }
  if (tail > 0) lines.push(`  # the last ${tail} pixel(s)`, ...channelRow(tail, `${prefix}_tail`));
  return lines;
}

/** The im2col's registers: all free while it runs (the blocks set theirs up afterwards). */
const IM2COL: Im2colRegisters = { y: 's0', x: 's1', column: 's2', temps: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 't0', 't1'] };
const IM2COL_COUNT = 's3';
const IM2COL_COLUMN = 'xnm_im2col_column';

/** The subroutine writing one pixel's column (Kp bytes) at IM2COL.column and advancing it. */
function im2colSubroutine(layer: BlockLayer, plan: LayerPlan): string[] {
  if (IM2COL.temps.length !== IM2COL_TEMPS) throw new Error(`im2col needs ${IM2COL_TEMPS} temporaries`);
  return [`${IM2COL_COLUMN}:`, ...im2colColumnLines(layer.spec, plan.input, layer.layout.kPadded, IM2COL, IM2COL_COLUMN), '  ret'];
}

/** Pixels per pass of a convolution: as many columns as the scratch holds, whole blocks when it holds one. */
function passPixels(layer: BlockLayer, scratchBytes: number): number {
  const columns = Math.floor(scratchBytes / layer.layout.kPadded);
  return columns >= BLOCK_PIXELS ? columns - (columns % BLOCK_PIXELS) : columns;
}

function coreLines(layer: BlockLayer, plan: LayerPlan, work: CoreWork, core: number): string[] {
  const { pixels, channels } = work;
  const lines = [`core_${core}:                  # pixels ${pixels.start}..${pixels.start + pixels.count - 1}, channels ${channels.start}..${channels.start + channels.count - 1}`];
  if (pixels.count > 0 && channels.count > 0) {
    if (readsInputRows(layer.spec)) {
      lines.push(...passLines(layer, plan, work, pixels.start, pixels.count, plan.input + pixels.start * layer.columnStride, `core_${core}`));
    } else {
      const perPass = passPixels(layer, plan.scratchBytes);
      const scratch = plan.scratch + core * plan.scratchBytes;
      for (let first = pixels.start, pass = 0; first < pixels.start + pixels.count; first += perPass, pass++) {
        const count = Math.min(perPass, pixels.start + pixels.count - first);
        const prefix = `core_${core}_pass_${pass}`;
        lines.push(
          `# pass ${pass}: im2col of pixels ${first}..${first + count - 1} into the scratch, then their blocks`,
          ...im2colStartLines(layer.spec, first, IM2COL),
          `  li ${IM2COL.column}, ${hex(scratch)}`,
          `  li ${IM2COL_COUNT}, ${count}`,
          `${prefix}_im2col:`,
          `  jal ra, ${IM2COL_COLUMN}`,
          ...im2colNextPixelLines(layer.spec, IM2COL, `${prefix}_im2col`),
          `  addi ${IM2COL_COUNT}, ${IM2COL_COUNT}, -1`,
          `  bnez ${IM2COL_COUNT}, ${prefix}_im2col`,
          ...passLines(layer, plan, work, first, count, scratch, prefix),
        );
      }
    }
  }
  lines.push('  j kernel_end');
  return lines;
}

function weightImage(data: LayerData, pattern: SparsityPattern | undefined): WeightImage {
  const { spec } = data;
  const layout = layoutOf(spec, pattern);
  const packed = packNM({ channels: spec.outC, k: layout.k, data: data.weights }, layout.pattern);
  const values = new Uint8Array(packed.values.buffer, packed.values.byteOffset, packed.values.byteLength);
  const indices = wordsToBytes(packed.indices);
  const bytes = new Uint8Array(values.length + indices.length);
  bytes.set(values);
  bytes.set(indices, values.length);
  return { bytes, valueBytes: values.length, indexBytes: indices.length };
}

export const xnmsparseGenerator: VariantGenerator = {
  variant: 'xnmsparse',
  kinds: ['conv', 'pointwise', 'fc', 'matmul'],
  instructionSet: 'cv32e40p+xnmsparse',
  weightImage,
  scratchBytes(spec, pattern, budget) {
    const layout = layoutOf(spec, pattern);
    if (readsInputRows(spec)) return 0;
    // The most columns that fit, but no more than the layer has pixels (rounded up to a block).
    const wanted = Math.ceil(outputPixels(spec) / BLOCK_PIXELS) * BLOCK_PIXELS;
    const columns = Math.min(wanted, Math.floor(budget / layout.kPadded));
    if (columns < 1) throw new LayerSpecError('tile', `one im2col column of '${spec.name}' takes ${layout.kPadded} bytes, more than the ${budget} bytes of L1 left per core`);
    return columns * layout.kPadded;
  },
  code({ data, pattern, cores, plan }: CodeContext): string[] {
    const layout = layoutOf(data.spec, pattern);
    const layer = blockLayer(data.spec, layout.pattern, layout);
    const works = splitWork(layer, cores);
    const lines = works.flatMap((work, core) => coreLines(layer, plan, work, core));
    if (!readsInputRows(data.spec)) lines.push(...im2colSubroutine(layer, plan));
    const shapes = new Map<string, BlockShape>();
    for (const work of works) for (const { shape } of blockShapes(work.pixels.count, work.channels.count)) shapes.set(blockLabel(shape), shape);
    for (const label of [...shapes.keys()].sort()) lines.push(...blockLines(layer, shapes.get(label)!));
    return lines;
  },
  bound(spec, pattern, cores): Cycles {
    const layout = layoutOf(spec, pattern);
    const layer = blockLayer(spec, layout.pattern, layout);
    return Math.max(...splitWork(layer, cores).map((work) => workCycles(layer, work)));
  },
};

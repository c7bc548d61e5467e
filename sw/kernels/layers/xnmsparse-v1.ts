/**
 * The Xnmsparse revision-1 variant (`xnmsparse-v1`) of the conv, pointwise, fc and matmul layers
 * (docs/kernels.md#xnmsparse-revision-1):
 * the weights in the packed N:M format (docs/sparse-format.md), activations gathered by
 * nm.lg.b / nm.lgc.b from each pixel's column, in blocks of 2 channels x 4 pixels
 * (xnmsparse-v1-block.ts); where the columns are is xnmsparse-v1-columns.ts's choice.
 *
 * Work split: the cores as a grid of pixel ranges (whole blocks) x channel ranges (whole pairs),
 * see splitWork. Every core runs, per pass of columns and run of pixels, its pixel blocks times its
 * channel pairs, each block a call of a block subroutine shared by all cores; the tails (a last
 * odd channel, a last 1 to 3 pixels of a run) have block subroutines of their own shapes.
 *
 * bound(): the busiest core's gather loops, sum over its blocks of blockLoopCycles
 * (xnmsparse-v1-block.ts): per group of 4 non-zeros, C * (1 + 5P) + P instructions for C channels x P
 * pixels (weight load, 4 gathers and a dot product per pixel, base advances), plus C index loads
 * per index word; 46 per 32 non-zero MACs for the 2 x 4 block, 1.4375 + 1 / (4F) cycles per
 * non-zero MAC with F index fields per word. Not counted: building the columns, the bias and the
 * requantization, the calls.
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
import { type ColumnLayer, columnCycles, columnLayer, columnScratchBytes, columnSubroutines, corePasses, type Pass, type PixelRun, runLengths } from './xnmsparse-v1-columns.js';
import { addConstantLines } from './im2col.js';
import { BLOCK_CHANNELS, BLOCK_INPUT, BLOCK_PIXELS, blockLabel, blockLines, blockLoopCycles, type BlockShape } from './xnmsparse-v1-block.js';

function layoutOf(spec: LayerSpec, pattern: SparsityPattern | undefined): SparseLayout {
  if (!pattern) throw new LayerSpecError('nm', 'the xnmsparse-v1 variant needs an N:M pattern');
  return sparseLayout(pattern, reductionLength(spec));
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

function workCycles(layer: ColumnLayer, work: CoreWork): number {
  return runLengths(layer, work.pixels)
    .flatMap((pixels) => blockShapes(pixels, work.channels.count))
    .reduce((sum, { shape, count }) => sum + count * blockLoopCycles(layer, shape), 0);
}

/**
 * The cores as a grid of pixel parts x channel parts (pixels in whole blocks, channels in whole
 * pairs): of every factorization of the core count, the one that leaves the busiest core the least
 * to do, its gather loops and the building of its columns (every channel part builds the columns of
 * its pixels again); few pixels, as in fc or a small feature map, favour channel parts. On a tie,
 * the most pixel parts.
 */
function splitWork(layer: ColumnLayer, cores: number): CoreWork[] {
  const { spec } = layer;
  let best: { works: CoreWork[]; busiest: number } | undefined;
  for (let pixelParts = cores; pixelParts >= 1; pixelParts--) {
    if (cores % pixelParts !== 0) continue;
    const pixelRanges = splitRange(outputPixels(spec), pixelParts, BLOCK_PIXELS);
    const channelRanges = splitRange(spec.outC, cores / pixelParts, BLOCK_CHANNELS);
    const works = pixelRanges.flatMap((pixels) => channelRanges.map((channels) => ({ pixels, channels })));
    const busiest = Math.max(...works.map((w) => workCycles(layer, w) + columnCycles(layer, w.pixels)));
    if (!best || busiest < best.busiest) best = { works, busiest };
  }
  return best!.works;
}

/**
 * The lines computing a run of pixels for one core's channels: pixel blocks in a loop, each running
 * the channel pairs in a loop, then the tail blocks.
 */
function runLines(layer: ColumnLayer, plan: LayerPlan, work: CoreWork, core: number, run: PixelRun, prefix: string): string[] {
  const { first, count, column } = run;
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
  // The channel pairs from pair `rotation` on, then the ones before it, so that the cores, which
  // run the same code at about the same time, read different weights (a TCDM bank serves one of
  // them per cycle). `offset` tracks the output pointer's channel relative to c0.
  const rotation = pairs > 0 ? core % pairs : 0;
  let offset = 0;
  const moveOutput = (to: number): string[] => {
    const step = to - offset;
    offset = to;
    return addConstantLines(BLOCK_INPUT.output, BLOCK_INPUT.output, step, 't0');
  };
  const pairLoop = (pixels: number, from: number, to: number, label: string): string[] => {
    if (to <= from) return [];
    const c = c0 + BLOCK_CHANNELS * from;
    const loop = [
      ...moveOutput(BLOCK_CHANNELS * from),
      `  li ${BLOCK_INPUT.values}, ${hex(plan.weights + c * nz)}      # channel ${c}: values`,
      `  li ${BLOCK_INPUT.indices}, ${hex(plan.weights + spec.outC * nz + c * indexBytes)}      # channel ${c}: index words`,
      `  li ${BLOCK_INPUT.quantization}, ${hex(plan.quantization + 12 * c)}      # channel ${c}: bias, shift, multiplier`,
      `${label}:`,
      `  jal ra, ${blockLabel({ channels: BLOCK_CHANNELS, pixels })}`,
      ...addConstantLines(BLOCK_INPUT.values, BLOCK_INPUT.values, BLOCK_CHANNELS * nz, 't0'),
      ...addConstantLines(BLOCK_INPUT.indices, BLOCK_INPUT.indices, BLOCK_CHANNELS * indexBytes, 't0'),
      `  addi ${BLOCK_INPUT.quantization}, ${BLOCK_INPUT.quantization}, ${12 * BLOCK_CHANNELS}`,
      `  addi ${BLOCK_INPUT.output}, ${BLOCK_INPUT.output}, ${BLOCK_CHANNELS}`,
    ];
    offset = BLOCK_CHANNELS * to;
    if (to - from > 1) loop.push(`  li t0, ${hex(plan.quantization + 12 * (c0 + BLOCK_CHANNELS * to))}`, `  bne ${BLOCK_INPUT.quantization}, t0, ${label}`);
    return loop;
  };
  // One row of blocks: the pixels of one block times every channel of the core; the output pointer
  // ends back at the row's first channel.
  const channelRow = (pixels: number, label: string): string[] => {
    const row = [...pairLoop(pixels, rotation, pairs, `${label}_pairs`), ...pairLoop(pixels, 0, rotation, `${label}_pairs_before`)];
    if (oddChannel) {
      const c = c0 + BLOCK_CHANNELS * pairs;
      row.push(
        ...moveOutput(BLOCK_CHANNELS * pairs),
        `  li ${BLOCK_INPUT.values}, ${hex(plan.weights + c * nz)}      # channel ${c}, the last, unpaired`,
        `  li ${BLOCK_INPUT.indices}, ${hex(plan.weights + spec.outC * nz + c * indexBytes)}`,
        `  li ${BLOCK_INPUT.quantization}, ${hex(plan.quantization + 12 * c)}`,
        `  jal ra, ${blockLabel({ channels: 1, pixels })}`,
      );
    }
    row.push(...moveOutput(0));
    return row;
  };
  const blocks = Math.floor(count / BLOCK_PIXELS);
  const tail = count % BLOCK_PIXELS;
  if (blocks > 0) {
    lines.push(`${prefix}_blocks:                  # ${BLOCK_PIXELS} pixels at a time`, ...channelRow(BLOCK_PIXELS, `${prefix}_blocks`));
    lines.push(...addConstantLines(BLOCK_INPUT.output, BLOCK_INPUT.output, BLOCK_PIXELS * spec.outC, 't0'));
    lines.push(...addConstantLines(BLOCK_INPUT.column, BLOCK_INPUT.column, BLOCK_PIXELS * layer.columnStride, 't0'));
    if (blocks > 1) lines.push(`  li t0, ${hex(column + blocks * BLOCK_PIXELS * layer.columnStride)}`, `  bne ${BLOCK_INPUT.column}, t0, ${prefix}_blocks`);
  }
  if (tail > 0) lines.push(`  # the last ${tail} pixel(s)`, ...channelRow(tail, `${prefix}_tail`));
  return lines;
}

function coreLines(layer: ColumnLayer, plan: LayerPlan, work: CoreWork, core: number, passes: readonly Pass[]): string[] {
  const { pixels, channels } = work;
  const share = pixels.count > 0 && channels.count > 0 ? `pixels ${pixels.start}..${pixels.start + pixels.count - 1}, channels ${channels.start}..${channels.start + channels.count - 1}` : 'no work (fewer blocks than cores)';
  const lines = [`core_${core}:                  # ${share}`];
  passes.forEach((pass, p) => {
    lines.push(...pass.prepare);
    pass.runs.forEach((run, r) => lines.push(...runLines(layer, plan, work, core, run, `core_${core}_pass_${p}_run_${r}`)));
  });
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

export const xnmsparseV1Generator: VariantGenerator = {
  variant: 'xnmsparse-v1',
  kinds: ['conv', 'pointwise', 'fc', 'matmul'],
  instructionSet: 'cv32e40p+xnmsparse',
  weightImage,
  scratchBytes(spec, pattern, budget) {
    const layout = layoutOf(spec, pattern);
    return columnScratchBytes(columnLayer(spec, layout.pattern, layout), budget);
  },
  code({ data, pattern, cores, plan }: CodeContext): string[] {
    const layout = layoutOf(data.spec, pattern);
    const layer = columnLayer(data.spec, layout.pattern, layout);
    const works = splitWork(layer, cores);
    const passes = works.map((work, core) => (work.pixels.count > 0 && work.channels.count > 0 ? corePasses(layer, plan, work.pixels, plan.scratch + core * plan.scratchBytes, `core_${core}`) : []));
    const lines = works.flatMap((work, core) => coreLines(layer, plan, work, core, passes[core]!));
    lines.push(...columnSubroutines(layer, plan, passes.flat()));
    const shapes = new Map<string, BlockShape>();
    works.forEach((work, core) => {
      for (const run of passes[core]!.flatMap((pass) => pass.runs)) for (const { shape } of blockShapes(run.count, work.channels.count)) shapes.set(blockLabel(shape), shape);
    });
    for (const label of [...shapes.keys()].sort()) lines.push(...blockLines(layer, shapes.get(label)!));
    return lines;
  },
  bound(spec, pattern, cores): Cycles {
    const layout = layoutOf(spec, pattern);
    const layer = columnLayer(spec, layout.pattern, layout);
    return Math.max(...splitWork(layer, cores).map((work) => workCycles(layer, work)));
  },
};

/**
 * The dense (PULP-NN class) kernel of convolutions, pointwise convolutions, fully connected layers
 * and matmuls (docs/kernels.md#dense): im2col columns of a few output pixels times the weight rows
 * of a few output channels, in SIMD dot products of four int8 pairs.
 *
 * Register block: 4 output channels x 4 output pixels, 16 accumulators. One iteration of the inner
 * hardware loop reads one word of each of the 4 weight rows and of the 4 pixel columns (8 loads) and
 * does 16 cv.sdot[u]sp.b: 24 instructions for 64 MACs, 0.375 cycles/MAC, no load-use stall. The
 * rows (and the columns) are Kp bytes apart, so two pointers per operand cover four streams: one
 * load at `Kp(pointer)` (register offset, no increment) and one post-incremented load. Activations
 * go through two registers, reloaded as soon as their four products are issued.
 * Register budget (30 registers, sp untouched): 16 accumulators, 4 weights, 2 activations, 4 stream
 * pointers, Kp, and the quantization, output and core state pointers.
 *
 * Weight image: the rows of K weights (im2col order), each padded with zeros to Kp = K rounded up to
 * a multiple of 4. Columns: the HWC input itself when a pixel's column is contiguous and whole words
 * (pointwise, fc, matmul with Cin % 4 == 0), else im2col.ts into the core's scratch.
 *
 * Work split: a grid of pixel ranges (whole passes) by channel ranges (whole blocks of 4), the one
 * with the smallest largest share; each core then runs passes of P pixels (4, or fewer when the
 * scratch is short), and in each pass the blocks of its channels in hardware loop 1. Tails (the last
 * pass with pixels % P pixels, the last block with Cout % 4 channels) have their own code. All cores
 * share the code: a core's ranges are in a small state record at the start of its scratch.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerData } from '../../layers/data.js';
import { type LayerSpec, LayerSpecError, outputPixels, reductionLength } from '../../layers/spec.js';
import type { CodeContext, LayerPlan, VariantGenerator, WeightImage } from './generator.js';
import { addConstantLines, im2colColumnLines, im2colNextPixelLines, im2colStartLines, type Im2colRegisters } from './im2col.js';
import { requantizeLines } from './requantize-asm.js';
import { type Range, splitRange } from './split.js';

/** The block: output channels per weight pass, output pixels per column pass (at most). */
const BLOCK_CHANNELS = 4;
const MAX_PIXELS = 4;

/** Words of a core's state record (offsets below), at the start of its scratch. */
const STATE = { passes: 0, tail: 4, y: 8, x: 12, column: 16, output: 20, blocks: 24, channelTail: 28, weights: 32, quantization: 36 } as const;
const STATE_BYTES = 40;

const R = {
  state: 'tp',
  quantization: 'gp',
  output: 'ra',
  kp: 't0',
  weights: ['t1', 't2'],
  columns: ['t3', 't4'],
  weight: ['t5', 't6', 's0', 's1'],
  activation: ['a6', 'a7'],
  accumulators: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11'],
} as const;

/** Between blocks every register but the pointers is free: im2col and loop counters use these. */
const IM2COL: Im2colRegisters = { y: 'a0', x: 'a1', column: 'a2', temps: ['a3', 'a4', 'a5', 's2', 's3', 's4', 's5', 's6', 's7', 's8'] };
const COUNTER = 's9';

const paddedReduction = (spec: LayerSpec): number => Math.ceil(reductionLength(spec) / 4) * 4;

/** Whether each pixel's column is the input itself (contiguous and whole words). */
const directColumns = (spec: LayerSpec): boolean => spec.kind !== 'conv' && spec.inC % 4 === 0;

function weightImage(data: LayerData): WeightImage {
  const k = reductionLength(data.spec);
  const kp = paddedReduction(data.spec);
  const bytes = new Uint8Array(data.spec.outC * kp);
  for (let c = 0; c < data.spec.outC; c++) bytes.set(new Uint8Array(data.weights.buffer, data.weights.byteOffset + c * k, k), c * kp);
  return { bytes, valueBytes: bytes.length, indexBytes: 0 };
}

/** Scratch per core for `pixels` columns per pass. */
const scratchFor = (spec: LayerSpec, pixels: number): number => STATE_BYTES + (directColumns(spec) ? 0 : pixels * paddedReduction(spec));

/** Pixels per pass that `scratchBytes` holds (the most, up to MAX_PIXELS). */
function passPixels(spec: LayerSpec, scratchBytes: number): number {
  if (directColumns(spec)) return MAX_PIXELS;
  for (const pixels of [4, 2, 1]) if (scratchFor(spec, pixels) <= scratchBytes) return pixels;
  throw new LayerSpecError('tile', `layer '${spec.name}': an im2col column of ${paddedReduction(spec)} bytes does not fit the ${scratchBytes} bytes of scratch per core`);
}

function scratchBytes(spec: LayerSpec, _pattern: SparsityPattern | undefined, budget: number): number {
  const bytes = scratchFor(spec, passPixels(spec, budget));
  if (bytes > budget) throw new LayerSpecError('tile', `layer '${spec.name}': a core's state record of ${bytes} bytes does not fit the ${budget} bytes of scratch per core`);
  return bytes;
}

/** One core's work: its output pixels and output channels. */
interface Share {
  readonly pixels: Range;
  readonly channels: Range;
}

/**
 * Inner-loop cycles of a share: per block of P x C, Kp / 4 iterations of P * C sdots and P + C
 * loads. Every pass of the share's pixels meets every block of its channels, so the sum over them
 * is in closed form: the products add up to pixels x channels, each pass's P to pixels once per
 * block, each block's C to channels once per pass (the tiler asks this for every candidate split).
 */
function innerCycles(spec: LayerSpec, share: Share, passPixels: number): number {
  const words = paddedReduction(spec) / 4;
  const pixels = share.pixels.count;
  const channels = share.channels.count;
  return words * (pixels * channels + Math.ceil(channels / BLOCK_CHANNELS) * pixels + Math.ceil(pixels / passPixels) * channels);
}

/** Extra cycles of a pass besides its blocks' inner loops (im2col, requantization): for choosing the split only. */
const passOverhead = (spec: LayerSpec, pixels: number): number => (directColumns(spec) ? 30 : pixels * (paddedReduction(spec) / 2 + 60));

/**
 * The grid split with the smallest largest share (inner loops plus im2col), preferring to split
 * pixels (each channel split repeats the im2col of the same pixels on another core).
 */
function shares(spec: LayerSpec, cores: number, pixelsPerPass: number): Share[] {
  const pixelRanges = (channelParts: number): Range[] => splitRange(outputPixels(spec), Math.floor(cores / channelParts), pixelsPerPass);
  const channelRanges = (channelParts: number): Range[] => splitRange(spec.outC, channelParts, BLOCK_CHANNELS);
  let best: { cost: number; channelParts: number } | undefined;
  for (let channelParts = 1; channelParts <= cores; channelParts++) {
    // The largest share of a split is its first (splitRange's first range is its longest), as a
    // share's cost grows with its pixels and with its channels: the tiler asks this for every
    // candidate tile, so the other shares are not built.
    const pixels = pixelRanges(channelParts)[0]!;
    const channels = channelRanges(channelParts)[0]!;
    const cost = innerCycles(spec, { pixels, channels }, pixelsPerPass) + Math.ceil(pixels.count / pixelsPerPass) * passOverhead(spec, pixelsPerPass) * (channels.count > 0 ? 1 : 0);
    if (!best || cost < best.cost) best = { cost, channelParts };
  }
  const grid = pixelRanges(best!.channelParts).flatMap((pixels) => channelRanges(best!.channelParts).map((channels) => ({ pixels, channels })));
  return [...grid, ...Array.from({ length: cores - grid.length }, () => ({ pixels: { start: 0, count: 0 }, channels: { start: 0, count: 0 } }))];
}

/** The load of pixel column `pixel` (0..3) or weight row `row` (0..3): pairs share a pointer, the odd one at +Kp. */
function streamLoad(destination: string, index: number, pointers: readonly string[]): string {
  const pointer = pointers[index >> 1]!;
  return index % 2 === 1 ? `  cv.lw ${destination}, ${R.kp}(${pointer})` : `  cv.lw ${destination}, (${pointer}), 4`;
}

/** Stream order: the odd stream of a pair before the even one, whose load moves the pointer. */
const streamOrder = (count: number): number[] => [1, 0, 3, 2].filter((i) => i < count);

const accumulator = (pixel: number, channel: number): string => R.accumulators[pixel * BLOCK_CHANNELS + channel]!;

/**
 * One iteration of the inner loop for P pixels x C channels: the weights and two activations, then
 * per pixel its C products, the next activation loaded into the register just used (load-use
 * distance >= 2 except when P = C = 1). With one channel the weight is loaded first.
 */
function innerLoopLines(spec: LayerSpec, pixels: number, channels: number): string[] {
  const sdot = spec.inputSigned ? 'cv.sdotsp.b' : 'cv.sdotusp.b';
  const pixelOrder = streamOrder(pixels);
  const weightOrder = streamOrder(channels);
  const activation = (i: number): string => R.activation[i % 2]!;
  const weightLoads = weightOrder.map((c) => streamLoad(R.weight[c]!, c, R.weights));
  const firstActivations = pixelOrder.slice(0, 2).map((p, i) => streamLoad(activation(i), p, R.columns));
  const lines = channels === 1 ? [...weightLoads, ...firstActivations] : [...firstActivations, ...weightLoads];
  pixelOrder.forEach((p, i) => {
    for (const c of weightOrder) lines.push(`  ${sdot} ${accumulator(p, c)}, ${activation(i)}, ${R.weight[c]}`);
    const next = pixelOrder[i + 2];
    if (next !== undefined) lines.push(streamLoad(activation(i), next, R.columns));
  });
  return lines;
}

/** Output byte of (pixel, channel) of the block, at the output pointer plus an offset. */
function storeLines(spec: LayerSpec, value: string, pixel: number, channel: number, scratch: string): string[] {
  const offset = pixel * spec.outC + channel;
  if (offset < 2048) return [`  sb ${value}, ${offset}(${R.output})`];
  return [...addConstantLines(scratch, R.output, pixel * spec.outC, scratch), `  sb ${value}, ${channel}(${scratch})`];
}

/**
 * A block of P pixels x C channels: accumulators at the bias, the inner loop over Kp / 4 words,
 * requantization and stores; with `advance`, the pointers then move to the next block of channels.
 */
function blockLines(spec: LayerSpec, pixels: number, channels: number, label: string, advance: boolean): string[] {
  const words = paddedReduction(spec) / 4;
  const [shift, multiplier, scratch] = R.weight as unknown as [string, string, string];
  const lines = [`# block of ${pixels} pixel${pixels > 1 ? 's' : ''} x ${channels} channel${channels > 1 ? 's' : ''}: accumulators start at the bias`];
  for (let c = 0; c < channels; c++) lines.push(`  lw ${accumulator(0, c)}, ${12 * c}(${R.quantization})`);
  for (let p = 1; p < pixels; p++) for (let c = 0; c < channels; c++) lines.push(`  mv ${accumulator(p, c)}, ${accumulator(0, c)}`);
  lines.push(`  li ${R.activation[0]}, ${words}`, `  cv.setup 0, ${R.activation[0]}, ${label}_dot_end   # ${words} words of the reduction`);
  lines.push(...innerLoopLines(spec, pixels, channels), `${label}_dot_end:`);
  for (let c = 0; c < channels; c++) {
    lines.push(`  lw ${shift}, ${12 * c + 4}(${R.quantization})         # channel +${c}: shift, multiplier`, `  lw ${multiplier}, ${12 * c + 8}(${R.quantization})`);
    for (let p = 0; p < pixels; p++) lines.push(...requantizeLines(spec, accumulator(p, c), shift, multiplier), ...storeLines(spec, accumulator(p, c), p, c, scratch));
  }
  if (!advance) return lines;
  const [low, high] = R.weights;
  return [
    ...lines,
    `  add ${low}, ${high}, ${R.kp}            # next 4 weight rows (the loop left ${high} at row +3)`,
    `  add ${high}, ${low}, ${R.kp}`,
    `  add ${high}, ${high}, ${R.kp}`,
    `  sub ${R.columns[0]}, ${R.columns[0]}, ${R.kp}          # the same columns again`,
    `  sub ${R.columns[1]}, ${R.columns[1]}, ${R.kp}`,
    `  addi ${R.quantization}, ${R.quantization}, ${12 * BLOCK_CHANNELS}`,
    `  addi ${R.output}, ${R.output}, ${BLOCK_CHANNELS}`,
  ];
}

/** A pass of P pixels: their columns, then the core's channel blocks, then the channel tail if it has one. */
function passLines(spec: LayerSpec, plan: LayerPlan, pixels: number, label: string): string[] {
  const kp = paddedReduction(spec);
  const s = R.state;
  const columns = directColumns(spec)
    ? [
        `  lw ${R.columns[0]}, ${STATE.column}(${s})         # the pixels' columns are the input itself`,
        ...addConstantLines(COUNTER, R.columns[0], pixels * spec.inC, COUNTER),
        `  sw ${COUNTER}, ${STATE.column}(${s})`,
      ]
    : [
        `  lw ${IM2COL.y}, ${STATE.y}(${s})`,
        `  lw ${IM2COL.x}, ${STATE.x}(${s})`,
        `  addi ${IM2COL.column}, ${s}, ${STATE_BYTES}`,
        `  li ${COUNTER}, ${pixels}`,
        `${label}_im2col:`,
        ...im2colColumnLines(spec, plan.input, kp, IM2COL, `${label}_column`),
        ...im2colNextPixelLines(spec, IM2COL, `${label}_next`),
        `  addi ${COUNTER}, ${COUNTER}, -1`,
        `  bnez ${COUNTER}, ${label}_im2col`,
        `  sw ${IM2COL.y}, ${STATE.y}(${s})`,
        `  sw ${IM2COL.x}, ${STATE.x}(${s})`,
        `  addi ${R.columns[0]}, ${s}, ${STATE_BYTES}`,
      ];
  const channelTail = spec.outC % BLOCK_CHANNELS;
  return [
    `${label}:                       # a pass over ${pixels} output pixel${pixels > 1 ? 's' : ''}`,
    ...columns,
    `  li ${R.kp}, ${kp}                  # bytes between weight rows and between columns`,
    `  add ${R.columns[1]}, ${R.columns[0]}, ${R.kp}`,
    `  add ${R.columns[1]}, ${R.columns[1]}, ${R.kp}`,
    `  lw ${R.weights[0]}, ${STATE.weights}(${s})`,
    `  add ${R.weights[1]}, ${R.weights[0]}, ${R.kp}`,
    `  add ${R.weights[1]}, ${R.weights[1]}, ${R.kp}`,
    `  lw ${R.quantization}, ${STATE.quantization}(${s})`,
    `  lw ${R.output}, ${STATE.output}(${s})`,
    ...addConstantLines(COUNTER, R.output, pixels * spec.outC, COUNTER),
    `  sw ${COUNTER}, ${STATE.output}(${s})`,
    `  lw ${COUNTER}, ${STATE.blocks}(${s})`,
    `  beqz ${COUNTER}, ${label}_blocks_end`,
    `  cv.setup 1, ${COUNTER}, ${label}_blocks_end   # the core's blocks of ${BLOCK_CHANNELS} channels`,
    ...blockLines(spec, pixels, BLOCK_CHANNELS, `${label}_block`, true),
    `${label}_blocks_end:`,
    ...(channelTail === 0
      ? []
      : [
          `  lw ${COUNTER}, ${STATE.channelTail}(${s})`,
          `  beqz ${COUNTER}, ${label}_end`,
          ...blockLines(spec, pixels, channelTail, `${label}_tail`, false),
          `${label}_end:`,
        ]),
  ];
}

/** Core i: its state record (addresses in hex, as the assembly reader sees them in a trace), then the shared code. */
function coreLines(spec: LayerSpec, plan: LayerPlan, core: number, share: Share, pixelsPerPass: number): string[] {
  const scratch = plan.scratch + core * plan.scratchBytes;
  if (share.pixels.count === 0 || share.channels.count === 0) return [`core_${core}:                      # no work`, '  j kernel_end'];
  const { pixels, channels } = share;
  const hex = (address: number): string => `0x${address.toString(16)}`;
  const fields: [keyof typeof STATE, number | string, string][] = [
    ['passes', Math.floor(pixels.count / pixelsPerPass), `passes of ${pixelsPerPass} pixels`],
    ['tail', pixels.count % pixelsPerPass, 'pixels of the last pass'],
    ...(directColumns(spec) ? [['column', hex(plan.input + pixels.start * spec.inC), 'first column: in the input'] as [keyof typeof STATE, string, string]] : []),
    ['output', hex(plan.output + pixels.start * spec.outC + channels.start), 'first output byte'],
    ['blocks', Math.floor(channels.count / BLOCK_CHANNELS), `blocks of ${BLOCK_CHANNELS} channels`],
    ['channelTail', channels.count % BLOCK_CHANNELS, 'channels of the last block'],
    ['weights', hex(plan.weights + channels.start * paddedReduction(spec)), 'first weight row'],
    ['quantization', hex(plan.quantization + 12 * channels.start), 'first quantization record'],
  ];
  const t = 't0';
  return [
    `core_${core}:                      # pixels ${pixels.start}..${pixels.start + pixels.count - 1}, channels ${channels.start}..${channels.start + channels.count - 1}`,
    `  li ${R.state}, ${hex(scratch)}          # the core's scratch: state record, then the columns`,
    ...fields.flatMap(([field, value, meaning]) => [`  li ${t}, ${value}`, `  sw ${t}, ${STATE[field]}(${R.state})          # ${meaning}`]),
    ...(directColumns(spec) ? [] : [...im2colStartLines(spec, pixels.start, IM2COL), `  sw ${IM2COL.y}, ${STATE.y}(${R.state})`, `  sw ${IM2COL.x}, ${STATE.x}(${R.state})`]),
    '  j dense_passes',
  ];
}

function code({ data, cores, plan }: CodeContext): string[] {
  const { spec } = data;
  const pixelsPerPass = passPixels(spec, plan.scratchBytes);
  const tailPixels = outputPixels(spec) % pixelsPerPass;
  const s = R.state;
  return [
    `# dense ${spec.kind} '${spec.name}': blocks of ${pixelsPerPass} pixels x ${BLOCK_CHANNELS} channels over Kp = ${paddedReduction(spec)} bytes`,
    ...shares(spec, cores, pixelsPerPass).flatMap((share, core) => coreLines(spec, plan, core, share, pixelsPerPass)),
    'dense_passes:',
    `  lw ${COUNTER}, ${STATE.passes}(${s})`,
    `  beqz ${COUNTER}, dense_tail_pass`,
    `  addi ${COUNTER}, ${COUNTER}, -1`,
    `  sw ${COUNTER}, ${STATE.passes}(${s})`,
    ...passLines(spec, plan, pixelsPerPass, 'dense_pass'),
    '  j dense_passes',
    'dense_tail_pass:',
    ...(tailPixels === 0 ? [] : [`  lw ${COUNTER}, ${STATE.tail}(${s})`, `  beqz ${COUNTER}, kernel_end`, ...passLines(spec, plan, tailPixels, 'dense_last')]),
    '  j kernel_end',
  ];
}

/**
 * The bound: the largest core's inner loops at one cycle per instruction, i.e. per block of
 * P pixels x C channels (P the pixels per pass the scratch allows) Kp / 4 iterations of
 * P * C + P + C instructions (4 x 4: 24 per 64 MACs = 0.375 cycles/MAC), summed over the core's
 * blocks, for the same split as the code.
 */
function bound(spec: LayerSpec, _pattern: SparsityPattern | undefined, cores: number, scratchBytes: number): Cycles {
  const pixels = passPixels(spec, scratchBytes);
  return Math.max(...shares(spec, cores, pixels).map((share) => innerCycles(spec, share, pixels)));
}

export const denseGenerator: VariantGenerator = {
  variant: 'dense',
  kinds: ['conv', 'pointwise', 'fc', 'matmul'],
  instructionSet: 'cv32e40p',
  weightImage,
  scratchBytes,
  code,
  bound,
};

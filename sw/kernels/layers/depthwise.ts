/**
 * The dense depthwise convolution (docs/kernels.md#depthwise): one filter per channel, any kernel
 * size, stride and padding.
 *
 * Design: each core takes a range of channels (and, when channels are fewer than cores, a range of
 * output rows). Per channel it transposes the channel out of the HWC input into a zero-padded plane
 * in its scratch (the padding is zeroed once per core: it is the same for every channel), so that
 * each kernel row of a window is kW contiguous bytes. The filter's rows are padded with zeros to
 * kWp = kW rounded up to 4 (the weight image), and one output is, per kernel row, kWp / 4 word loads
 * at the window (misaligned when the window is) and as many cv.sdot[u]sp.b with the filter words,
 * which stay in registers when they are few. The output loop is straight-line code in hardware
 * loops (loop 0 along the output row, loop 1 over the rows): per output, 1 + 2 * W + 4 + 2
 * instructions for W = kH * kWp / 4 filter words (3x3: 13 instructions per 9 MACs, about
 * 1.4 cycles/MAC plus the misaligned loads' extra cycle, and the plane's transposition).
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerData } from '../../layers/data.js';
import { type LayerSpec, LayerSpecError, outputHeight, outputWidth } from '../../layers/spec.js';
import type { CodeContext, LayerPlan, VariantGenerator, WeightImage } from './generator.js';
import { addConstantLines, repeatLines } from './im2col.js';
import { requantizeLines } from './requantize-asm.js';
import { type Range, splitRange } from './split.js';

/** Filter words kept in registers at most; a larger filter is loaded with the window. */
const MAX_WEIGHT_REGISTERS = 11;

const R = {
  // A core's share.
  channel: 's0',
  channels: 's1',
  windowOffset: 's2',
  rows: 's3',
  outputOffset: 's4',
  plane: 'tp',
  // Per channel.
  bias: 's5',
  shift: 's6',
  multiplier: 's7',
  window: 's8',
  output: 's9',
  accumulator: 's10',
  activations: ['s11', 't3'],
  loadedWeights: ['t4', 't5'],
  weightRow: 't6',
  outputStride: 't1',
  scratch: 't2',
  weights: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'gp', 'ra', 't0'],
  // The transposition (before the channel's weights are loaded).
  source: 'a0',
  destination: 'a1',
  inputStride: 'a2',
  copied: ['a3', 'a4'],
} as const;

interface Geometry {
  /** Padded plane width and height. */
  readonly width: number;
  readonly height: number;
  /** Filter row length padded to whole words. */
  readonly rowBytes: number;
  /** Filter words. */
  readonly words: number;
  /** Plane bytes, with slack for the last window's words past the plane. */
  readonly planeBytes: number;
}

function geometry(spec: LayerSpec): Geometry {
  const width = spec.inW + spec.pad.left + spec.pad.right;
  const height = spec.inH + spec.pad.top + spec.pad.bottom;
  const rowBytes = Math.ceil(spec.kW / 4) * 4;
  return { width, height, rowBytes, words: (spec.kH * rowBytes) / 4, planeBytes: Math.ceil((width * height + rowBytes) / 4) * 4 };
}

function weightImage(data: LayerData): WeightImage {
  const { spec } = data;
  const { rowBytes } = geometry(spec);
  const bytes = new Uint8Array(spec.outC * spec.kH * rowBytes);
  for (let c = 0; c < spec.outC; c++) {
    for (let ky = 0; ky < spec.kH; ky++) {
      for (let kx = 0; kx < spec.kW; kx++) bytes[(c * spec.kH + ky) * rowBytes + kx] = data.weights[(c * spec.kH + ky) * spec.kW + kx]! & 0xff;
    }
  }
  return { bytes, valueBytes: bytes.length, indexBytes: 0 };
}

function scratchBytes(spec: LayerSpec, _pattern: SparsityPattern | undefined, budget: number): number {
  const { planeBytes, width, rowBytes } = geometry(spec);
  if ((spec.kH - 1) * width + rowBytes > 2048) throw new LayerSpecError('tile', `layer '${spec.name}': a ${spec.kH}-row window over ${width} padded columns is too tall for the kernel's load offsets: split it into narrower tiles`);
  if (planeBytes > budget) throw new LayerSpecError('tile', `layer '${spec.name}': a padded channel plane of ${planeBytes} bytes does not fit the ${budget} bytes of scratch per core`);
  return planeBytes;
}

interface Share {
  readonly rows: Range;
  readonly channels: Range;
}

/** Instructions of one output in the hardware loop (the bound's unit; see the file comment). */
function outputInstructions(spec: LayerSpec): number {
  const { words } = geometry(spec);
  return 1 + (words > MAX_WEIGHT_REGISTERS ? 3 : 2) * words + 4 + 2;
}

/** Channels over cores first; the cores left over split the output rows. */
function shares(spec: LayerSpec, cores: number): Share[] {
  const { width, height } = geometry(spec);
  let best: { cost: number; shares: Share[] } | undefined;
  for (let channelParts = 1; channelParts <= Math.min(cores, spec.outC); channelParts++) {
    const rowParts = Math.floor(cores / channelParts);
    const grid = splitRange(outputHeight(spec), rowParts).flatMap((rows) => splitRange(spec.outC, channelParts).map((channels) => ({ rows, channels })));
    const cost = Math.max(...grid.map((s) => s.channels.count * (s.rows.count > 0 ? 3 * width * height + s.rows.count * outputWidth(spec) * outputInstructions(spec) : 0)));
    if (!best || cost < best.cost) best = { cost, shares: grid };
  }
  const idle: Share = { rows: { start: 0, count: 0 }, channels: { start: 0, count: 0 } };
  return [...best!.shares, ...Array.from({ length: cores - best!.shares.length }, () => idle)];
}

/** The channel's input into the plane's interior: hardware loop 1 over the input rows, loop 0 over pixel pairs. */
function transposeLines(spec: LayerSpec, plan: LayerPlan): string[] {
  const { width } = geometry(spec);
  const [a, b] = R.copied;
  const load = (r: string): string => `  cv.lbu ${r}, (${R.source}), ${R.inputStride}`;
  const store = (r: string): string => `  cv.sb ${r}, (${R.destination}), 1`;
  const pairs = Math.floor(spec.inW / 2);
  return [
    `  li ${R.source}, ${plan.input}`,
    `  add ${R.source}, ${R.source}, ${R.channel}      # the channel's first input byte`,
    ...addConstantLines(R.destination, R.plane, spec.pad.top * width + spec.pad.left, R.scratch),
    `  li ${R.inputStride}, ${spec.inC}`,
    `  li ${R.scratch}, ${spec.inH}`,
    `  cv.setup 1, ${R.scratch}, dw_transpose_end   # the channel into the plane, row by row`,
    ...(pairs === 0 ? [] : [`  li ${R.scratch}, ${pairs}`, `  cv.setup 0, ${R.scratch}, dw_transpose_pairs`, load(a), load(b), store(a), store(b), 'dw_transpose_pairs:']),
    ...(spec.inW % 2 === 1 ? [load(a), store(a)] : []),
    `  li ${R.scratch}, ${width - spec.inW}`,
    `  add ${R.destination}, ${R.destination}, ${R.scratch}     # over the padding to the next row`,
    'dw_transpose_end:',
  ];
}

/**
 * One output: the accumulator at the bias, per filter word a load at the window and a dot product
 * (each load two instructions ahead of its use), requantization, the store, the next window.
 */
function outputLines(spec: LayerSpec): string[] {
  const { width, rowBytes, words } = geometry(spec);
  const sdot = spec.inputSigned ? 'cv.sdotsp.b' : 'cv.sdotusp.b';
  const inRegisters = words <= MAX_WEIGHT_REGISTERS;
  const offset = (k: number): number => Math.floor(k / (rowBytes / 4)) * width + 4 * (k % (rowBytes / 4));
  const loads = (k: number): string[] => [
    `  lw ${R.activations[k % 2]}, ${offset(k)}(${R.window})`,
    ...(inRegisters ? [] : [`  lw ${R.loadedWeights[k % 2]}, ${4 * k}(${R.weightRow})`]),
  ];
  const weight = (k: number): string => (inRegisters ? R.weights[k]! : R.loadedWeights[k % 2]!);
  const lines = [`  mv ${R.accumulator}, ${R.bias}`, ...loads(0)];
  for (let k = 0; k < words; k++) {
    if (k + 1 < words) lines.push(...loads(k + 1));
    lines.push(`  ${sdot} ${R.accumulator}, ${R.activations[k % 2]}, ${weight(k)}`);
  }
  return [
    ...lines,
    ...requantizeLines(spec, R.accumulator, R.shift, R.multiplier),
    `  cv.sb ${R.accumulator}, (${R.output}), ${R.outputStride}`,
    `  addi ${R.window}, ${R.window}, ${spec.stride}`,
  ];
}

function sharedLines(spec: LayerSpec, plan: LayerPlan): string[] {
  const g = geometry(spec);
  const outW = outputWidth(spec);
  const filterBytes = spec.kH * g.rowBytes;
  const inRegisters = g.words <= MAX_WEIGHT_REGISTERS;
  return [
    'dw_start:',
    `  mv ${R.destination}, ${R.plane}`,
    `  li ${R.copied[0]}, ${g.planeBytes / 4}`,
    ...repeatLines('dw_zero', R.copied[0], R.copied[1], 4, Array<string>(4).fill(`  cv.sw zero, (${R.destination}), 4`), [`  cv.sw zero, (${R.destination}), 4`]),
    `  li ${R.outputStride}, ${spec.outC}`,
    'dw_channel:                      # one channel: transpose, filter and quantization, then the outputs',
    ...transposeLines(spec, plan),
    `  li ${R.weightRow}, ${filterBytes}`,
    `  mul ${R.weightRow}, ${R.weightRow}, ${R.channel}`,
    ...addConstantLines(R.weightRow, R.weightRow, plan.weights, R.scratch),
    ...(inRegisters ? Array.from({ length: g.words }, (_, k) => `  lw ${R.weights[k]}, ${4 * k}(${R.weightRow})`) : []),
    `  li ${R.scratch}, 12`,
    `  mul ${R.scratch}, ${R.scratch}, ${R.channel}`,
    ...addConstantLines(R.scratch, R.scratch, plan.quantization, R.bias),
    `  lw ${R.bias}, 0(${R.scratch})`,
    `  lw ${R.shift}, 4(${R.scratch})`,
    `  lw ${R.multiplier}, 8(${R.scratch})`,
    `  add ${R.window}, ${R.plane}, ${R.windowOffset}`,
    `  li ${R.output}, ${plan.output}`,
    `  add ${R.output}, ${R.output}, ${R.outputOffset}`,
    `  add ${R.output}, ${R.output}, ${R.channel}`,
    `  cv.setup 1, ${R.rows}, dw_rows_end        # the core's output rows`,
    `  li ${R.scratch}, ${outW}`,
    `  cv.setup 0, ${R.scratch}, dw_outputs_end   # the outputs of a row`,
    ...outputLines(spec),
    'dw_outputs_end:',
    `  li ${R.scratch}, ${spec.stride * g.width - outW * spec.stride}`,
    `  add ${R.window}, ${R.window}, ${R.scratch}       # the windows of the next output row`,
    'dw_rows_end:',
    `  addi ${R.channel}, ${R.channel}, 1`,
    `  addi ${R.channels}, ${R.channels}, -1`,
    `  bnez ${R.channels}, dw_channel`,
    '  j kernel_end',
  ];
}

function coreLines(spec: LayerSpec, plan: LayerPlan, core: number, share: Share): string[] {
  if (share.rows.count === 0 || share.channels.count === 0) return [`core_${core}:                      # no work`, '  j kernel_end'];
  const { width } = geometry(spec);
  const { rows, channels } = share;
  return [
    `core_${core}:                      # output rows ${rows.start}..${rows.start + rows.count - 1}, channels ${channels.start}..${channels.start + channels.count - 1}`,
    `  li ${R.plane}, ${plan.scratch + core * plan.scratchBytes}`,
    `  li ${R.channel}, ${channels.start}`,
    `  li ${R.channels}, ${channels.count}`,
    `  li ${R.windowOffset}, ${rows.start * spec.stride * width}`,
    `  li ${R.rows}, ${rows.count}`,
    `  li ${R.outputOffset}, ${rows.start * outputWidth(spec) * spec.outC}`,
    '  j dw_start',
  ];
}

function code({ data, cores, plan }: CodeContext): string[] {
  const { spec } = data;
  return [
    `# dense depthwise '${spec.name}': a zero-padded plane per channel, ${geometry(spec).words} filter words per output`,
    ...shares(spec, cores).flatMap((share, core) => coreLines(spec, plan, core, share)),
    ...sharedLines(spec, plan),
  ];
}

/** The bound: the largest core's outputs times the instructions of one output (outputInstructions), one cycle each. */
function bound(spec: LayerSpec, _pattern: SparsityPattern | undefined, cores: number): Cycles {
  return Math.max(...shares(spec, cores).map((s) => s.rows.count * outputWidth(spec) * s.channels.count * outputInstructions(spec)));
}

export const depthwiseGenerator: VariantGenerator = {
  variant: 'dense',
  kinds: ['dw'],
  instructionSet: 'cv32e40p',
  weightImage,
  scratchBytes,
  code,
  bound,
};

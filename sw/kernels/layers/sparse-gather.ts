/**
 * The software N:M-sparse kernel of fully connected layers on the plain CV32E40P (variant
 * `sparse`, kind `fc`): one input pixel, so sparse.ts's transposed buffers of 8 pixels would
 * leave 7 of 8 lanes idle. Here each non-zero gathers its own activation byte straight from the
 * input vector, which is contiguous: the weight stream is sw/sparse/offsets.ts's with
 * offset(position) = position (docs/sparse-format.md#second-layout-byte-offsets-for-the-software-kernel).
 *
 * Inner loop (hardware loop 0), per output channel and group of four non-zeros: 12 instructions,
 * 3 cycles per non-zero MAC, no stall (every load's value is used at least two instructions later,
 * so one channel at a time needs no interleaving):
 *
 *     cv.lhu t0, (s0), 2          # offsets of non-zeros a..d (post-increment)
 *     cv.lhu t1, (s0), 2
 *     cv.lhu t2, (s0), 2
 *     cv.lhu t3, (s0), 2
 *     cv.lbu t0, t0(s3)           # their activations (register offset from the input)
 *     cv.lbu t1, t1(s3)
 *     cv.lbu t2, t2(s3)
 *     cv.lbu t3, t3(s3)
 *     cv.lw t5, (s0), 4           # the four weights
 *     cv.packlo.b t4, t1, t0      # bytes 1..0 = b, a (bytes 3..2 kept)
 *     cv.packhi.b t4, t3, t2      # bytes 3..2 = d, c (bytes 1..0 kept)
 *     cv.sdotusp.b a4, t4, t5     # cv.sdotsp.b for int8 input
 *
 * Every non-zero costs an instruction for its offset and one for its activation; the dense fc
 * kernel (dense.ts, 1 pixel x 4 channels) takes 0.5625 cycles per dense MAC, this one
 * 3 N / M: faster than dense at 1:8, 2:16 (0.375) and 1:16 (0.1875), slower at 1:4, 2:4, 2:8.
 *
 * Around it, per channel (hardware loop 1): the accumulator starts at the bias, then the
 * requantization (requantize-asm.ts) and one byte store, 9 instructions; the pointers to the
 * stream, the quantization records and the output all post-increment, so consecutive channels
 * need no address arithmetic. The cores split the output channels (splitRange, one channel
 * granules: a channel is the loop's unit, so there is no tail); a core without channels jumps to
 * kernel_end. Padding entries of the stream (zero weights) point at position 0: always readable.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import { hex } from '../../../isa/bits.js';
import type { LayerData } from '../../layers/data.js';
import { type LayerSpec, LayerSpecError, reductionLength } from '../../layers/spec.js';
import { sparseLayout } from '../../sparse/format.js';
import { OFFSET_GROUP, OFFSET_GROUP_BYTES, offsetGroupsPerChannel, packOffsets } from '../../sparse/offsets.js';
import type { CodeContext, VariantGenerator, WeightImage } from './generator.js';
import { requantizeLines } from './requantize-asm.js';
import { splitRange } from './split.js';

/** Instructions of the inner loop per group of four non-zeros (see the header). */
const GROUP_INSTRUCTIONS = 12;

const R = {
  stream: 's0',
  quantization: 's1',
  output: 's2',
  input: 's3',
  groups: 's4',
  channels: 's5',
  offsets: ['t0', 't1', 't2', 't3'],
  activations: 't4',
  weights: 't5',
  accumulator: 'a4',
  shift: 'a2',
  multiplier: 'a3',
} as const;

function groupsPerChannel(spec: LayerSpec, pattern: SparsityPattern | undefined): number {
  if (!pattern) throw new LayerSpecError('nm', 'the sparse variant needs an N:M pattern');
  return offsetGroupsPerChannel(sparseLayout(pattern, reductionLength(spec)));
}

/** The input vector is contiguous: a position's byte offset is the position itself. */
const positionOffset = (position: number): number => position;

function weightImage(data: LayerData, pattern: SparsityPattern | undefined): WeightImage {
  const { spec } = data;
  if (!pattern) throw new LayerSpecError('nm', 'the sparse variant needs an N:M pattern');
  const { bytes, layout } = packOffsets({ channels: spec.outC, k: reductionLength(spec), data: data.weights }, pattern, positionOffset);
  const nonZeros = spec.outC * layout.nonZerosPerChannel;
  return { bytes, valueBytes: nonZeros, indexBytes: 2 * nonZeros };
}

/** The hardware loop 0 body: one group of four non-zeros of one channel (see the header). */
function groupLines(spec: LayerSpec): string[] {
  const dot = spec.inputSigned ? 'cv.sdotsp.b' : 'cv.sdotusp.b';
  const [a, b, c, d] = R.offsets;
  const names = 'abcd';
  return [
    ...R.offsets.map((o, i) => `  cv.lhu ${o}, (${R.stream}), 2          # offset of non-zero ${names[i]}`),
    ...R.offsets.map((o, i) => `  cv.lbu ${o}, ${o}(${R.input})          # its activation ${names[i]}`),
    `  cv.lw ${R.weights}, (${R.stream}), 4           # the four weights`,
    `  cv.packlo.b ${R.activations}, ${b}, ${a}        # bytes 1..0: b, a`,
    `  cv.packhi.b ${R.activations}, ${d}, ${c}        # bytes 3..2: d, c`,
    `  ${dot} ${R.accumulator}, ${R.activations}, ${R.weights}       # four MACs`,
  ];
}

/** The loop over a core's channels, shared by every core: s0, s1, s2 point at its first channel's stream, record and output byte, s5 counts its channels. */
function channelLoopLines(spec: LayerSpec, inputAddress: number, groups: number): string[] {
  const acc = R.accumulator;
  return [
    'sparse_fc_channels:',
    `  li ${R.input}, ${hex(inputAddress)}         # the input vector: offsets are relative to it`,
    `  li ${R.groups}, ${groups}                  # groups of ${OFFSET_GROUP} non-zeros per channel`,
    `  cv.setup 1, ${R.channels}, sparse_fc_channels_end`,
    `  cv.lw ${acc}, (${R.quantization}), 4            # bias: the accumulator starts there`,
    `  cv.setup 0, ${R.groups}, sparse_fc_groups_end`,
    ...groupLines(spec),
    'sparse_fc_groups_end:',
    `  cv.lw ${R.shift}, (${R.quantization}), 4            # shift`,
    `  cv.lw ${R.multiplier}, (${R.quantization}), 4            # multiplier`,
    ...requantizeLines(spec, acc, R.shift, R.multiplier),
    `  cv.sb ${acc}, (${R.output}), 1            # the channel's output byte, then on to the next`,
    'sparse_fc_channels_end:',
    '  j kernel_end',
  ];
}

function code({ data, pattern, cores, plan }: CodeContext): string[] {
  const { spec } = data;
  const groups = groupsPerChannel(spec, pattern);
  const lines = [`# sparse fc '${spec.name}': ${groups} groups of ${OFFSET_GROUP} gathered non-zeros per channel, channels split over the cores`];
  splitRange(spec.outC, cores).forEach(({ start, count }, core) => {
    if (count === 0) {
      lines.push(`core_${core}:                      # no channel`, '  j kernel_end');
      return;
    }
    lines.push(
      `core_${core}:                      # channels ${start}..${start + count - 1}`,
      `  li ${R.stream}, ${hex(plan.weights + start * groups * OFFSET_GROUP_BYTES)}         # its first channel's stream`,
      `  li ${R.quantization}, ${hex(plan.quantization + 12 * start)}         # its first quantization record`,
      `  li ${R.output}, ${hex(plan.output + start)}         # its first output byte`,
      `  li ${R.channels}, ${count}`,
      '  j sparse_fc_channels',
    );
  });
  return [...lines, ...channelLoopLines(spec, plan.input, groups)];
}

/**
 * The busiest core's inner loops at one cycle per instruction: ceil(Cout / cores) channels x
 * Kp / S groups (docs/sparse-format.md: S dense positions per group of 4 non-zeros) x 12, i.e.
 * 3 cycles per non-zero MAC.
 */
function bound(spec: LayerSpec, pattern: SparsityPattern | undefined, cores: number): Cycles {
  const channels = Math.max(...splitRange(spec.outC, cores).map((range) => range.count));
  return channels * groupsPerChannel(spec, pattern) * GROUP_INSTRUCTIONS;
}

export const sparseGatherGenerator: VariantGenerator = {
  variant: 'sparse',
  kinds: ['fc'],
  instructionSet: 'cv32e40p',
  weightImage,
  scratchBytes: () => 0,
  code,
  bound,
};

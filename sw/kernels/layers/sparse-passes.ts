/**
 * What the kernels over the transposed activation buffer share (sparse.ts: software; xnmsparse.ts:
 * Xnmsparse nm.mac4): the weight image (the offset stream of sw/sparse/offsets.ts, then the zero
 * pixel), every core's program (its team's buffer filled, sparse-fill.ts, barriers, then a call of
 * a pass routine per pass and run of channels), and the end of a pass routine's channel (the
 * requantization and stores of its outputs). A kernel brings only its pass routine.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { LayerData } from '../../layers/data.js';
import { type LayerSpec, LayerSpecError, reductionLength } from '../../layers/spec.js';
import { sparseLayout } from '../../sparse/format.js';
import { OFFSET_GROUP_BYTES, offsetGroupsPerChannel, packOffsets } from '../../sparse/offsets.js';
import type { CodeContext, WeightImage } from './generator.js';
import { addConstantLines } from './im2col.js';
import { requantizeLines } from './requantize-asm.js';
import { BARRIER, call, fillBuffer, type Routines, selectorLines } from './sparse-fill.js';
import { type BufferGeometry, bufferGeometry, type Chunk, chunksOf, coreShares, LANES, type Pass, positionOffset, teamRows, zeroBytes } from './sparse-geometry.js';
import type { Range } from './split.js';

function patternOf(pattern: SparsityPattern | undefined): SparsityPattern {
  if (!pattern) throw new LayerSpecError('nm', 'the sparse kernels need an N:M pattern');
  return pattern;
}

/** Groups of four non-zeros of one channel's stream. */
export const groupsPerChannel = (spec: LayerSpec, pattern: SparsityPattern | undefined): number => offsetGroupsPerChannel(sparseLayout(patternOf(pattern), reductionLength(spec)));

/** The offset stream, each offset a position's in the buffer, then the zero pixel. */
export function offsetWeightImage(data: LayerData, pattern: SparsityPattern | undefined): WeightImage {
  const { spec } = data;
  const geometry = bufferGeometry(spec);
  const k = reductionLength(spec);
  const { bytes, layout } = packOffsets({ channels: spec.outC, k, data: data.weights }, patternOf(pattern), (position) => positionOffset(spec, geometry, position));
  const nonZeros = spec.outC * layout.nonZerosPerChannel;
  // The zero pixel after the stream: the buffer fill reads it in place of the input's padding.
  const image = new Uint8Array(bytes.length + zeroBytes(spec));
  image.set(bytes);
  return { bytes: image, valueBytes: nonZeros, indexBytes: 2 * nonZeros };
}

/**
 * A kernel's pass routine for `valid` lanes of each of a pass's two words, labelled `label`. It is
 * called with a1 = the pass's buffer base, a0 = the output byte of its first pixel and first
 * channel, s0 = that channel's weight stream, s1 = its quantization record, gp = the number of
 * channels; it may use every register but sp, and ra, s5 and s6 (the fill's transpose selectors)
 * only if it restores them, and returns with `ret`.
 */
export interface PassKernel {
  /** Prefix of the pass routines' labels. */
  readonly prefix: string;
  passRoutine(spec: LayerSpec, geometry: BufferGeometry, groups: number, valid: readonly number[], label: string): string[];
}

/** A pass routine's first lines: a2 = its second word's base (clobbers t0). */
export const secondWordLines = (geometry: BufferGeometry): string[] =>
  addConstantLines('a2', 'a1', geometry.secondWord.bytes, 't0').map((line, i, all) => (i === all.length - 1 ? `${line}        # the second word${geometry.passRows === 2 ? ': the next output row' : ''}` : line));

const passLabel = (kernel: PassKernel, valid: readonly number[]): string => `${kernel.prefix}_pass_${valid.join('_')}`;

/** The channels from `rotation` on, then the first ones. */
const rotated = (channels: Range, rotation: number): Range[] =>
  [
    { start: channels.start + rotation, count: channels.count - rotation },
    { start: channels.start, count: rotation },
  ].filter((part) => part.count > 0);

function passCall(context: CodeContext, geometry: BufferGeometry, chunk: Chunk, pass: Pass, buffer: number, channels: Range, groups: number, routine: string): string[] {
  const { spec } = context.data;
  const { plan } = context;
  const base = buffer + (geometry.flat ? 0 : (pass.row - chunk.passes[0]!.row) * spec.stride * geometry.rowBytes + 4 * pass.x0);
  const pixel = pass.row * geometry.outCols + pass.x0;
  return [
    `  # pass: output row ${pass.row}, pixels from ${pass.x0} (${pass.valid.join(' + ')})`,
    ...call(routine, {
      a1: base,
      a0: plan.output + pixel * spec.outC + channels.start,
      s0: plan.weights + channels.start * groups * OFFSET_GROUP_BYTES,
      s1: plan.quantization + 12 * channels.start,
      gp: channels.count,
    }),
  ];
}

/**
 * Every core's code (sparse-geometry.ts's coreShares): its team's buffer filled, chunk after chunk,
 * then its passes x channels, each pass a call of the kernel's pass routine; then the routines.
 */
export function passesCode(context: CodeContext, kernel: PassKernel): string[] {
  const { data, pattern, cores, plan } = context;
  const { spec } = data;
  const geometry = bufferGeometry(spec);
  const groups = groupsPerChannel(spec, pattern);
  const zero = plan.weights + spec.outC * groups * OFFSET_GROUP_BYTES;
  const shares = coreShares(spec, cores, plan.scratchBytes);
  const chunks = shares.map((share) => (share.team.passes.count > 0 ? chunksOf(spec, share.team.passes, teamRows(spec, plan.scratchBytes, share.team.size)) : []));
  // Teams of more than one core fill their buffer together: every core then meets the others at
  // a barrier when the buffer is ready and again before it is refilled, the same number of times.
  const teams = shares.some((share, core) => chunks[core]!.length > 0 && share.team.size > 1);
  const meetings = 2 * Math.max(...chunks.map((c) => c.length)) - 1;
  const lines: string[] = [];
  const valids = new Map<string, readonly number[]>();
  const routines: Routines = new Map();
  shares.forEach((share, core) => {
    const { team } = share;
    const buffer = plan.scratch + team.first * plan.scratchBytes;
    const own = share.passes;
    const computes = own.count > 0 && share.channels.count > 0;
    lines.push(
      `core_${core}:                 # team of ${team.size} from core ${team.first}: ${computes ? `passes ${own.start}..${own.start + own.count - 1}, channels ${share.channels.start}..${share.channels.start + share.channels.count - 1}` : 'fills only'}`,
      ...selectorLines,
    );
    // Members computing the same channels start at different ones: the TCDM does not broadcast, so
    // cores reading the same weight word in the same cycle would queue at its bank. (Members with
    // channels of their own need no rotation, which would split each pass's call in two.)
    const peers = shares.filter((s) => s.team.first === team.first && s.passes.count > 0 && s.channels.start === share.channels.start && s.channels.count === share.channels.count);
    const rotation = computes ? Math.floor((peers.indexOf(share) * share.channels.count) / peers.length) % share.channels.count : 0;
    let previous: Chunk | undefined;
    chunks[core]!.forEach((chunk, index) => {
      if (teams && index > 0) lines.push(...BARRIER);
      // A core alone owns its buffer and moves the rows the next chunk keeps; a team refills.
      lines.push(...fillBuffer(context, geometry, chunk, team.size > 1 ? undefined : previous, buffer, team, zero, routines));
      if (teams) lines.push(...BARRIER);
      previous = chunk;
      if (!computes) return;
      for (const pass of chunk.passes.filter((p) => p.index >= own.start && p.index < own.start + own.count)) {
        const routine = passLabel(kernel, pass.valid);
        valids.set(routine, pass.valid);
        for (const channels of rotated(share.channels, rotation)) lines.push(...passCall(context, geometry, chunk, pass, buffer, channels, groups, routine));
      }
    });
    if (teams) for (let i = Math.max(0, 2 * chunks[core]!.length - 1); i < meetings; i++) lines.push(...BARRIER);
    lines.push('  j kernel_end');
  });
  for (const label of [...valids.keys()].sort()) lines.push(...kernel.passRoutine(spec, geometry, groups, valids.get(label)!, label));
  for (const label of [...routines.keys()].sort()) lines.push(...routines.get(label)!());
  return lines;
}

/** A channel's quantization record into a3 (bias), t0 (shift) and t1 (multiplier); s1 moves to the next channel's. */
export const QUANTIZATION_LOADS = [
  "  cv.lw a3, (s1), 12             # bias; s1: the next channel's record",
  '  lw t0, -8(s1)                  # shift',
  '  lw t1, -4(s1)                  # multiplier',
];

/** Where the end of a channel finds its quantization record, and two registers it may clobber. */
export interface OutputRegisters {
  readonly bias: string;
  readonly shift: string;
  readonly multiplier: string;
  /** Where the outputs lie beyond a0's 12-bit offsets: the bytes between lanes, and word 1's output pointer. */
  readonly scratch: readonly [string, string];
}

/** QUANTIZATION_LOADS's registers, t2 and t3 free. */
export const QUANTIZATION_REGISTERS: OutputRegisters = { bias: 'a3', shift: 't0', multiplier: 't1', scratch: ['t2', 't3'] };

export interface PassOutputOptions {
  readonly registers: OutputRegisters;
  /** The pass's words in the order their outputs are requantized and stored. */
  readonly order: readonly number[];
  /** Lines after the loop over channels (after `label_end`), before `ret`. */
  readonly epilogue: readonly string[];
}

const DEFAULT_OUTPUTS: PassOutputOptions = { registers: QUANTIZATION_REGISTERS, order: [0, 1], epilogue: [] };

/**
 * The end of a pass routine's channel (the body of its loop over channels, `label_end` closing
 * it): the outputs of the `valid` lanes of the pass's two words, `acc[4 * word + lane]`, requantized
 * with the channel's record in `options.registers`, each stored at its pixel; a0 moves to the next
 * channel's first output. Clobbers the two scratch registers.
 */
export function passOutputLines(spec: LayerSpec, geometry: BufferGeometry, valid: readonly number[], acc: readonly string[], label: string, options: PassOutputOptions = DEFAULT_OUTPUTS): string[] {
  const { bias, shift, multiplier, scratch } = options.registers;
  const [laneStride, word1] = scratch;
  const end = [`${label}_end:`, ...options.epilogue, '  ret'];
  const lines: string[] = [];
  const laneBytes = geometry.laneStep * spec.outC;
  const wordBytes = geometry.secondWord.pixels * spec.outC;
  const outputOffset = (g: number, l: number): number => g * wordBytes + l * laneBytes;
  const requantized = (g: number, l: number): string[] => requantizeLines(spec, acc[4 * g + l]!, shift, multiplier, bias);
  if (outputOffset(1, LANES - 1) < 2048) {
    // Every output at a 12-bit offset from a0.
    for (const g of options.order) for (let l = 0; l < valid[g]!; l++) lines.push(...requantized(g, l), `  sb ${acc[4 * g + l]}, ${outputOffset(g, l)}(a0)`);
    lines.push("  addi a0, a0, 1                 # the next channel's first output", ...end);
    return lines;
  }
  // Else word 1's outputs from its own pointer, word 0's from a0, which its stores move on and the end takes back.
  lines.push(`  li ${laneStride}, ${laneBytes}               # output bytes between lanes`);
  if (valid[1]! > 0) lines.push(...addConstantLines(word1, 'a0', wordBytes, word1).map((line, i, all) => (i === all.length - 1 ? `${line}        # group 1's first output` : line)));
  for (const g of options.order) for (let l = 0; l < valid[g]!; l++) lines.push(...requantized(g, l), `  cv.sb ${acc[4 * g + l]}, (${g === 0 ? 'a0' : word1}), ${laneStride}`);
  lines.push(...addConstantLines('a0', 'a0', 1 - valid[0]! * laneBytes, word1).map((line, i, all) => (i === all.length - 1 ? `${line}      # the next channel's first output` : line)), ...end);
  return lines;
}

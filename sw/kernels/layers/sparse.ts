/**
 * The software N:M-sparse layer kernel on the plain CV32E40P (docs/kernels.md#sparse): no
 * Xnmsparse instruction. The weights are a stream of groups {four 16-bit activation offsets, four
 * int8 values} (sw/sparse/offsets.ts); the activations are each core's transposed copy of the
 * input (sparse-geometry.ts), in which one word holds four consecutive output pixels' activations
 * at one weight position.
 *
 * Inner loop, per output channel and pass of 8 pixels, per group of four non-zeros (41
 * instructions, 32 non-zero MACs, 1.28 cycles per non-zero MAC without stalls):
 *   4 `cv.lhu` offsets, 8 register-offset `cv.lw` (4 positions x 2 words of 4 pixels), 1 `cv.lw`
 *   weight word, and per 4 x 4 byte block a transpose into pixel words (2 `cv.pack`, 2
 *   `cv.pack.h`, 2 `mv`, 4 `cv.shuffle2.b`) and 4 `cv.sdotusp.b` (`cv.sdotsp.b` for int8 input).
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerData } from '../../layers/data.js';
import { type LayerSpec, reductionLength } from '../../layers/spec.js';
import { sparseLayout } from '../../sparse/format.js';
import { OFFSET_GROUP_BYTES, offsetGroupsPerChannel, packOffsets } from '../../sparse/offsets.js';
import type { CodeContext, VariantGenerator, WeightImage } from './generator.js';
import { requantizeLines } from './requantize-asm.js';
import {
  type BufferGeometry,
  type Chunk,
  type Pass,
  bufferBytes,
  bufferGeometry,
  bufferRows,
  chunksOf,
  coreShares,
  positionOffset,
} from './sparse-geometry.js';

/** Instructions of the inner loop per group of four non-zeros (see the header). */
const GROUP_INSTRUCTIONS = 41;

/** The accumulators of pixels 0..7 of a pass. */
const ACC = ['s8', 's9', 's10', 's11', 't4', 't5', 't6', 'tp'] as const;
/** Per group of 4 pixels: the 4 loaded words (positions a..d), two transpose temporaries. */
const GROUPS = [
  { words: ['a3', 'a4', 'a5', 'a6'], temps: ['t0', 't1'], base: 'a1' },
  { words: ['a7', 's2', 's3', 's4'], temps: ['t2', 't3'], base: 'a2' },
] as const;
const OFFSETS = ['t0', 't1', 't2', 't3'] as const;

/**
 * cv.shuffle2.b selectors (per lane: bits 1:0 the source lane, bit 2 set for rs1, clear for rd):
 * with rd = P = [a0 a1 b0 b1] and rs1 = Q = [c0 c1 d0 d1], pixel 0 is [a0 b0 c0 d0] and pixel 1
 * [a1 b1 c1 d1]; the same selectors on the high halves give pixels 2 and 3.
 */
const EVEN_PIXEL = 0x06040200;
const ODD_PIXEL = 0x07050301;

const groupsPerChannel = (spec: LayerSpec, pattern: SparsityPattern): number => offsetGroupsPerChannel(sparseLayout(pattern, reductionLength(spec)));

function weightImage(data: LayerData, pattern: SparsityPattern | undefined): WeightImage {
  const { spec } = data;
  if (!pattern) throw new Error('the sparse kernel needs an N:M pattern');
  const geometry = bufferGeometry(spec);
  const k = reductionLength(spec);
  const { bytes, layout } = packOffsets({ channels: spec.outC, k, data: data.weights }, pattern, (position) => positionOffset(spec, geometry, position));
  const nonZeros = spec.outC * layout.nonZerosPerChannel;
  return { bytes, valueBytes: nonZeros, indexBytes: 2 * nonZeros };
}

/** One group of four non-zeros for 8 pixels (the hardware loop's body). */
function groupBody(dot: string): string[] {
  const lines = OFFSETS.map((o) => `  cv.lhu ${o}, (s0), 2            # offset of non-zero ${o.slice(1)}`);
  for (let i = 0; i < 4; i++) for (const g of GROUPS) lines.push(`  cv.lw ${g.words[i]}, ${OFFSETS[i]}(${g.base})       # pixels ${g.base === 'a1' ? '0-3' : '4-7'} at position ${'abcd'[i]}`);
  lines.push('  cv.lw s7, (s0), 4              # the four weights');
  GROUPS.forEach((g, n) => {
    const [a, b, c, d] = g.words;
    const [p, q] = g.temps;
    const acc = ACC.slice(4 * n, 4 * n + 4);
    lines.push(
      `  cv.pack ${p}, ${b}, ${a}         # [a0 a1 b0 b1]`,
      `  cv.pack.h ${a}, ${b}, ${a}       # [a2 a3 b2 b3]`,
      `  cv.pack ${q}, ${d}, ${c}         # [c0 c1 d0 d1]`,
      `  cv.pack.h ${c}, ${d}, ${c}       # [c2 c3 d2 d3]`,
      `  mv ${b}, ${p}`,
      `  mv ${d}, ${a}`,
      `  cv.shuffle2.b ${p}, ${q}, s5     # pixel ${4 * n}: [a0 b0 c0 d0]`,
      `  cv.shuffle2.b ${b}, ${q}, s6     # pixel ${4 * n + 1}`,
      `  cv.shuffle2.b ${a}, ${c}, s5     # pixel ${4 * n + 2}`,
      `  cv.shuffle2.b ${d}, ${c}, s6     # pixel ${4 * n + 3}`,
      `  ${dot} ${acc[0]}, ${p}, s7`,
      `  ${dot} ${acc[1]}, ${b}, s7`,
      `  ${dot} ${acc[2]}, ${a}, s7`,
      `  ${dot} ${acc[3]}, ${d}, s7`,
    );
  });
  return lines;
}

/**
 * The pass routine for `valid` output pixels: a1 = the pass's buffer base, a0 = the output byte
 * of its first pixel and first channel, s0 = that channel's weight stream, s1 = its quantization
 * record, gp = the number of channels. Returns with `ret` (ra is kept).
 */
function passRoutine(spec: LayerSpec, groups: number, valid: number): string[] {
  const dot = spec.inputSigned ? 'cv.sdotsp.b' : 'cv.sdotusp.b';
  const label = `sparse_pass_${valid}`;
  const lines = [
    `${label}:                   # ${valid} output pixel${valid > 1 ? 's' : ''}, every channel of the core`,
    '  addi a2, a1, 4                 # base of pixels 4-7',
    `  li s5, ${EVEN_PIXEL}`,
    `  li s6, ${ODD_PIXEL}`,
    `  cv.setup 1, gp, ${label}_end`,
    '  cv.lw t0, (s1), 12             # bias: every accumulator starts there',
    `  li gp, ${groups}`,
    ...ACC.map((acc) => `  mv ${acc}, t0`),
    `  cv.setup 0, gp, ${label}_groups_end`,
    ...groupBody(dot),
    `${label}_groups_end:`,
    '  lw t0, -8(s1)                  # shift',
    '  lw t1, -4(s1)                  # multiplier',
    `  li t2, ${spec.outC}               # output pixel stride`,
    '  mv t3, a0',
  ];
  for (let p = 0; p < valid; p++) lines.push(...requantizeLines(spec, ACC[p]!, 't0', 't1'), `  cv.sb ${ACC[p]}, (t3), t2`);
  lines.push('  addi a0, a0, 1                 # next channel', `${label}_end:`, '  ret');
  return lines;
}

/**
 * Copies a0 input columns (inC bytes each, a3 the first, a stride of `stride` columns apart)
 * into the buffer from a4, one byte per channel row: the transpose to the buffer's layout.
 */
function copyRoutine(spec: LayerSpec, geometry: BufferGeometry): string[] {
  const pairs = Math.floor(spec.inC / 2);
  const odd = spec.inC % 2 === 1;
  const lines = [
    'sparse_copy_columns:            # a3: first input byte, a4: its buffer byte, a0: columns',
    `  li t5, ${geometry.channelBytes}                # next channel's row in the buffer`,
    `  li t6, ${(spec.stride - 1) * spec.inC}                # skip the other phases' columns`,
    `  li t4, ${1 - spec.inC * geometry.channelBytes}           # back to channel 0, next column`,
    `  li t3, ${pairs}`,
    '  cv.setup 1, a0, sparse_copy_columns_end',
  ];
  if (odd) lines.push('  cv.lbu t0, (a3), 1', '  cv.sb t0, (a4), t5');
  if (pairs > 0) {
    lines.push(
      '  cv.setup 0, t3, sparse_copy_channels_end',
      '  cv.lbu t0, (a3), 1',
      '  cv.lbu t1, (a3), 1',
      '  cv.sb t0, (a4), t5',
      '  cv.sb t1, (a4), t5',
      'sparse_copy_channels_end:',
    );
  }
  lines.push('  add a3, a3, t6', '  add a4, a4, t4', 'sparse_copy_columns_end:', '  ret');
  return lines;
}

/** Clears a0 blocks of 16 bytes from a4. */
const CLEAR_ROUTINE = [
  'sparse_clear:                   # a4: first byte, a0: blocks of 16 bytes',
  '  cv.setup 0, a0, sparse_clear_end',
  '  cv.sw zero, (a4), 4',
  '  cv.sw zero, (a4), 4',
  '  cv.sw zero, (a4), 4',
  '  cv.sw zero, (a4), 4',
  'sparse_clear_end:',
  '  ret',
];

const call = (routine: string, args: Record<string, number>): string[] => [...Object.entries(args).map(([reg, value]) => `  li ${reg}, ${value}`), `  jal ra, ${routine}`];

/** Lines that fill the buffer rows of a chunk from the input (rows of padding are cleared unless `clean`). */
function fillBuffer(context: CodeContext, geometry: BufferGeometry, chunk: Chunk, buffer: number, clean: boolean): string[] {
  const { spec } = context.data;
  const lines: string[] = [];
  if (geometry.flat) {
    const pass = chunk.passes[0]!;
    lines.push(`  # buffer: input pixels ${pass.x0}..${pass.x0 + pass.valid - 1}`);
    return [...lines, ...call('sparse_copy_columns', { a3: context.plan.input + pass.x0 * spec.inC, a4: buffer, a0: pass.valid })];
  }
  for (let r = 0; r < chunk.inputRows; r++) {
    const iy = chunk.firstInputRow + r;
    const rowBase = buffer + r * geometry.rowBytes;
    if (iy < 0 || iy >= spec.inH) {
      if (!clean) lines.push(`  # buffer row ${r}: padding`, ...call('sparse_clear', { a4: rowBase, a0: geometry.rowBytes / 16 }));
      continue;
    }
    lines.push(`  # buffer row ${r}: input row ${iy}`);
    for (let phase = 0; phase < spec.stride; phase++) {
      // Padded column X = j * stride + phase is input column X - pad.left.
      const first = Math.max(0, Math.ceil((spec.pad.left - phase) / spec.stride));
      const end = Math.min(geometry.phaseBytes, Math.floor((spec.inW - 1 + spec.pad.left - phase) / spec.stride) + 1);
      if (end <= first) continue;
      const ix = first * spec.stride + phase - spec.pad.left;
      lines.push(...call('sparse_copy_columns', { a3: context.plan.input + (iy * spec.inW + ix) * spec.inC, a4: rowBase + phase * geometry.phaseBytes + first, a0: end - first }));
    }
  }
  return lines;
}

function passCall(context: CodeContext, geometry: BufferGeometry, chunk: Chunk, pass: Pass, buffer: number, channels: { start: number; count: number }, groups: number): string[] {
  const { spec } = context.data;
  const { plan } = context;
  const base = buffer + (geometry.flat ? 0 : (pass.row - chunk.passes[0]!.row) * spec.stride * geometry.rowBytes + pass.x0);
  const pixel = pass.row * geometry.outCols + pass.x0;
  return [
    `  # pass: output row ${pass.row}, pixels ${pass.x0}..${pass.x0 + pass.valid - 1}`,
    ...call(`sparse_pass_${pass.valid}`, {
      a1: base,
      a0: plan.output + pixel * spec.outC + channels.start,
      s0: plan.weights + channels.start * groups * OFFSET_GROUP_BYTES,
      s1: plan.quantization + 12 * channels.start,
      gp: channels.count,
    }),
  ];
}

function code(context: CodeContext): string[] {
  const { data, pattern, cores, plan } = context;
  const { spec } = data;
  if (!pattern) throw new Error('the sparse kernel needs an N:M pattern');
  const geometry = bufferGeometry(spec);
  const groups = groupsPerChannel(spec, pattern);
  const capacity = Math.floor(plan.scratchBytes / geometry.rowBytes);
  const lines: string[] = [];
  const valids = new Set<number>();
  coreShares(spec, cores).forEach((share, core) => {
    const buffer = plan.scratch + core * plan.scratchBytes;
    lines.push(`core_${core}:                        # passes ${share.passes.start}..${share.passes.start + share.passes.count - 1}, channels ${share.channels.start}..${share.channels.start + share.channels.count - 1}`);
    if (share.passes.count > 0 && share.channels.count > 0) {
      lines.push('  # zero the buffer once: its padding columns are never written', ...call('sparse_clear', { a4: buffer, a0: plan.scratchBytes / 16 }));
      chunksOf(spec, share.passes, capacity).forEach((chunk, index) => {
        lines.push(...fillBuffer(context, geometry, chunk, buffer, index === 0));
        for (const pass of chunk.passes) {
          valids.add(pass.valid);
          lines.push(...passCall(context, geometry, chunk, pass, buffer, share.channels, groups));
        }
      });
    }
    lines.push('  j kernel_end');
  });
  for (const valid of [...valids].sort((a, b) => b - a)) lines.push(...passRoutine(spec, groups, valid));
  return [...lines, ...copyRoutine(spec, geometry), ...CLEAR_ROUTINE];
}

function scratchBytes(spec: LayerSpec, _pattern: SparsityPattern | undefined, budget: number): number {
  return bufferBytes(bufferGeometry(spec), bufferRows(spec, budget));
}

/** The largest core share's passes x channels x groups x 41 cycles: the inner loop without stalls. */
function bound(spec: LayerSpec, pattern: SparsityPattern | undefined, cores: number): Cycles {
  if (!pattern) throw new Error('the sparse kernel needs an N:M pattern');
  const groups = groupsPerChannel(spec, pattern);
  return Math.max(...coreShares(spec, cores).map((s) => s.passes.count * s.channels.count * groups * GROUP_INSTRUCTIONS));
}

export const SPARSE_GENERATOR: VariantGenerator = {
  variant: 'sparse',
  kinds: ['conv', 'pointwise', 'fc', 'matmul'],
  instructionSet: 'cv32e40p',
  weightImage,
  scratchBytes,
  code,
  bound,
};


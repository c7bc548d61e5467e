/**
 * The software N:M-sparse layer kernel on the plain CV32E40P (variant `sparse`): no Xnmsparse
 * instruction. The weights are a stream of groups {four 16-bit activation offsets, four int8
 * values} (sw/sparse/offsets.ts, docs/sparse-format.md); the activations are a transposed copy
 * of the input rows (sparse-geometry.ts), in which one aligned word holds four output pixels'
 * activations at one weight position.
 *
 * Inner loop, per output channel and pass of 8 pixels, per group of four non-zeros: 41
 * instructions for 32 non-zero MACs (1.28 cycles per non-zero MAC, no stall): 4 `cv.lhu`
 * offsets, 8 register-offset `cv.lw` (4 positions x 2 words), 1 `cv.lw` weight word, and per
 * word a 4 x 4 byte transpose into pixel words (2 `cv.pack`, 2 `cv.pack.h`, 2 `mv`, 4
 * `cv.shuffle2.b`) and 4 `cv.sdotusp.b` (`cv.sdotsp.b` for int8 input). A channel's first group
 * is peeled and uses the non-accumulating `cv.dotusp.b` (`cv.dotsp.b`), so the accumulators need
 * no initial value; after the groups, per channel and pass: 3 loads of the quantization record,
 * 3 setup instructions, and per existing pixel the requantization with the bias added from a
 * register (requantize-asm.ts) and a store.
 *
 * Before the passes, the buffer is filled from the input four channels x four pixels at a time
 * with the same transpose (18 instructions per 16 bytes); a convolution's seam words (the
 * window's columns past a row's laneStep words, geometry.seamWords) come with the word they
 * repeat shifted by one lane, one `cv.shuffle2.b` and one store each (9 instructions per 16
 * bytes with the load of their last lanes); padding rows are cleared (6 per 16). A team of
 * cores shares one buffer, laid over their scratch areas: each member fills an equal part of the
 * channel blocks of its input rows and of each padding row (ownedChannels), a cluster barrier
 * says it is ready (another comes before a refill, when the team's rows do not fit at once), and
 * the members split the team's passes x output channels between them. When the whole tile's
 * rows fit the cores' pooled scratch, all cores are one team and every input byte is transposed
 * once for the cluster; the core split (coreShares) weighs the largest share of passes x
 * channels first, then the bytes each core fills. Members computing the same channels start at
 * different ones, so that their weight loads do not meet at one TCDM bank. The fill is
 * sparse-fill.ts's and every core's program and a pass's outputs sparse-passes.ts's, which the
 * Xnmsparse kernel (xnmsparse.ts) shares: this file is the pass routine.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerSpec } from '../../layers/spec.js';
import type { VariantGenerator } from './generator.js';
import { transposeLines } from './sparse-fill.js';
import { type BufferGeometry, coreShares, scratchBytesFor } from './sparse-geometry.js';
import { groupsPerChannel, offsetWeightImage, type PassKernel, passesCode, passOutputLines, QUANTIZATION_LOADS, secondWordLines } from './sparse-passes.js';

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
 * One group of four non-zeros for 8 pixels (the hardware loop's body): `dot` accumulates, or, for
 * a channel's first group, starts the accumulators (the non-accumulating form).
 */
function groupBody(dot: string): string[] {
  const lines = OFFSETS.map((o, i) => `  cv.lhu ${o}, (s0), 2            # offset of non-zero ${'abcd'[i]}`);
  for (let i = 0; i < 4; i++) for (const [n, g] of GROUPS.entries()) lines.push(`  cv.lw ${g.words[i]}, ${OFFSETS[i]}(${g.base})       # word ${n} at position ${'abcd'[i]}`);
  lines.push('  cv.lw s7, (s0), 4              # the four weights');
  GROUPS.forEach((g, n) => {
    const [a, b, c, d] = g.words;
    const transposed = transposeLines(a, b, c, d, g.temps[0], g.temps[1]);
    lines.push(`  # word ${n}: pixels' activations at positions a..d`, ...transposed.lines);
    transposed.out.forEach((word, lane) => lines.push(`  ${dot} ${ACC[4 * n + lane]}, ${word}, s7`));
  });
  return lines;
}

/**
 * The pass routine for `valid` lanes of each word: a1 = the pass's buffer base, a0 = the output
 * byte of its first pixel and first channel, s0 = that channel's weight stream, s1 = its
 * quantization record, gp = the number of channels, s5/s6 = the transpose selectors. Per
 * channel, the first group sets the accumulators (cv.dotusp.b, not cv.sdotusp.b: no initial
 * value to write) and the requantization adds the bias. Returns with `ret` (ra is kept).
 */
function passRoutine(spec: LayerSpec, geometry: BufferGeometry, groups: number, valid: readonly number[], label: string): string[] {
  const [first, dot] = spec.inputSigned ? ['cv.dotsp.b', 'cv.sdotsp.b'] : ['cv.dotusp.b', 'cv.sdotusp.b'];
  const lines = [
    `${label}:                   # ${valid.join(' + ')} output pixels, every channel of the core`,
    ...secondWordLines(geometry),
    `  cv.setup 1, gp, ${label}_end`,
    '  # the first group starts the accumulators',
    ...groupBody(first),
  ];
  if (groups > 1) lines.push(`  li gp, ${groups - 1}                    # the other groups`, `  cv.setup 0, gp, ${label}_groups_end`, ...groupBody(dot), `${label}_groups_end:`);
  return [...lines, ...QUANTIZATION_LOADS, ...passOutputLines(spec, geometry, valid, ACC, label)];
}

const softwarePasses: PassKernel = { prefix: 'sparse', passRoutine };

function scratchBytes(spec: LayerSpec, _pattern: SparsityPattern | undefined, budget: number): number {
  return scratchBytesFor(spec, budget);
}

/** The largest core share's passes x channels x groups x 41 cycles: the inner loop without stalls. */
function bound(spec: LayerSpec, pattern: SparsityPattern | undefined, cores: number, scratchBytes: number): Cycles {
  const groups = groupsPerChannel(spec, pattern);
  return Math.max(...coreShares(spec, cores, scratchBytes).map((s) => s.passes.count * s.channels.count * groups * GROUP_INSTRUCTIONS));
}

export const sparseGenerator: VariantGenerator = {
  variant: 'sparse',
  kinds: ['conv', 'pointwise', 'matmul'],
  instructionSet: 'cv32e40p',
  weightImage: offsetWeightImage,
  scratchBytes,
  code: (context) => passesCode(context, softwarePasses),
  bound,
};


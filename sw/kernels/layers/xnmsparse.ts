/**
 * The Xnmsparse layer kernel (variant `xnmsparse`, docs/kernels.md#xnmsparse): the extension's
 * revision 2, `nm.mac4` and `nm.racc` (docs/isa-extension.md, part I), over the software sparse
 * kernel's activation buffer, work split, buffer fill and weight stream (sparse-geometry.ts,
 * sparse-fill.ts, sparse-passes.ts): one aligned word of the buffer holds four output pixels'
 * activations at one weight position, and the stream holds per group of four non-zeros their
 * four 16-bit byte offsets (a, b | c, d: two words, a and c in the low halves) and their four
 * int8 values (one word). `nm.mac4` multiplies the four pixel lanes of the word at base + offset
 * by one weight lane and adds each product to its own accumulator: no transpose, one memory
 * access per four MACs.
 *
 * Inner loop (hardware loop 0), per output channel and buffer word (four pixels), per group of
 * four non-zeros: 7 instructions for 16 non-zero MACs, 0.4375 cycles per non-zero MAC, every one
 * a memory access, no stall (the weight word is loaded two instructions before its first use):
 *
 *     cv.lw t0, (s0), 12          # offsets a, b; s0: the next group
 *     lw t2, -4(s0)               # weights a, b, c, d
 *     lw t1, -8(s0)               # offsets c, d
 *     nm.mac4.u a1, t0, t2, 0, 0  # acc[p] += word at a1 + a, lane p  x  weight a
 *     nm.mac4.u a1, t0, t2, 1, 1  # ... b
 *     nm.mac4.u a1, t1, t2, 0, 2  # ... c
 *     nm.mac4.u a1, t1, t2, 1, 3  # ... d      (nm.mac4.s for int8 input)
 *
 * A pass of the buffer is two words (8 pixels) and there are four accumulators, so each channel
 * runs the loop once per word, the second time over the same groups (s0 steps back one channel's
 * stream): word 0's four `nm.racc` come between the two loops (after the step back, so none
 * follows an nm.mac4 directly, which would stall a cycle), word 1's after the quantization loads;
 * the accumulators are then zero for the next channel (nm.racc clears them), so nothing
 * initializes them. Per channel and pass, beyond the loops: 2 loop setups, the step back, 3
 * quantization loads, 8 nm.racc, and per existing pixel the requantization with the bias added
 * from a register and a store (sparse-passes.ts). A pass whose second word holds no pixel runs
 * one loop. Lanes past the layer's last pixel are read out into `zero` (their windows may hold
 * input), except in a flat layer (pointwise, fc, matmul), whose buffer holds zeros there.
 *
 * A fully connected layer has one pixel: the flat buffer's word of a position holds {x_k, 0, 0, 0}
 * and three lanes multiply zeros, 1.75 cycles per non-zero MAC: it beats the byte gather
 * (3 cycles: sparse-gather.ts), but not revision 1, which fills one lane per gather and wastes
 * none (fc-512-64 on 8 cores at 1:8: 1,456 cycles against revision 1's 1,241).
 *
 * bound(): the busiest core's loops at one cycle per instruction: per pass, channel and word that
 * holds a pixel, groups x 7. Not counted: the fill, the requantization, the calls and setups.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerSpec } from '../../layers/spec.js';
import type { VariantGenerator } from './generator.js';
import { OFFSET_GROUP_BYTES } from '../../sparse/offsets.js';
import { type BufferGeometry, coreShares, LANES, passAt, bufferGeometry, scratchBytesFor } from './sparse-geometry.js';
import { groupsPerChannel, offsetWeightImage, type PassKernel, passesCode, passOutputLines, QUANTIZATION_LOADS } from './sparse-passes.js';

/** Cycles of the inner loop per group of four non-zeros and word (see the header). */
const GROUP_CYCLES = 7;

/** Word 0's pixels then word 1's, as sparse-passes.ts's outputs take them. */
const ACC = ['s8', 's9', 's10', 's11', 't4', 't5', 't6', 'tp'] as const;
/** The pass's two words in the buffer. */
const BASES = ['a1', 'a2'] as const;

/** The hardware loop 0 body: one group of four non-zeros for the four pixels of the word at `base`. */
function groupBody(spec: LayerSpec, base: string): string[] {
  const mac = spec.inputSigned ? 'nm.mac4.s' : 'nm.mac4.u';
  return [
    `  cv.lw t0, (s0), ${OFFSET_GROUP_BYTES}             # offsets of non-zeros a, b; s0: the next group`,
    '  lw t2, -4(s0)                  # their four weights',
    '  lw t1, -8(s0)                  # offsets of c, d',
    ...['a', 'b', 'c', 'd'].map((name, i) => `  ${mac} ${base}, ${i < 2 ? 't0' : 't1'}, t2, ${i % 2}, ${i}    # acc[p] += pixel p at ${name} x weight ${name}`),
  ];
}

/** Reads word `word`'s accumulators into its registers, clearing them; lanes without a pixel into zero, or not at all where they stayed zero. */
function readLines(geometry: BufferGeometry, word: number, valid: number): string[] {
  const lanes = geometry.flat ? valid : LANES;
  return Array.from({ length: lanes }, (_, k) => (k < valid ? `  nm.racc ${ACC[4 * word + k]}, ${k}` : `  nm.racc zero, ${k}                # no pixel: cleared only`));
}

function passRoutine(spec: LayerSpec, geometry: BufferGeometry, groups: number, valid: readonly number[], label: string): string[] {
  const words = valid.filter((lanes) => lanes > 0).length;
  const streamBytes = groups * OFFSET_GROUP_BYTES;
  const lines = [`${label}:                   # ${valid.join(' + ')} output pixels, every channel of the core`, `  li s2, ${groups}                    # groups per channel`];
  if (words > 1) lines.push('  addi a2, a1, 4                 # the second word');
  // Beyond an addi immediate, the step back is a register's, set once.
  const stepBack = streamBytes <= 2048 ? [`  addi s0, s0, -${streamBytes}            # back to the channel's first group`] : [`  add s0, s0, s3                 # back to the channel's first group`];
  if (words > 1 && streamBytes > 2048) lines.push(`  li s3, -${streamBytes}`);
  lines.push(`  cv.setup 1, gp, ${label}_end`);
  for (let word = 0; word < words; word++) {
    lines.push(`  # word ${word}: pixels ${word === 0 ? '0' : '1'} of each lane group`, `  cv.setup 0, s2, ${label}_word_${word}_end`, ...groupBody(spec, BASES[word]!), `${label}_word_${word}_end:`);
    if (word < words - 1) lines.push(...stepBack, ...readLines(geometry, word, valid[word]!));
  }
  // The quantization loads stand between the last nm.mac4 and the last word's nm.racc.
  lines.push(...QUANTIZATION_LOADS, ...readLines(geometry, words - 1, valid[words - 1]!));
  return [...lines, ...passOutputLines(spec, geometry, valid, ACC, label)];
}

const macPasses: PassKernel = { prefix: 'nm4', passRoutine };

/** The busiest core's loops: per pass, channel and word holding a pixel, groups x 7 cycles. */
function bound(spec: LayerSpec, pattern: SparsityPattern | undefined, cores: number, scratchBytes: number): Cycles {
  const geometry = bufferGeometry(spec);
  const groups = groupsPerChannel(spec, pattern);
  const words = (start: number, count: number): number => Array.from({ length: count }, (_, i) => passAt(geometry, start + i).valid.filter((lanes) => lanes > 0).length).reduce((a, b) => a + b, 0);
  return Math.max(...coreShares(spec, cores, scratchBytes).map((s) => words(s.passes.start, s.passes.count) * s.channels.count * groups * GROUP_CYCLES));
}

export const xnmsparseGenerator: VariantGenerator = {
  variant: 'xnmsparse',
  kinds: ['conv', 'pointwise', 'fc', 'matmul'],
  instructionSet: 'cv32e40p+xnmsparse',
  weightImage: offsetWeightImage,
  scratchBytes: (spec, _pattern, budget) => scratchBytesFor(spec, budget),
  code: (context) => passesCode(context, macPasses),
  bound,
};

/**
 * The Xnmsparse layer kernel (variant `xnmsparse`, docs/kernels.md#xnmsparse): the extension's
 * revision 2, `nm.mac4` and `nm.mul4` (docs/isa-extension.md, part I), over the software sparse
 * kernel's activation buffer, work split, buffer fill and weight stream (sparse-geometry.ts,
 * sparse-fill.ts, sparse-passes.ts): one aligned word of the buffer holds four output pixels'
 * activations at one weight position, and the stream holds per group of four non-zeros their
 * four 16-bit byte offsets (a, b | c, d: two words, a and c in the low halves) and their four
 * int8 values (one word). `nm.mac4` multiplies the four pixel lanes of the word at base + offset
 * by one weight lane and adds each product to its own sum, x28..x31 (t3..t6); `nm.mul4` starts
 * them from zero. No transpose, one memory access per four MACs.
 *
 * A pass of the buffer is two words (8 pixels). Where both hold pixels, the channel's stream is
 * read once for both, a chunk of groups at a time, the two words' sums kept apart by four more
 * registers (xnmsparse-two-words.ts): 11 instructions per group for 32 non-zero MACs, 4 per chunk.
 * Where only the first does (a one-column output, a flat layer's last pass of 4 pixels or fewer,
 * a single pixel), hardware loop 0 runs over the groups for that word, the first group peeled with
 * nm.mul4: 7 instructions for 16 non-zero MACs, every one a memory access, no stall (the weight
 * word is loaded two instructions before its first use):
 *
 *     cv.lw t0, (s0), 12          # offsets a, b; s0: the next group
 *     lw t2, -4(s0)               # weights a, b, c, d
 *     lw t1, -8(s0)               # offsets c, d
 *     nm.mac4.u a1, t0, t2, 0, 0  # x[28 + p] += word at a1 + a, lane p  x  weight a
 *     nm.mac4.u a1, t0, t2, 1, 1  # ... b
 *     nm.mac4.u a1, t1, t2, 0, 2  # ... c
 *     nm.mac4.u a1, t1, t2, 1, 3  # ... d      (nm.mac4.s for int8 input)
 *
 * The quantization loads stand between the last nm.mac4 and the first instruction naming x28..x31
 * (one right after an nm.mac4 waits 2 cycles); then per existing pixel the requantization with the
 * bias added from a register and a store (sparse-passes.ts). The next channel's nm.mul4 starts
 * the sums again: nothing to clear.
 *
 * A fully connected layer has one pixel: the flat buffer's word of a position holds {x_k, 0, 0, 0}
 * and three lanes multiply zeros, 1.75 cycles per non-zero MAC: it beats the byte gather
 * (3 cycles: sparse-gather.ts), but not revision 1, which fills one lane per gather and wastes
 * none.
 *
 * bound(): the busiest core's group instructions at one cycle each: per pass and channel, 11 per
 * group and the switches where both words hold pixels, else 7 per group. Not counted: the fill, the
 * requantization, the calls and setups, the waits.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerSpec } from '../../layers/spec.js';
import type { VariantGenerator } from './generator.js';
import { OFFSET_GROUP_BYTES } from '../../sparse/offsets.js';
import { type BufferGeometry, coreShares, passAt, bufferGeometry, scratchBytesFor } from './sparse-geometry.js';
import { groupsPerChannel, offsetWeightImage, type PassKernel, passesCode, passOutputLines, QUANTIZATION_LOADS, QUANTIZATION_REGISTERS } from './sparse-passes.js';
import { SUMS, twoWordGroupInstructions, twoWordPassRoutine } from './xnmsparse-two-words.js';

/** Instructions of the one-word loop per group of four non-zeros (see the header). */
const ONE_WORD_GROUP_INSTRUCTIONS = 7;

/** The hardware loop 0 body: one group of four non-zeros for the four pixels of the pass's first word (a1); `start`: the sums start from zero. */
function groupBody(spec: LayerSpec, start: boolean): string[] {
  const kind = spec.inputSigned ? 's' : 'u';
  return [
    `  cv.lw t0, (s0), ${OFFSET_GROUP_BYTES}             # offsets of non-zeros a, b; s0: the next group`,
    '  lw t2, -4(s0)                  # their four weights',
    '  lw t1, -8(s0)                  # offsets of c, d',
    ...['a', 'b', 'c', 'd'].map((name, i) => `  nm.${start && i === 0 ? 'mul4' : 'mac4'}.${kind} a1, ${i < 2 ? 't0' : 't1'}, t2, ${i % 2}, ${i}    # x[28 + p] ${start && i === 0 ? '=' : '+='} pixel p at ${name} x weight ${name}`),
  ];
}

/** A pass whose second word holds no pixel: the first group, then hardware loop 0 over the others, for the first word. */
function oneWordPassRoutine(spec: LayerSpec, geometry: BufferGeometry, groups: number, valid: readonly number[], label: string): string[] {
  const lines = [`${label}:                   # ${valid[0]} output pixels, every channel of the core`];
  if (groups > 1) lines.push(`  li s2, ${groups - 1}                    # the groups after the first`);
  lines.push(`  cv.setup 1, gp, ${label}_end`, ...groupBody(spec, true));
  if (groups > 1) lines.push(`  cv.setup 0, s2, ${label}_word_0_end`, ...groupBody(spec, false), `${label}_word_0_end:`);
  // The quantization loads stand between the last nm.mac4 and the outputs, which read x28..x31; t3 is x28.
  const registers = { ...QUANTIZATION_REGISTERS, scratch: ['t2', 'a4'] as const };
  return [...lines, ...QUANTIZATION_LOADS, ...passOutputLines(spec, geometry, valid, SUMS, label, { registers, order: [0], epilogue: [] })];
}

function passRoutine(spec: LayerSpec, geometry: BufferGeometry, groups: number, valid: readonly number[], label: string): string[] {
  return valid[1]! > 0 ? twoWordPassRoutine(spec, geometry, groups, valid, label) : oneWordPassRoutine(spec, geometry, groups, valid, label);
}

const macPasses: PassKernel = { prefix: 'nm4', passRoutine };

/** The busiest core's group instructions: per pass and channel, twoWordGroupInstructions or groups x 7. */
function bound(spec: LayerSpec, pattern: SparsityPattern | undefined, cores: number, scratchBytes: number): Cycles {
  const geometry = bufferGeometry(spec);
  const groups = groupsPerChannel(spec, pattern);
  const perChannel = (pass: number): number => {
    const { valid } = passAt(geometry, pass);
    return valid[1]! > 0 ? twoWordGroupInstructions(groups, valid) : groups * ONE_WORD_GROUP_INSTRUCTIONS;
  };
  const passes = (start: number, count: number): number => Array.from({ length: count }, (_, i) => perChannel(start + i)).reduce((a, b) => a + b, 0);
  return Math.max(...coreShares(spec, cores, scratchBytes).map((s) => passes(s.passes.start, s.passes.count) * s.channels.count));
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

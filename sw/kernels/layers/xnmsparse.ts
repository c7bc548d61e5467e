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
 * A pass of the buffer is two words (8 pixels). Where both hold pixels, the channel's stream is
 * read once for both, a chunk of groups at a time, the accumulators swapped through their CSRs
 * between the words (xnmsparse-two-words.ts): 11 instructions per group for 32 non-zero MACs.
 * Where only the first does (a one-column output, a flat layer's last pass of 4 pixels or fewer,
 * a single pixel), hardware loop 0 runs over the groups for that word: 7 instructions for 16
 * non-zero MACs, every one a memory access, no stall (the weight word is loaded two instructions
 * before its first use):
 *
 *     cv.lw t0, (s0), 12          # offsets a, b; s0: the next group
 *     lw t2, -4(s0)               # weights a, b, c, d
 *     lw t1, -8(s0)               # offsets c, d
 *     nm.mac4.u a1, t0, t2, 0, 0  # acc[p] += word at a1 + a, lane p  x  weight a
 *     nm.mac4.u a1, t0, t2, 1, 1  # ... b
 *     nm.mac4.u a1, t1, t2, 0, 2  # ... c
 *     nm.mac4.u a1, t1, t2, 1, 3  # ... d      (nm.mac4.s for int8 input)
 *
 * The quantization loads stand between the last nm.mac4 and the nm.racc that read the
 * accumulators out (one right after an nm.mac4 would wait a cycle); nm.racc leaves them at zero
 * for the next channel. Then per existing pixel the requantization with the bias added from a
 * register and a store (sparse-passes.ts).
 *
 * A fully connected layer has one pixel: the flat buffer's word of a position holds {x_k, 0, 0, 0}
 * and three lanes multiply zeros, 1.75 cycles per non-zero MAC: it beats the byte gather
 * (3 cycles: sparse-gather.ts), but not revision 1, which fills one lane per gather and wastes
 * none.
 *
 * bound(): the busiest core's group instructions at one cycle each: per pass and channel, 11 per
 * group (and the swaps) where both words hold pixels, else 7. Not counted: the fill, the
 * requantization, the calls and setups, the waits.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerSpec } from '../../layers/spec.js';
import type { VariantGenerator } from './generator.js';
import { OFFSET_GROUP_BYTES } from '../../sparse/offsets.js';
import { type BufferGeometry, coreShares, passAt, bufferGeometry, scratchBytesFor } from './sparse-geometry.js';
import { groupsPerChannel, offsetWeightImage, type PassKernel, passesCode, passOutputLines, QUANTIZATION_LOADS } from './sparse-passes.js';
import { accumulatorReads, twoWordGroupInstructions, twoWordPassRoutine } from './xnmsparse-two-words.js';

/** Instructions of the one-word loop per group of four non-zeros (see the header). */
const ONE_WORD_GROUP_INSTRUCTIONS = 7;

/** A one-word pass's outputs. */
const ACC = ['s8', 's9', 's10', 's11'] as const;

/** The hardware loop 0 body: one group of four non-zeros for the four pixels of the pass's first word (a1). */
function groupBody(spec: LayerSpec): string[] {
  const mac = spec.inputSigned ? 'nm.mac4.s' : 'nm.mac4.u';
  return [
    `  cv.lw t0, (s0), ${OFFSET_GROUP_BYTES}             # offsets of non-zeros a, b; s0: the next group`,
    '  lw t2, -4(s0)                  # their four weights',
    '  lw t1, -8(s0)                  # offsets of c, d',
    ...['a', 'b', 'c', 'd'].map((name, i) => `  ${mac} a1, ${i < 2 ? 't0' : 't1'}, t2, ${i % 2}, ${i}    # acc[p] += pixel p at ${name} x weight ${name}`),
  ];
}

/** A pass whose second word holds no pixel: hardware loop 0 over the groups of the first word. */
function oneWordPassRoutine(spec: LayerSpec, geometry: BufferGeometry, groups: number, valid: readonly number[], label: string): string[] {
  return [
    `${label}:                   # ${valid[0]} output pixels, every channel of the core`,
    `  li s2, ${groups}                    # groups per channel`,
    `  cv.setup 1, gp, ${label}_end`,
    `  cv.setup 0, s2, ${label}_word_0_end`,
    ...groupBody(spec),
    `${label}_word_0_end:`,
    // The quantization loads stand between the last nm.mac4 and the nm.racc.
    ...QUANTIZATION_LOADS,
    ...accumulatorReads(geometry, valid[0]!, ACC),
    ...passOutputLines(spec, geometry, valid, ACC, label),
  ];
}

function passRoutine(spec: LayerSpec, geometry: BufferGeometry, groups: number, valid: readonly number[], label: string): string[] {
  return valid[1]! > 0 ? twoWordPassRoutine(spec, geometry, groups, valid, label) : oneWordPassRoutine(spec, geometry, groups, valid, label);
}

const macPasses: PassKernel = { prefix: 'nm4', passRoutine };

/** The busiest core's group instructions: per pass and channel, twoWordGroupInstructions or groups x 7. */
function bound(spec: LayerSpec, pattern: SparsityPattern | undefined, cores: number, scratchBytes: number): Cycles {
  const geometry = bufferGeometry(spec);
  const groups = groupsPerChannel(spec, pattern);
  const perChannel = (pass: number): number => (passAt(geometry, pass).valid[1]! > 0 ? twoWordGroupInstructions(groups) : groups * ONE_WORD_GROUP_INSTRUCTIONS);
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
